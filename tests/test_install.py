"""Installed from a wheel, outside the repository: `init` then `build` make a site a reader can crawl.

The wheel is built once, by pip with setuptools (the test extra) from a copy of the checkout,
and unpacked as pip installs it; Broadsheet's dependencies come from the test environment, so
no network is needed. The same check with a fresh virtual environment, by hand, is in docs/internals.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import PROJECT
from crawl import crawl

SOURCE_IGNORE = (".venv", "_site*", ".git", "node_modules", ".broadsheet-cache", "build", "*.egg-info",
                 "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "tests", "bench", "docs")

# What the `broadsheet` console script runs (the wheel's entry_points.txt names broadsheet.cli:run).
COMMAND = "import sys; sys.argv[0] = 'broadsheet'; from broadsheet.cli import run; run()"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel of this checkout, unpacked into a folder of its own: an installation of it."""
    source = tmp_path_factory.mktemp("checkout") / "broadsheet"
    shutil.copytree(PROJECT, source, ignore=shutil.ignore_patterns(*SOURCE_IGNORE))  # setuptools writes build/ there
    dist = tmp_path_factory.mktemp("dist")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-qq", "--no-deps", "--no-build-isolation",
                            "-w", str(dist), str(source)],
                           capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("broadsheet-*.whl")
    target = tmp_path_factory.mktemp("site-packages")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def broadsheet(installed: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the installed command in `cwd`, with the repository nowhere on the path."""
    env = {**os.environ, "PYTHONPATH": str(installed), "PYTHONSAFEPATH": "1"}
    return subprocess.run([sys.executable, "-c", COMMAND, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_wheel_holds_the_theme_the_starter_paper_and_the_licence(installed):
    names = {p.relative_to(installed).as_posix() for p in installed.rglob("*") if p.is_file()}
    assert {"broadsheet/theme/templates/base.html", "broadsheet/theme/templates/article.html",
            "broadsheet/theme/static/css/broadsheet.css", "broadsheet/starter/zh-CN/site.yaml",
            "broadsheet/starter/common/templates/README.md"} <= names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)


def test_init_then_build_from_the_installed_package_outside_the_repository(installed, tmp_path):
    where = subprocess.run([sys.executable, "-c", "import broadsheet; print(broadsheet.__file__)"], cwd=tmp_path,
                           env={**os.environ, "PYTHONPATH": str(installed), "PYTHONSAFEPATH": "1"},
                           capture_output=True, text=True)
    assert Path(where.stdout.strip()).is_relative_to(installed), "the package comes from the wheel"
    made = broadsheet(installed, tmp_path, "init", "paper")
    assert made.returncode == 0, made.stderr
    assert "  broadsheet build" in made.stdout
    built = broadsheet(installed, tmp_path / "paper", "build")
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("Built 1 edition, 1 page, 1 article")
    found = crawl(tmp_path / "paper" / "_site")
    assert len(found.pages) >= 8 and "static/css/broadsheet.css" in found.files
    assert (found.broken, found.absolute, found.unnamed) == ([], [], [])
