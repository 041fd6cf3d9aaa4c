# The two commands of the README: `make build` and `make test`.
# Each creates the virtual environment .venv on first use and installs what it needs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build test check serve clean

build: $(VENV)/.installed
	$(BIN)/python build.py

check: $(VENV)/.installed
	$(BIN)/python build.py check

serve: $(VENV)/.installed
	$(BIN)/python build.py serve

test: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/python -m pytest -q

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

# axe-core for the browser tests; without npm they are skipped (outside CI) and say so.
node_modules/.installed: package-lock.json
	if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; fi

clean:
	rm -rf _site _site.staging-* _site.old-* .pytest_cache
