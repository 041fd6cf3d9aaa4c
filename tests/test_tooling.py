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


#: a line a merge leaves where it could not join two changes (git's markers, at a line's start)
CONFLICT_MARKER = re.compile(r"^(<{7} |>{7} |={7}$)", re.MULTILINE)


def test_no_file_in_the_repository_keeps_a_merge_conflict_marker():
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT, capture_output=True, timeout=60)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    marked = []
    for name in listed.stdout.decode().split("\0"):
        path = PROJECT / name
        if name and path.suffix in {".md", ".py", ".html", ".xml", ".css", ".js", ".yaml", ".toml", ".txt", ""} and path.is_file():
            if CONFLICT_MARKER.search(path.read_text(encoding="utf-8", errors="replace")):
                marked.append(name)
    assert marked == [], f"merge conflict markers left in: {marked}"
