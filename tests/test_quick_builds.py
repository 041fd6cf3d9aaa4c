"""Quick builds: when only article bodies changed, the build sets them into the last full build's
snapshot instead of reading the whole site, and its output still equals a clean full build."""

from __future__ import annotations

import shutil
from pathlib import Path

from broadsheet import snapshot
from conftest import Site, tree
from test_incremental import first_article, inodes, url_of

QUICK = "quick build on the last full build's snapshot"


def clean_build_of(site: Site, tmp_path: Path) -> dict[str, str]:
    """The output of a clean build of a copy of the site's inputs (the site's own cache untouched)."""
    copy = tmp_path / "copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site.root, copy, ignore=shutil.ignore_patterns("_site*", ".broadsheet-cache"))
    assert Site(copy).run("--clean").status == 0
    return tree(copy / "_site")


def articles(site: Site) -> list[Path]:
    return sorted((site.root / "content").rglob("a*.md"))


def built(corpus: Site, quick: bool):
    """A verbose build that succeeded, taking the quick way or the full way as said."""
    run = corpus.run("--verbose")
    assert run.status == 0 and (QUICK in run.err) == quick, run.err
    return run


def append(path: Path, text: str = "\n新增的一段正文。\n") -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def retitle(path: Path, title: str = "改过的") -> None:
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", f"title: {title}", 1), encoding="utf-8")


def retag(path: Path) -> None:
    """A front matter edit that changes where the article is listed."""
    path.write_text(path.read_text(encoding="utf-8").replace("tags: [", "tags: [新标签, ", 1), encoding="utf-8")


def test_a_body_edit_is_a_quick_build_equal_to_a_clean_build(corpus, tmp_path):
    path = first_article(corpus)
    append(path)
    built(corpus, quick=True)
    assert "新增的一段正文" in corpus.read(url_of(path))
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_quick_build_on_one_core_gives_the_same_output(corpus, tmp_path):
    retitle(first_article(corpus))
    run = corpus.run("--verbose", "--jobs", "1")
    assert run.status == 0 and QUICK in run.err
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_quick_builds_in_a_row_and_a_full_build_after_them_equal_clean_builds(corpus, tmp_path):
    first, second = articles(corpus)[0], articles(corpus)[-1]
    append(first)
    built(corpus, quick=True)
    append(second, "\n另一篇稿件的新段落。\n")
    built(corpus, quick=True)
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)
    retag(first)
    built(corpus, quick=False)
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_headline_edit_is_a_quick_build_that_updates_every_list_showing_it(corpus, tmp_path):
    path = first_article(corpus)
    retitle(path, "新标题")
    built(corpus, quick=True)
    edition = path.parent.parent.name
    for url in (url_of(path), url_of(path, "index.html"), f"{edition}/index.html", "tags/index.html"):
        assert "新标题" in corpus.read(url).replace("<wbr>", "") or url == "tags/index.html"  # phrase breaks
    assert any("新标题" in p.read_text(encoding="utf-8").replace("<wbr>", "") for p in (corpus.out / "tags").glob("*.html"))
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_headline_and_a_body_edited_and_put_back_give_the_first_output_again(corpus):
    before = tree(corpus.out)
    path = first_article(corpus)
    original = path.read_text(encoding="utf-8")
    retitle(path)
    built(corpus, quick=True)
    append(path)
    built(corpus, quick=True)
    path.write_text(original, encoding="utf-8")
    built(corpus, quick=True)
    assert tree(corpus.out) == before


def test_a_front_matter_edit_that_moves_the_article_takes_the_full_build(corpus, tmp_path):
    retag(first_article(corpus))
    built(corpus, quick=False)
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_headline_standing_in_for_a_photos_alt_text_takes_the_full_build(corpus, tmp_path):
    path = first_article(corpus)
    path.write_text(path.read_text(encoding="utf-8").replace("caption: 振兴现场。, ", "").replace(", alt: 现场", ""),
                    encoding="utf-8")
    assert corpus.run().status == 0
    retitle(path)
    built(corpus, quick=False)
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_body_edit_that_changes_the_summary_updates_the_lists_showing_it(corpus, tmp_path):
    path = first_article(corpus)
    front, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    path.write_text(front + "\n---\n\n改写后的第一段，摘要随之改变。\n" + body, encoding="utf-8")
    built(corpus, quick=True)
    assert "改写后的第一段" in corpus.read(url_of(path, "index.html"))
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_an_added_article_takes_the_full_build(corpus):
    edition = first_article(corpus).parent.parent.name
    corpus.article(f"{edition}/02/zz-new.md", "title: 新来的稿件\norder: 9\n", "正文。\n")
    built(corpus, quick=False)


def test_a_new_warning_in_a_body_is_reported_by_the_quick_build_and_the_next(corpus):
    path = first_article(corpus)
    original = path.read_text(encoding="utf-8")
    append(path, "\n大家好,欢迎。\n")
    first = corpus.run("--verbose")
    assert first.status == 0 and QUICK in first.err and "warning: half-width" in first.err
    second = corpus.run()
    assert second.status == 0 and "warning: half-width" in second.err
    path.write_text(original, encoding="utf-8")
    third = corpus.run("--verbose")
    assert QUICK in third.err and "warning" not in third.err


def test_a_warning_with_strict_fails_as_the_full_build_does(corpus):
    append(first_article(corpus), "\n大家好,欢迎。\n")
    before = inodes(corpus.out)
    assert corpus.run("--strict").status == 1
    assert inodes(corpus.out) == before


def test_a_body_linking_to_a_missing_image_takes_the_full_build_and_keeps_the_output(corpus):
    before = inodes(corpus.out)
    append(first_article(corpus), "\n![图](missing.jpg)\n")
    run = corpus.run("--verbose")
    assert run.status == 1 and "missing.jpg" in run.err and QUICK not in run.err
    assert inodes(corpus.out) == before


def test_a_quick_build_killed_before_keeping_its_edits_is_not_trusted(corpus, monkeypatch):
    before = tree(corpus.out)
    path = first_article(corpus)
    original = path.read_text(encoding="utf-8")
    calls = []
    keep = snapshot.save_edits

    def killed_after_the_commit(root, edits):
        calls.append(edits)
        return keep(root, edits) if len(calls) == 1 else True  # the second call, after the commit, never happens

    monkeypatch.setattr(snapshot, "save_edits", killed_after_the_commit)
    append(path)
    built(corpus, quick=True)
    monkeypatch.setattr(snapshot, "save_edits", keep)
    path.write_text(original, encoding="utf-8")
    assert corpus.run().status == 0
    assert tree(corpus.out) == before


def test_a_full_build_after_quick_ones_knows_what_they_rewrote(corpus, tmp_path):
    first, second = articles(corpus)[0], articles(corpus)[-1]
    original = first.read_text(encoding="utf-8")
    append(first)
    built(corpus, quick=True)
    first.write_text(original, encoding="utf-8")  # back to what the full build's cache last saw
    retag(second)
    built(corpus, quick=False)
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_building_to_another_folder_takes_the_full_build(corpus, tmp_path):
    append(first_article(corpus))
    run = corpus.run("--verbose", "--out", str(tmp_path / "elsewhere"))
    assert run.status == 0 and QUICK not in run.err


def test_a_damaged_snapshot_is_ignored(corpus, tmp_path):
    (corpus.root / ".broadsheet-cache" / snapshot.MODEL).write_bytes(b"not a pickle")
    append(first_article(corpus))
    built(corpus, quick=False)
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def loaded_sample(tmp_path_factory):
    from broadsheet import pipeline
    from broadsheet.problems import Problems
    from conftest import build_sample

    made, _ = build_sample(tmp_path_factory, "quick")
    options = pipeline.Options(config_path=made.root / "site.yaml", out=made.out)
    return pipeline.load(options, Problems())


def test_digests_updated_after_an_edit_equal_digests_made_afresh(tmp_path_factory):
    from broadsheet.markup import BodyMeta
    from broadsheet.digests import Digests

    loaded = loaded_sample(tmp_path_factory)
    digests = Digests(loaded.env, loaded.site, loaded.config, "code")
    article = loaded.site.articles[3]
    meta = BodyMeta(article.body.references, article.summary, article.text_length + 7, (), ())
    fields = {"title": "另一个标题", "kicker": None, "subtitle": None, "dateline": None, "summary": "另一个摘要"}
    model = snapshot.Model("", loaded.site, [], {}, (), {}, (), {}, (), {}, {})
    snapshot.apply(model, article, snapshot.Edit(article.source, (0, 0), "another body", meta, (), fields))
    fresh = Digests(loaded.env, loaded.site, loaded.config, "code")
    assert digests.state() != fresh.state()
    digests.update([article])
    assert digests.state() == fresh.state() and digests.everything == fresh.everything


def test_each_outputs_digest_names_the_articles_whose_bodies_it_shows(tmp_path_factory):
    from broadsheet.digests import Digests
    from broadsheet.plan import plan
    from broadsheet.render import BodyHtml, Renderer

    loaded = loaded_sample(tmp_path_factory)
    digests = Digests(loaded.env, loaded.site, loaded.config, "code")
    renderer = Renderer(loaded.env, loaded.site, loaded.config, BodyHtml(loaded.store))
    outputs = plan(loaded.site, loaded.config, loaded.cache.slug_of)
    for output in outputs:
        digests.output(output, renderer)
    article = loaded.site.articles[0]
    page = loaded.site.editions[0].pages[0]
    assert digests.deps[article.url] == {article.url}  # its own body; its neighbours' headlines only
    assert digests.deps[page.url] == frozenset()  # a page view lists headlines and summaries
    assert article.url in digests.mentions[page.url]
    feed = next(o for o in outputs if o.url == "atom.xml")
    assert digests.deps["atom.xml"] >= {entry.url for entry in feed.context["entries"]}
    tag = next(o for o in outputs if o.template == "tag.html")
    assert digests.mentions[tag.url] == {ref.url for ref in tag.context["term"].articles}


def test_a_day_of_mixed_edits_gives_the_clean_build(corpus, tmp_path):
    import random

    chosen = random.Random(7).sample(articles(corpus), 5)
    originals = {path: path.read_text(encoding="utf-8") for path in chosen}
    edits = [
        lambda p: append(p),
        lambda p: retitle(p, "午间更新"),
        lambda p: p.write_text(p.read_text(encoding="utf-8").replace("kicker: ", "kicker: 新", 1), encoding="utf-8"),
        lambda p: p.write_text(originals[p], encoding="utf-8"),
        lambda p: p.write_text(p.read_text(encoding="utf-8").replace("\n---\n", "\nsummary: 编辑写的摘要\n---\n", 1),
                               encoding="utf-8"),
    ]
    steps = random.Random(11)
    for _ in range(8):
        steps.choice(edits)(steps.choice(chosen))
        built(corpus, quick=True)
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_damaged_edits_file_makes_the_next_build_render_everything(corpus, tmp_path):
    path = first_article(corpus)
    original = path.read_text(encoding="utf-8")
    retitle(path)
    built(corpus, quick=True)
    (corpus.root / ".broadsheet-cache" / snapshot.EDITS).write_bytes(b"damaged")
    path.write_text(original, encoding="utf-8")
    built(corpus, quick=False)
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_quick_builds_edits_outlive_a_full_build_whose_cache_was_not_saved(corpus, tmp_path, monkeypatch):
    from broadsheet import cache

    path = first_article(corpus)
    original = path.read_text(encoding="utf-8")
    retitle(path)
    built(corpus, quick=True)
    template = corpus.override("templates/front.html")
    template.write_text(template.read_text(encoding="utf-8") + "<!-- v2 -->\n", encoding="utf-8")
    monkeypatch.setattr(cache, "save", lambda root, found: False)  # killed before the cache was written
    assert corpus.run().status == 0
    monkeypatch.undo()
    path.write_text(original, encoding="utf-8")
    assert corpus.run().status == 0
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_lint_switch_added_to_the_front_matter_takes_the_full_build(corpus):
    path = first_article(corpus)
    path.write_text(path.read_text(encoding="utf-8").replace("caption: 振兴现场。, ", ""), encoding="utf-8")
    assert "photo has no caption" in corpus.run().err
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.split("\n") if "src: images/" in line)
    path.write_text(text.replace(line, line + "  # lint: ignore=photo-caption"), encoding="utf-8")
    run = built(corpus, quick=False)
    assert "photo has no caption" not in run.err


def test_a_forced_break_put_into_a_headline_gives_a_clean_builds_output(corpus, tmp_path):
    path = first_article(corpus)
    retitle(path, "乡亲|")  # the break changes where the headline breaks, not only its text
    corpus.run()
    assert "乡亲<br>" in corpus.read(url_of(path))
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)
