"""The project's own checks: mypy's findings only go down (`make typecheck` lists them).

`ruff check` runs before the suite in `make test` (and so in CI); it is not run again here.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import PROJECT

#: mypy's count at the last commit that changed it. Lower it when you fix some; never raise it.
#: (61 at 8fac3c0, before mypy was configured.)
MYPY_FINDINGS = 48


def test_mypy_finds_no_more_problems_than_recorded():
    pytest.importorskip("mypy", reason="mypy is a test extra: pip install -e '.[test]'")
    run = subprocess.run([sys.executable, "-m", "mypy"], cwd=PROJECT, capture_output=True, text=True, timeout=600)
    found = re.search(r"Found (\d+) errors?", run.stdout)
    count = int(found.group(1)) if found else 0
    assert run.returncode in (0, 1), run.stdout + run.stderr
    assert count <= MYPY_FINDINGS, f"mypy found {count} problems, {count - MYPY_FINDINGS} more than recorded:\n{run.stdout}"
