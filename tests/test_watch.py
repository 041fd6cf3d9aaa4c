"""Contract: the dev server's notifying watcher reports every save made once it has started."""

from __future__ import annotations


from broadsheet import watch

from test_server import _until


def _watching(tmp_path) -> tuple[watch.NotifyWatcher, list[list[str]]]:
    (tmp_path / "content").mkdir()
    (tmp_path / "site.yaml").write_text("title: 报\n", encoding="utf-8")
    rebuilt: list[list[str]] = []
    refused: list[Exception] = []
    watcher = watch.NotifyWatcher([tmp_path / "content"], tmp_path / "site.yaml", tmp_path / "_site",
                                  rebuilt.append, refused.append)
    watcher.start()
    assert refused == []
    return watcher, rebuilt


def test_a_save_made_the_moment_the_watcher_has_started_is_rebuilt(tmp_path):
    watcher, rebuilt = _watching(tmp_path)
    try:
        saved = tmp_path / "content" / "a.md"
        saved.write_text("---\ntitle: 刚开始就存的稿\n---\n", encoding="utf-8")
        _until(lambda: rebuilt, what="the save rebuilt")
        assert rebuilt == [[str(saved)]]
    finally:
        watcher.stop()


def test_site_yaml_saved_the_moment_the_watcher_has_started_is_rebuilt(tmp_path):
    watcher, rebuilt = _watching(tmp_path)
    try:
        (tmp_path / "site.yaml").write_text("title: 改了名的报\n", encoding="utf-8")
        _until(lambda: rebuilt, what="the save rebuilt")
        assert rebuilt == [[str(tmp_path / "site.yaml")]]
    finally:
        watcher.stop()
