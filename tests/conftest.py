"""Shared helpers: small sites written into a temporary folder, and running the command."""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from broadsheet import theme
from broadsheet.cli import main

PROJECT = Path(__file__).resolve().parent.parent
ENGLISH = PROJECT / "tests" / "fixtures" / "english"

SITE_YAML = "title: 测试日报\nbase_url: https://example.org/paper/\n"
ARTICLE = "---\ntitle: 标题\n---\n\n正文。\n"


def pytest_configure(config) -> None:
    """Register the `long` mark; under xdist, keep the scopes in the order the items are given."""
    config.addinivalue_line(
        "markers", "long: a test of a minute or more, which each xdist worker begins with (see below)")
    # xdist's --dist=loadscope hands out the modules with the most tests first, which left the
    # state machines (one test each, 1-2 minutes) to the end, with the other worker idle
    # meanwhile; the order comes from pytest_collection_modifyitems instead
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config, items) -> None:
    """The tests marked `long` first, then the modules with the most tests (xdist's own order),
    each module's tests (each class's) kept together and in their order: the long ones start
    at once on separate workers, and the short modules fill the end. A run without xdist keeps
    pytest's order."""
    if not hasattr(config, "workerinput"):
        return

    def scope(item) -> str:  # xdist's loadscope unit: the module, or the class of a method
        return item.nodeid.rsplit("::", 1)[0]

    counts: dict[str, int] = {}
    for item in items:
        counts[scope(item)] = counts.get(scope(item), 0) + 1
    first = {scope(item): index for index, item in enumerate(items)}
    items.sort(key=lambda item: (item.get_closest_marker("long") is None, -counts[scope(item)], first[scope(item)]))


@dataclass
class Run:
    """What one command run returned and printed."""

    status: int
    out: str
    err: str


class Site:
    """A site folder in a temporary directory, built with the packaged theme."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, rel: str, text: str | bytes) -> Path:
        """Write a file of the site (text is dedented)."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def article(self, rel: str, front: str = "title: 标题\n", body: str = "正文。\n") -> Path:
        """Write an article under content/ from its front matter and body."""
        return self.write(f"content/{rel}", "---\n" + textwrap.dedent(front) + "---\n\n" + body)

    def override(self, rel: str) -> Path:
        """Copy the packaged theme's `templates/NAME` or `static/NAME` into the site, to edit it."""
        folder, name = rel.split("/", 1)
        source = (theme.TEMPLATES if folder == "templates" else theme.STATIC) / name
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
        return path

    def run(self, *args: str) -> Run:
        """Run the command in-process with this site's site.yaml."""
        out, err = io.StringIO(), io.StringIO()
        argv = list(args) + ["--config", str(self.root / "site.yaml")]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(argv)
            except SystemExit as exc:
                status = exc.code if isinstance(exc.code, int) else 1
        return Run(status, out.getvalue(), err.getvalue())

    def run_process(self, *args: str) -> Run:
        """Run `python build.py` in a subprocess, as a newsroom does."""
        proc = subprocess.run(
            [sys.executable, str(PROJECT / "build.py"), *args],
            cwd=self.root, capture_output=True, text=True, timeout=120,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr)

    @property
    def out(self) -> Path:
        """The default output folder."""
        return self.root / "_site"

    def read(self, rel: str) -> str:
        """An output file's text."""
        return (self.out / rel).read_text(encoding="utf-8")


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file of a folder with its content hash and mtime, to prove nothing changed."""
    result = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            result[path.relative_to(folder).as_posix()] = (
                hashlib.sha256(path.read_bytes()).hexdigest(),
                path.stat().st_mtime_ns,
            )
    return result


@pytest.fixture
def site(tmp_path: Path) -> Site:
    """A minimal valid site: one edition, one page, one article, the packaged theme."""
    made = Site(tmp_path / "site")
    made.root.mkdir()
    made.write("site.yaml", SITE_YAML)
    made.article("2026-11-27/01/story.md")
    return made


def tree(folder: Path) -> dict[str, str]:
    """Every file of a folder with its content hash."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_as_clean_build(site: "Site", tmp_path: Path) -> None:
    """The site's output equals, byte for byte, a clean build of the same input."""
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    assert site.run("--clean", "--out", str(clean)).status == 0
    assert tree(site.out) == tree(clean)


@pytest.fixture(params=["swap", "in-place"])
def corpus(request, tmp_path_factory, monkeypatch) -> Site:
    """A generated site of 80 articles over 4 editions (enough to use the worker processes), built.

    Each test using it runs twice: changes staged whole and swapped in, and
    changes moved into the output file by file (what a large site gets for a
    small change). The build is made once per session (per xdist worker) and
    per way, and each test gets it back as built, in the same folder (the build
    state names its output folder), its file times kept.
    """
    from broadsheet import pipeline

    if request.param == "in-place":
        monkeypatch.setattr(pipeline, "IN_PLACE_MIN_FILES", 0)
        monkeypatch.setattr(pipeline, "IN_PLACE_MAX_SHARE", 1.0)
    made, built = built_corpus(tmp_path_factory, request.param)
    shutil.rmtree(made.root)
    shutil.copytree(built, made.root, symlinks=True)
    return made


_CORPORA: dict[tuple[Path, str], tuple[Site, Path]] = {}


def built_corpus(tmp_path_factory, way: str) -> tuple[Site, Path]:
    """The 80-article corpus generated and built once per session (per xdist worker) with the
    output written WAY (pipeline patched by the caller): the site, and a copy of it as built."""
    key = (tmp_path_factory.getbasetemp(), way)
    if key not in _CORPORA:
        sys.path.insert(0, str(PROJECT / "bench"))
        from make_corpus import make

        made = Site(tmp_path_factory.mktemp(f"corpus-{way}") / "corpus")
        make(80, made.root)
        assert made.run().status == 0
        built = made.root.parent / "as-built"
        shutil.copytree(made.root, built, symlinks=True)
        _CORPORA[key] = (made, built)
    return _CORPORA[key]


@pytest.fixture
def sample(tmp_path_factory) -> Site:
    """The project's sample site, copied and built once per test that asks."""
    root = tmp_path_factory.mktemp("sample") / "site"
    shutil.copytree(PROJECT, root, ignore=SAMPLE_IGNORE)
    return Site(root)


SAMPLE_IGNORE = shutil.ignore_patterns(
    ".venv", "_site*", ".git", "tests", "__pycache__", "*.egg-info", "bench", ".pytest_cache",
    "node_modules", "docs", ".broadsheet-cache", ".github", ".mypy_cache", ".ruff_cache",
)


_BUILT: dict[Path, tuple[Path, Run]] = {}


def built_sample(tmp_path_factory) -> tuple[Path, Run]:
    """The project's sample site copied and built cleanly once per session (per xdist worker):
    its root, never to be changed (tests get copies), and what that first build printed."""
    base = tmp_path_factory.getbasetemp()
    if base not in _BUILT:
        root = base / "sample-built" / "site"
        shutil.copytree(PROJECT, root, ignore=SAMPLE_IGNORE)
        run = Site(root).run()
        assert run.status == 0, run.err
        _BUILT[base] = (root, run)
    return _BUILT[base]


def copy_built_sample(tmp_path_factory, name: str) -> Site:
    """A site of the caller's own: a copy of the session's clean build of the sample (its sources,
    its output and its build cache, file times kept), instead of deriving its pictures again."""
    root = tmp_path_factory.mktemp(name) / "site"
    shutil.copytree(built_sample(tmp_path_factory)[0], root, symlinks=True)
    return Site(root)


def build_sample(tmp_path_factory, name: str):
    """The project's sample site built without a problem (a copy of the session's clean build),
    and its model loaded."""
    from broadsheet.config import load_config
    from broadsheet.content import load_site
    from broadsheet.problems import Problems

    made = copy_built_sample(tmp_path_factory, name)
    problems = Problems()
    return made, load_site(load_config(made.root / "site.yaml", problems), problems)


def body_html(article) -> str:
    """An article's body HTML as templates show it (`article.body_html`), rendered from its file."""
    from broadsheet.cache import BodyStore
    from broadsheet.render import BodyHtml

    return BodyHtml(BodyStore(Path(article.body.source[0]).parent, "tests", clean=True)).of(article)


def errors_of(run: Run) -> list[str]:
    """The error lines a run printed (no warnings, no closing count)."""
    return [
        line for line in run.err.splitlines()
        if ": " in line and ": warning: " not in line and not line.endswith("nothing written.")
    ]


def warnings_of(run: Run) -> list[str]:
    """The warning lines a run printed."""
    return [line for line in run.err.splitlines() if ": warning: " in line]
