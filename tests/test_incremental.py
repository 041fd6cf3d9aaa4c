"""Incremental builds: only what changed is rendered, and the result equals a clean full build."""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
from pathlib import Path

import pytest

from broadsheet import output, theme
from broadsheet.parallel import fork_map, fork_stream, in_background
from conftest import Site, assert_same_as_clean_build, tree


def inodes(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file's inode and modification time: unchanged means not written."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def first_article(site: Site) -> Path:
    return sorted((site.root / "content").rglob("a*.md"))[0]


def url_of(path: Path, name: str | None = None) -> str:
    """The output URL of an article file (or of `name` in its page folder)."""
    page = path.parent
    return f"{page.parent.name}/{page.name}/{name or path.stem + '.html'}"


def test_a_killed_file_by_file_update_is_finished_by_the_next_build(tmp_path):
    out = tmp_path / "_site"
    (out / "2026-11-27").mkdir(parents=True)
    (out / "2026-11-27/a.html").write_text("old a", encoding="utf-8")
    (out / "2026-11-27/b.html").write_text("old b", encoding="utf-8")
    (out / "index.html").write_text("old index", encoding="utf-8")
    staging = tmp_path / "_site.staging-999999999"
    staging.mkdir()
    (staging / "index.html").write_text("new index", encoding="utf-8")
    (staging / output.JOURNAL).write_text("move 2026-11-27/a.html\nmove index.html\ndelete 2026-11-27/b.html\n", encoding="utf-8")
    output.clean_stale(out)  # a.html was moved before the kill; index.html was not
    assert (out / "index.html").read_text(encoding="utf-8") == "new index"
    assert not (out / "2026-11-27/b.html").exists()
    assert not staging.exists()


def test_pages_linking_to_others_are_updated_last():
    urls = ["index.html", "2026-11-27/01/index.html", "2026-11-27/01/story.html", "2026-11-27/01/images/a.jpg", "2026-11-27/index.html"]
    assert sorted(urls, key=output.update_order) == [
        "2026-11-27/01/images/a.jpg", "2026-11-27/01/story.html",
        "2026-11-27/01/index.html", "2026-11-27/index.html", "index.html",
    ]


def test_second_build_writes_nothing(corpus):
    before = inodes(corpus.out)
    folder = corpus.out.stat().st_ino
    assert corpus.run().status == 0
    assert inodes(corpus.out) == before
    assert corpus.out.stat().st_ino == folder


def test_edited_body_gives_the_clean_build_and_reuses_the_rest(corpus, tmp_path):
    before = inodes(corpus.out)
    path = first_article(corpus)
    path.write_text(path.read_text(encoding="utf-8") + "\n新增的一段正文。\n", encoding="utf-8")
    assert corpus.run().status == 0
    assert_same_as_clean_build(corpus, tmp_path)
    after = inodes(corpus.out)
    rewritten = {url for url in after if after[url] != before.get(url)}
    assert url_of(path) in rewritten
    edition = path.parent.parent.name
    others = {url for url in rewritten if "/" in url and url.split("/")[0] not in (edition, "columns", "archive")}
    assert others == set(), "other editions' files are reused, not rewritten"


def test_a_body_edit_that_keeps_the_summary_rewrites_only_its_article_and_search_bundle(corpus, tmp_path):
    before = inodes(corpus.out)
    # an article of the oldest edition, in no column: in no feed, which would carry its text
    path = next(p for p in sorted((corpus.root / "content").rglob("a*.md")) if "column:" not in p.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8") + "\n新增的一段正文。\n", encoding="utf-8")
    assert corpus.run().status == 0
    after = inodes(corpus.out)
    rewritten = {url for url in after if after[url] != before.get(url) and "/search/" not in f"/{url}"}
    assert rewritten - {output.MARKER} == {url_of(path)}
    assert_same_as_clean_build(corpus, tmp_path)


def test_a_template_showing_bodies_through_a_page_is_rerendered_when_a_body_changes(corpus, tmp_path):
    template = corpus.override("templates/page.html")
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("{% block main %}", "{% block main %}{% for a in page.articles %}{{ a.body_html }}{% endfor %}", 1),
                        encoding="utf-8")
    assert corpus.run().status == 0
    path = first_article(corpus)
    path.write_text(path.read_text(encoding="utf-8") + "\n新增的一段正文。\n", encoding="utf-8")
    assert corpus.run().status == 0
    assert "新增的一段正文" in corpus.read(url_of(path, "index.html"))
    assert_same_as_clean_build(corpus, tmp_path)


def test_edited_headline_changes_its_page_front_and_neighbours(corpus, tmp_path):
    path = first_article(corpus)
    text = path.read_text(encoding="utf-8").replace("title: ", "title: 新标题", 1)
    path.write_text(text, encoding="utf-8")
    assert corpus.run().status == 0
    assert_same_as_clean_build(corpus, tmp_path)
    assert "新标题" in corpus.read(url_of(path, "index.html")).replace("<wbr>", "")  # phrase breaks in headlines
    assert "新标题" in corpus.read(f"{path.parent.parent.name}/index.html").replace("<wbr>", "")


def test_added_article_gives_the_clean_build(corpus, tmp_path):
    edition = first_article(corpus).parent.parent.name
    corpus.article(f"{edition}/02/zz-new.md", "title: 新来的稿件\norder: 9\n", "正文。\n")
    assert corpus.run().status == 0
    assert (corpus.out / f"{edition}/02/zz-new.html").is_file()
    assert_same_as_clean_build(corpus, tmp_path)


def test_deleted_article_is_pruned(corpus, tmp_path):
    path = first_article(corpus)
    path.unlink()
    assert corpus.run().status == 0
    assert not (corpus.out / url_of(path)).exists()
    assert_same_as_clean_build(corpus, tmp_path)


def test_template_edit_rerenders_every_page_using_it(corpus, tmp_path):
    before = inodes(corpus.out)
    template = corpus.override("templates/article.html")
    template.write_text(template.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}<!--v2-->", 1), encoding="utf-8")
    assert corpus.run().status == 0
    articles = [p for p in corpus.out.rglob("a*.html")]
    assert len(articles) == 80 and all("<!--v2-->" in p.read_text(encoding="utf-8") for p in articles)
    assert inodes(corpus.out)["archive/index.html"] == before["archive/index.html"], "pages not using it are reused"
    assert_same_as_clean_build(corpus, tmp_path)


def test_site_yaml_edit_rerenders_everything(corpus, tmp_path):
    (corpus.root / "site.yaml").write_text("title: 改名日报\nbase_url: https://bench.example.org/\n", encoding="utf-8")
    assert corpus.run().status == 0
    assert all("改名日报" in p.read_text(encoding="utf-8") for p in corpus.out.rglob("*.html"))
    assert_same_as_clean_build(corpus, tmp_path)


def test_static_file_edit_is_copied(corpus, tmp_path):
    css = corpus.override("static/css/broadsheet.css")
    css.write_text(css.read_text(encoding="utf-8") + "\n/* v2 */\n", encoding="utf-8")
    assert corpus.run().status == 0
    assert (corpus.out / "static/css/broadsheet.css").read_text(encoding="utf-8").endswith("/* v2 */\n")
    assert_same_as_clean_build(corpus, tmp_path)


def test_a_template_override_appearing_and_going_rerenders_only_the_pages_using_it(corpus, tmp_path):
    original, before = tree(corpus.out), inodes(corpus.out)
    override = corpus.write("templates/article.html", '{% extends "base.html" %}{% block main %}<p>override</p>{% endblock %}\n')
    assert corpus.run().status == 0
    after = inodes(corpus.out)
    articles = {url for url in after if re.fullmatch(r"[\d-]+/\d+/a\d+\.html", url)}
    assert len(articles) == 80 and all("<p>override</p>" in corpus.read(url) for url in articles)
    assert {url for url in after if after[url] != before.get(url)} - {output.MARKER} == articles
    assert_same_as_clean_build(corpus, tmp_path)
    override.unlink()
    assert corpus.run().status == 0
    assert tree(corpus.out) == original


def test_a_static_override_appearing_and_going_is_copied(corpus, tmp_path):
    original = tree(corpus.out)
    override = corpus.write("static/css/broadsheet.css", "body { color: red }\n")
    assert corpus.run().status == 0
    assert corpus.read("static/css/broadsheet.css") == "body { color: red }\n"
    assert_same_as_clean_build(corpus, tmp_path)
    override.unlink()
    assert corpus.run().status == 0
    assert tree(corpus.out) == original


@pytest.fixture
def own_theme(tmp_path, monkeypatch) -> Path:
    """A copy of the packaged theme, used in its place, for a test to edit as an upgrade would."""
    folder = tmp_path / "theme"
    shutil.copytree(theme.TEMPLATES, folder / "templates")
    shutil.copytree(theme.STATIC, folder / "static")
    monkeypatch.setattr(theme, "TEMPLATES", folder / "templates")
    monkeypatch.setattr(theme, "STATIC", folder / "static")
    return folder


def test_an_edit_to_the_packaged_theme_rerenders_and_copies_what_it_changed(own_theme, corpus, tmp_path):
    before = inodes(corpus.out)
    template = own_theme / "templates/article.html"
    template.write_text(template.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}<!--v2-->", 1),
                        encoding="utf-8")
    css = own_theme / "static/css/broadsheet.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* v2 */\n", encoding="utf-8")
    assert corpus.run().status == 0
    assert all("<!--v2-->" in p.read_text(encoding="utf-8") for p in corpus.out.rglob("a*.html"))
    assert corpus.read("static/css/broadsheet.css").endswith("/* v2 */\n")
    assert inodes(corpus.out)["archive/index.html"] == before["archive/index.html"], "pages not using it are reused"
    assert_same_as_clean_build(corpus, tmp_path)


def test_parallel_and_serial_builds_are_byte_identical(corpus, tmp_path):
    assert corpus.run("--clean", "--jobs", "1", "--out", str(tmp_path / "serial")).status == 0
    assert corpus.run("--clean", "--jobs", "2", "--out", str(tmp_path / "parallel")).status == 0
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel") == tree(corpus.out)


def test_work_done_meanwhile_runs_once_beside_the_workers_or_before_the_work_done_here():
    calls = []
    assert fork_map(lambda x: x * 2, range(200), 2, meanwhile=lambda: calls.append("beside workers")) == [x * 2 for x in range(200)]
    assert fork_map(lambda x: x * 2, range(3), 2, meanwhile=lambda: calls.append("here")) == [0, 2, 4]
    assert calls == ["beside workers", "here"]


class _TwoArguments(Exception):
    """An exception that pickles but does not unpickle (its __init__ wants two arguments)."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


def _raises(exception: BaseException):
    def task():
        raise exception
    return task


def test_a_background_task_raises_what_it_raised_with_the_childs_traceback_every_time_it_is_asked():
    join = in_background(_raises(ValueError("boom")), 2)
    for _ in range(2):
        with pytest.raises(ValueError, match="boom") as raised:
            join()
        assert "raised in a forked child" in "".join(raised.value.__notes__)


def test_a_background_exception_that_does_not_unpickle_still_says_what_was_raised():
    with pytest.raises(RuntimeError, match="_TwoArguments: boom"):
        in_background(_raises(_TwoArguments("boom", 2)), 2)()


def test_failed_incremental_build_keeps_the_old_output(corpus):
    before = inodes(corpus.out)
    path = first_article(corpus)
    path.write_text("---\ntitle: [坏\n---\n", encoding="utf-8")
    assert corpus.run().status == 1
    assert inodes(corpus.out) == before
    os.utime(path)


def add_article(corpus) -> None:
    edition = first_article(corpus).parent.parent.name
    corpus.article(f"{edition}/02/zz-new.md", "title: 新来的稿件\norder: 9\n", "正文。\n")


def test_a_corrupt_build_state_is_ignored(corpus, tmp_path):
    (corpus.root / ".broadsheet-cache/state/index.pickle").write_bytes(b"not a pickle")
    add_article(corpus)
    run = corpus.run("build", "--verbose")
    assert run.status == 0
    assert ".broadsheet-cache/state is damaged or from another version of Broadsheet: ignored" in run.out + run.err
    assert_same_as_clean_build(corpus, tmp_path)


def test_unchanged_rebuild_reports_the_same_warnings_and_summary(corpus):
    edition = first_article(corpus).parent.parent.name
    corpus.article(f"{edition}/02/zz-warn.md", "title: 有警告\n", "大家好,欢迎。\n")
    first = corpus.run()
    second = corpus.run()
    assert first.status == second.status == 0
    assert first.err == second.err and "warning: half-width" in first.err
    assert first.out.split(" in ")[0] == second.out.split(" in ")[0]


def test_unchanged_rebuild_with_strict_still_fails_on_warnings(corpus):
    edition = first_article(corpus).parent.parent.name
    corpus.article(f"{edition}/02/zz-warn.md", "title: 有警告\n", "大家好,欢迎。\n")
    assert corpus.run().status == 0
    assert corpus.run("--strict").status == 1


def test_an_articles_body_and_what_is_measured_from_it_are_its_last_fields():
    # digests.Digests cuts them off an article's repr for the digest of the pages listing it
    import dataclasses

    from broadsheet.model import Article

    assert [f.name for f in dataclasses.fields(Article)][-2:] == ["body", "text_length"]


def test_streamed_results_come_in_order_while_the_workers_go_on():
    taken = []
    for result in fork_stream(lambda x: (x, os.getpid()), range(300), 2):
        taken.append(result)
    assert [x for x, _ in taken] == list(range(300))
    assert os.getpid() not in {pid for _, pid in taken}


def test_a_stream_left_early_ends_its_workers():
    found = fork_stream(lambda x: x, range(300), 2)
    assert next(found) == 0
    found.close()
    assert multiprocessing.active_children() == []
