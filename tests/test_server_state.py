"""Contract: the dev server's rebuilds keep the build state in memory and save it later, and
whatever happens to the server, the next build (its own or the command line's) equals a clean build."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

import pytest

from broadsheet import changes, saving, state
from broadsheet.pipeline import Options, build
from broadsheet.server import IDLE, Rebuilder, State

from conftest import PROJECT, Site, tree
from test_one_build import clean_build_of
from test_server import Served, _until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL as on POSIX")

# The rebuild in memory: what the server's Rebuilder does after a save, counted in-process.


@pytest.fixture
def kept(tmp_path):
    """A generated site of 40 articles, built once by the command line."""
    sys.path.insert(0, str(PROJECT / "bench"))
    from make_corpus import make

    made = Site(tmp_path / "kept")
    make(40, made.root)
    assert made.run().status == 0
    return made


def _rebuilder(site) -> Rebuilder:
    return Rebuilder(Options(config_path=site.root / "site.yaml", out=site.out, quiet=True, jobs=1), State(), site.root)


def _counting(monkeypatch, owner, name: str) -> list:
    calls: list = []
    original = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def _articles(site) -> list:
    return sorted((site.root / "content").rglob("a*.md"))


def _edit(path, text: str) -> str:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")
    return str(path)


def _page(site, path: Path) -> Path:
    return site.out / path.parent.parent.name / path.parent.name / f"{path.stem}.html"


def _saved_as_a_clean_build(rebuild, site, tmp_path) -> None:
    """The server's output is a clean build's, and so is the state it saves (as it does once
    nothing changes for a while, or on the way out): the command line then has nothing to do."""
    assert tree(site.out) == clean_build_of(site, tmp_path)
    rebuild.save(timeout=5)
    assert "nothing to do" in site.run("--verbose").err


def _the_command_line_edits_on_the_saved_state(site, path, tmp_path) -> None:
    """An edit by the command line after the server's reads the shards the server wrote."""
    _edit(path, "命令行改的。")
    run = site.run("--verbose")
    assert "1 edited article replaced in the kept model" in run.err, run.err
    assert tree(site.out) == clean_build_of(site, tmp_path)


def test_the_second_rebuild_reads_no_state_from_disk_and_scans_no_archive(kept, tmp_path, monkeypatch):

    loads, scans = _counting(monkeypatch, state, "load"), _counting(monkeypatch, changes, "scan")
    shard_reads = _counting(monkeypatch, state.Shards, "read")
    rebuild = _rebuilder(kept)
    rebuild([])  # the first build: the state read from disk, every input scanned
    rebuild.warm()  # and the kept model read, before the first edit
    assert (len(loads), len(scans)) == (1, 1) and shard_reads
    read: list = []
    monkeypatch.setattr(state.Shards, "read", lambda *args: read.append(args) or pytest.fail("a shard read"))
    sources = _counting(monkeypatch, Path, "read_bytes")
    first, second = _articles(kept)[0], _articles(kept)[-1]
    for number, path in enumerate((first, second, first)):
        rebuild([_edit(path, f"第{number}次改动。")])
        assert rebuild.state.problems == []
        assert f"第{number}次改动。" in _page(kept, path).read_text(encoding="utf-8")
    assert (len(loads), len(scans), read) == (1, 1, [])
    assert {p[0] for p in sources if p[0].suffix == ".md"} == {first, second}  # the edited files only
    assert tree(kept.out) == clean_build_of(kept, tmp_path)


def test_after_the_servers_rebuilds_the_command_line_builds_on_its_saved_state(kept, tmp_path):

    rebuild = _rebuilder(kept)
    rebuild([])
    new = kept.root / "content" / _articles(kept)[0].parent.relative_to(kept.root / "content") / "a999999.md"
    new.write_text("---\ntitle: 新稿\n---\n\n新稿正文。\n", encoding="utf-8")
    rebuild([str(new)])  # a file added: scanned and assembled, the whole state saved
    rebuild([_edit(_articles(kept)[1], "服务器里改的。")])  # then an edit in the kept model
    _saved_as_a_clean_build(rebuild, kept, tmp_path)
    _the_command_line_edits_on_the_saved_state(kept, _articles(kept)[2], tmp_path)


def test_a_server_stopped_before_its_save_leaves_a_full_build_not_a_wrong_site(kept, tmp_path):

    rebuild = _rebuilder(kept)
    rebuild([])
    rebuild.session.changed = [_edit(_articles(kept)[0], "没来得及存。")]
    assert build(rebuild.options, kept=rebuild.session).ok  # the new output is in place; its state not saved
    assert (kept.root / ".broadsheet-cache" / "state" / "committing").exists()
    _edit(_articles(kept)[1], "之后又改了。")
    run = kept.run("--verbose")
    assert "the last build stopped while replacing the output" in run.err, run.err
    assert tree(kept.out) == clean_build_of(kept, tmp_path)


def test_after_a_failed_rebuild_the_state_is_read_from_disk_again(kept, tmp_path, monkeypatch):

    rebuild = _rebuilder(kept)
    rebuild([])
    loads = _counting(monkeypatch, state, "load")
    _broken_then_mended(rebuild, _articles(kept)[0])
    assert rebuild.state.problems == [] and len(loads) == 1
    assert tree(kept.out) == clean_build_of(kept, tmp_path)


def test_edits_in_a_row_are_each_served_and_their_state_saved_once(kept, tmp_path, monkeypatch):

    calls = _counting(monkeypatch, saving, "save")
    saves = lambda: [call for call in calls if call[0] == kept.root]  # noqa: E731 - not another test's server
    rebuild = _rebuilder(kept)
    rebuild([])
    first, last = _articles(kept)[0], _articles(kept)[-1]  # in two editions: two shards
    assert first.parent.parent != last.parent.parent
    for number in range(6):
        path = (first, last)[number % 2]
        rebuild([_edit(path, f"连续第{number}次改动。")])
        assert f"连续第{number}次改动。" in _page(kept, path).read_text(encoding="utf-8")  # served at once
    _until(lambda: not (kept.root / ".broadsheet-cache" / "state" / "committing").exists(), timeout=IDLE + 10,
           what="the state saved once the edits stop")
    time.sleep(IDLE)  # and no other save follows
    assert 1 <= len(saves()) <= 2
    assert tree(kept.out) == clean_build_of(kept, tmp_path)
    assert "nothing to do" in kept.run("--verbose").err  # the saved state describes the output
    _the_command_line_edits_on_the_saved_state(kept, first, tmp_path)  # its shards are good


def test_an_added_article_after_unsaved_edits_leaves_the_state_of_a_clean_build(kept, tmp_path):

    rebuild = _rebuilder(kept)
    rebuild([])
    first, last = _articles(kept)[0], _articles(kept)[-1]
    rebuild([_edit(first, "先改一篇。")])
    new = first.parent / "a999999.md"
    new.write_text("---\ntitle: 新稿\n---\n\n新稿正文。\n", encoding="utf-8")
    rebuild([str(new)])  # assembled anew: the edit's state is saved first
    rebuild([_edit(last, "再改一篇。")])
    rebuild([_edit(new, "新稿改了。")])
    _saved_as_a_clean_build(rebuild, kept, tmp_path)
    _the_command_line_edits_on_the_saved_state(kept, last, tmp_path)


def test_a_server_killed_before_saving_its_edits_leaves_a_correct_next_build(kept, tmp_path):

    server = Served(kept)
    first, last = _articles(kept)[0], _articles(kept)[-1]
    url = "/" + _page(kept, first).relative_to(kept.out).as_posix()
    try:
        _until(lambda: server.try_get(url), timeout=30, what="the server to answer")
        for number, path in enumerate((first, last)):
            marker = f"杀掉前第{number}次改动。"
            _edit(path, marker)
            _until(lambda: marker in _page(kept, path).read_text(encoding="utf-8"), what="the edit served")
        server.proc.send_signal(signal.SIGKILL)  # well within the quiet time the server waits to save
        server.proc.wait(timeout=10)
    finally:
        server.stop()
    assert (kept.root / ".broadsheet-cache" / "state" / "committing").exists()  # output replaced, state not saved
    run = kept.run("--verbose")
    assert "the last build stopped while replacing the output" in run.err, run.err
    assert tree(kept.out) == clean_build_of(kept, tmp_path)


def test_a_build_error_after_unsaved_edits_then_its_fix_leave_the_state_of_a_clean_build(kept, tmp_path):

    rebuild = _rebuilder(kept)
    rebuild([])
    first, last = _articles(kept)[0], _articles(kept)[-1]
    rebuild([_edit(first, "出错前改的。")])
    _broken_then_mended(rebuild, last)
    rebuild([_edit(first, "修好后又改。")])
    assert rebuild.state.problems == []
    _saved_as_a_clean_build(rebuild, kept, tmp_path)


def _broken_then_mended(rebuild, path) -> None:
    """An article's front matter broken (a rebuild that reports it), then mended (another rebuild)."""
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("---\n", "---\nkicker: [坏]\n", 1), encoding="utf-8")
    rebuild([str(path)])
    assert rebuild.state.problems
    path.write_text(original + "\n修好了。\n", encoding="utf-8")
    rebuild([str(path)])
