# The two commands of the README: `make build` and `make test`.
# Each creates the virtual environment .venv on first use and installs what it needs,
# quietly: `make build` prints only the build's summary line (and errors, when there are any).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# -qq: pip's errors only. PYTHONWARNINGS: setuptools' "Editable installation" notice box.
PIP := PYTHONWARNINGS=ignore $(BIN)/python -m pip install -qq

.PHONY: build test lint typecheck check serve clean

build: $(VENV)/.installed $(VENV)/.compiled
	@$(BIN)/python build.py

check: $(VENV)/.installed $(VENV)/.compiled
	@$(BIN)/python build.py check

serve: $(VENV)/.installed $(VENV)/.compiled
	@$(BIN)/python build.py serve

# The suite on up to two processes (pytest-xdist; CI has two cores), a module at a time on each
# (`loadscope`), so that a module's built site, browser or printed PDFs are made once; the
# tests marked `long` (the state machines) are handed out first (tests/conftest.py).
test: $(VENV)/.installed-test node_modules/.installed lint
	@$(BIN)/python -m pytest -q --numprocesses=auto --maxprocesses=2 --dist=loadscope

# ruff's classic rules (pyproject.toml); `make test` runs it first, so CI does.
lint: $(VENV)/.installed-test
	@$(BIN)/ruff check --quiet .

# mypy is not clean yet: this prints its findings; tests/test_tooling.py keeps their count from growing.
typecheck: $(VENV)/.installed-test
	@$(BIN)/mypy

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) --upgrade pip
	@$(PIP) -e .
	@touch $@

# The engine's bytecode, as pip writes it for a regular install: an editable install leaves it
# to the first run, and where PYTHONDONTWRITEBYTECODE is set no run writes it, so each build
# compiled the engine anew (40-100 ms of a rebuild). Made again when a module changes. With it,
# the theme's templates compiled for this engine (broadsheet/theme/__pycache__/templates.pickle),
# which a full build would otherwise compile again (0.15-0.25 CPU s): made again when a template changes too.
$(VENV)/.compiled: $(VENV)/.installed $(wildcard broadsheet/*.py broadsheet/*/*.py broadsheet/theme/templates/*)
	@$(BIN)/python -m compileall -q broadsheet
	@$(BIN)/python -c "from broadsheet.render import compile_theme; compile_theme()"
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	@$(PIP) -e ".[test]"
	@touch $@

# axe-core for the browser tests; without npm they are skipped (outside CI) and say so.
node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; fi

clean:
	rm -rf _site _site.staging-* _site.old-* .pytest_cache
