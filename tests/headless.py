"""Headless Chromium for the browser tests and scripts/screenshots.py.

Debian's /usr/bin/chromium driven by Playwright for Python (never `playwright install`:
there is no network for browser downloads), axe-core from node_modules, and a site built
into a temporary folder and served over http://127.0.0.1:<free port> by a stdlib thread.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import shutil
import threading
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
ENGLISH = PROJECT / "tests" / "fixtures" / "english"
CHROMIUM = Path("/usr/bin/chromium")
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

_IGNORED = shutil.ignore_patterns(
    ".venv", "_site*", ".git", "tests", "__pycache__", "*.egg-info", "bench", ".pytest_cache",
    "node_modules", "docs", ".ci", ".mypy_cache", ".ruff_cache",
)


def missing(need_axe: bool = True) -> str | None:
    """Why the browser checks cannot run here, or None when everything is in place."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -e '.[test]')"
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk)"
    if need_axe and not AXE.is_file():
        return f"{AXE.relative_to(PROJECT)} is missing (npm ci)"
    return None


def require(need_axe: bool = True) -> None:
    """Skip the calling test when the browser checks cannot run here, saying why; fail with CI=true."""
    import os

    import pytest

    reason = missing(need_axe)
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true, and the browser tests cannot run: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")


def copy_sample(dest: Path) -> Path:
    """The project's sample site (site.yaml, content/, templates/, static/) copied to dest."""
    shutil.copytree(PROJECT, dest, ignore=_IGNORED)
    return dest


def copy_english(dest: Path) -> Path:
    """The English fixture with the project's theme (templates/, static/) copied to dest."""
    shutil.copytree(ENGLISH, dest)
    return dest


def build(site_root: Path) -> Path:
    """Build a site folder into its _site/ in-process; return the output folder."""
    from broadsheet.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--quiet", "--config", str(site_root / "site.yaml")])
    if status != 0:
        raise RuntimeError(f"building {site_root} failed ({status}):\n{err.getvalue()}")
    return site_root / "_site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


@contextlib.contextmanager
def serve(folder: Path):
    """Serve a folder on http://127.0.0.1:<free port>/ from a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def launch(playwright):
    """Debian's Chromium, headless, with no network chatter of its own."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
