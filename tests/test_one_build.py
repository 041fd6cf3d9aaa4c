"""One build for a first build and for an edit: it reads the sources that changed, renders the
outputs whose digest changed, and its output equals a clean build of the same input."""

from __future__ import annotations

import pathlib
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from broadsheet import changes, digests, listing, saving, scanning, state
from conftest import Site, tree
from test_incremental import first_article, inodes, url_of


def clean_build_of(site: Site, tmp_path: Path) -> dict[str, str]:
    """The output of a clean build of a copy of the site's inputs (the site's own state untouched)."""
    copy = tmp_path / "copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site.root, copy, ignore=shutil.ignore_patterns("_site*", ".broadsheet-cache"))
    assert Site(copy).run("--clean").status == 0
    return tree(copy / "_site")


class Work:
    """What one build did: the article files it read, the outputs it rendered, what it printed."""

    def __init__(self, read: set[str], rendered: int, total: int, err: str):
        self.read, self.rendered, self.total, self.err = read, rendered, total, err


def build(corpus: Site, monkeypatch, *args: str, status: int = 0) -> Work:
    """A build on one core (so that every file read is read here, and counted)."""
    read: set[str] = set()
    original = pathlib.Path.read_bytes

    def counted(path):
        if path.suffix == ".md":
            read.add(path.relative_to(corpus.root).as_posix())
        return original(path)

    monkeypatch.setattr(pathlib.Path, "read_bytes", counted)
    run = corpus.run("--verbose", "--jobs", "1", *args)
    monkeypatch.setattr(pathlib.Path, "read_bytes", original)
    assert run.status == status, run.err
    found = re.search(r"rendered (\d+) of (\d+) outputs", run.err)
    rendered, total = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
    return Work(read, rendered, total, run.err)


def articles(site: Site) -> list[Path]:
    return sorted((site.root / "content").rglob("a*.md"))


def rel(site: Site, path: Path) -> str:
    return path.relative_to(site.root).as_posix()


def append(path: Path, text: str = "\n新增的一段正文。\n") -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def retitle(path: Path, title: str = "改过的") -> None:
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", f"title: {title}", 1), encoding="utf-8")


def retag(path: Path) -> None:
    """A front matter edit that changes where the article is listed."""
    path.write_text(path.read_text(encoding="utf-8").replace("tags: [", "tags: [新标签, ", 1), encoding="utf-8")


def test_a_rebuild_with_no_change_reads_no_article_and_renders_nothing(corpus, monkeypatch):
    work = build(corpus, monkeypatch)
    assert work.read == set() and work.rendered == 0


class Counted:
    """How often a build called each of some functions (wrapped with `count`)."""

    def __init__(self, monkeypatch):
        self.monkeypatch, self.calls = monkeypatch, {}

    def count(self, owner, name: str) -> None:
        original = getattr(owner, name)
        self.calls[name] = 0

        def counted(*args, **kwargs):
            self.calls[name] += 1
            return original(*args, **kwargs)

        self.monkeypatch.setattr(owner, name, counted)


def test_a_build_reading_every_article_asks_no_files_status_its_scan_found(corpus, monkeypatch):
    """The scan that found what changed has each file's time and size: the read that follows
    takes them from there (at 50,000 articles, 0.17 s of one core alone), not from the system."""
    asked: list[str] = []
    original = pathlib.Path.stat

    def counted(path, **kwargs):
        if path.suffix == ".md":
            asked.append(path.name)
        return original(path, **kwargs)

    monkeypatch.setattr(pathlib.Path, "stat", counted)
    work = build(corpus, monkeypatch, "--clean")
    assert work.read == {rel(corpus, path) for path in articles(corpus)}
    assert asked == []


def test_a_rebuild_with_no_change_reads_the_head_of_the_build_state_alone(corpus, monkeypatch):
    counted = Counted(monkeypatch)
    counted.count(state, "load")
    counted.count(state.Shards, "read")
    build(corpus, monkeypatch)
    assert counted.calls == {"load": 0, "read": 0}


def test_a_rebuild_with_no_change_imports_no_template_engine_markdown_pictures_or_model(corpus):
    program = ("import sys; from broadsheet.cli import main; status = main(sys.argv[1:]); "
               "print(status, *sorted(m for m in ('jinja2', 'markdown', 'PIL', 'broadsheet.model', "
               "'broadsheet.pipeline') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", program, "--quiet", "--config", str(corpus.root / "site.yaml")],
                          cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["0"], done.stderr


def test_a_body_edit_digests_again_the_outputs_showing_that_article_alone(corpus, monkeypatch):
    counted = Counted(monkeypatch)
    counted.count(digests.Digests, "output")
    append(in_no_feed(corpus))
    work = build(corpus, monkeypatch)
    assert counted.calls["output"] == work.rendered == 1


def in_no_feed(corpus: Site) -> Path:
    """An article of the oldest edition in no column: in no feed, which would carry its text."""
    return next(p for p in articles(corpus) if "column:" not in p.read_text(encoding="utf-8"))


def test_a_body_edit_reads_that_article_alone_and_renders_its_page_alone(corpus, tmp_path, monkeypatch):
    path = in_no_feed(corpus)
    append(path)
    work = build(corpus, monkeypatch)
    assert work.read == {rel(corpus, path)}
    assert work.rendered == 1 and work.total > 200
    assert "新增的一段正文" in corpus.read(url_of(path))
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_body_edit_rewrites_its_editions_build_state_and_the_index_alone(corpus, monkeypatch):
    folder = corpus.root / ".broadsheet-cache" / state.STATE
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    path = first_article(corpus)
    append(path)
    build(corpus, monkeypatch)
    after = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    # the scan's kept listings are written again whenever a folder has been still long enough since
    # the last build (scanning.SETTLED_NS): the clock's doing, not the edit's
    rewritten = {name for name in after if after[name] != before.get(name)} - {scanning.LISTING}
    assert rewritten == {state.INDEX, f"{path.parent.parent.name}.pickle"}


def test_a_body_edit_on_several_cores_gives_the_same_output(corpus, tmp_path):
    retitle(first_article(corpus))
    append(articles(corpus)[-1])
    assert corpus.run().status == 0
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_headline_edit_renders_every_list_showing_it(corpus, tmp_path, monkeypatch):
    path = first_article(corpus)
    retitle(path, "新标题")
    work = build(corpus, monkeypatch)
    assert work.read == {rel(corpus, path)} and 1 < work.rendered < work.total / 4
    edition = path.parent.parent.name
    for url in (url_of(path), url_of(path, "index.html"), f"{edition}/index.html"):
        assert "新标题" in corpus.read(url).replace("<wbr>", "")  # phrase breaks
    assert any("新标题" in p.read_text(encoding="utf-8").replace("<wbr>", "") for p in (corpus.out / "tags").glob("*.html"))
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_headline_edit_rewrites_the_one_page_of_its_column_listing_it(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(listing, "PER_PAGE", 2)  # the column in pages of two articles
    build(corpus, monkeypatch, "--clean")
    pages = sorted((corpus.out / "columns").rglob("*.html"))
    path = next(p for p in articles(corpus) if "column:" in p.read_text(encoding="utf-8"))
    before = inodes(corpus.out / "columns")
    retitle(path, "新标题")
    build(corpus, monkeypatch)
    after = inodes(corpus.out / "columns")
    rewritten = [name for name in after if name.endswith(".html") and name != "index.html" and after[name] != before.get(name)]
    assert len(pages) > 3 and len(rewritten) == 1
    assert "新标题" in (corpus.out / "columns" / rewritten[0]).read_text(encoding="utf-8").replace("<wbr>", "")
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_an_added_article_is_the_one_file_read(corpus, tmp_path, monkeypatch):
    edition = first_article(corpus).parent.parent.name
    added = corpus.article(f"{edition}/02/zz-new.md", "title: 新来的稿件\norder: 9\n", "正文。\n")
    work = build(corpus, monkeypatch)
    assert work.read == {rel(corpus, added)}
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_an_article_moved_by_its_front_matter_gives_the_clean_build(corpus, tmp_path, monkeypatch):
    path = first_article(corpus)
    retag(path)
    assert build(corpus, monkeypatch).read == {rel(corpus, path)}
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_edits_put_back_give_the_first_output_again(corpus):
    before = tree(corpus.out)
    path = first_article(corpus)
    original = path.read_text(encoding="utf-8")
    retitle(path)
    assert corpus.run().status == 0
    append(path)
    assert corpus.run().status == 0
    path.write_text(original, encoding="utf-8")
    assert corpus.run().status == 0
    assert tree(corpus.out) == before


def test_a_headline_standing_in_for_a_photos_alt_text_gives_the_clean_build(corpus, tmp_path):
    path = first_article(corpus)
    path.write_text(path.read_text(encoding="utf-8").replace("caption: 振兴现场。, ", "").replace(", alt: 现场", ""),
                    encoding="utf-8")
    assert corpus.run().status == 0
    retitle(path)
    assert corpus.run().status == 0
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_body_edit_that_changes_the_summary_updates_the_lists_showing_it(corpus, tmp_path):
    path = first_article(corpus)
    front, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    path.write_text(front + "\n---\n\n改写后的第一段，摘要随之改变。\n" + body, encoding="utf-8")
    assert corpus.run().status == 0
    assert "改写后的第一段" in corpus.read(url_of(path, "index.html"))
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_new_warning_in_a_body_is_reported_by_this_build_and_the_next(corpus, monkeypatch):
    path = first_article(corpus)
    original = path.read_text(encoding="utf-8")
    append(path, "\n大家好,欢迎。\n")
    assert "warning: half-width" in build(corpus, monkeypatch).err
    assert "warning: half-width" in corpus.run().err
    path.write_text(original, encoding="utf-8")
    assert "warning" not in build(corpus, monkeypatch).err


def test_a_warning_with_strict_fails_and_keeps_the_output(corpus):
    append(first_article(corpus), "\n大家好,欢迎。\n")
    before = inodes(corpus.out)
    assert corpus.run("--strict").status == 1
    assert inodes(corpus.out) == before


def test_a_body_linking_to_a_missing_image_fails_and_keeps_the_output(corpus):
    before = inodes(corpus.out)
    append(first_article(corpus), "\n![图](missing.jpg)\n")
    run = corpus.run()
    assert run.status == 1 and "missing.jpg" in run.err
    assert inodes(corpus.out) == before


def test_a_build_killed_before_saving_its_state_is_not_trusted(corpus, monkeypatch):
    before = tree(corpus.out)
    path = first_article(corpus)
    original = path.read_text(encoding="utf-8")
    monkeypatch.setattr(saving, "save", lambda *args, **kwargs: False)  # killed once the output was replaced
    append(path)
    assert corpus.run().status == 0
    monkeypatch.undo()
    path.write_text(original, encoding="utf-8")  # back to what the saved state describes
    assert corpus.run().status == 0
    assert tree(corpus.out) == before


def test_building_to_another_folder_gives_a_whole_site_there(corpus, tmp_path):
    append(first_article(corpus))
    assert corpus.run("--out", str(tmp_path / "elsewhere")).status == 0
    assert tree(tmp_path / "elsewhere") == clean_build_of(corpus, tmp_path)


@pytest.mark.parametrize("damage", ["index", "shard", "site", "format"])
def test_a_damaged_or_older_build_state_is_ignored_with_a_note(corpus, tmp_path, monkeypatch, damage):
    folder = corpus.root / ".broadsheet-cache" / state.STATE
    path = first_article(corpus)
    if damage == "format":
        with (folder / state.INDEX).open("wb") as handle:
            pickle.dump((changes.FORMAT - 1, {"sources": {}}, {}), handle)
    else:
        name = {"index": state.INDEX, "shard": f"{path.parent.parent.name}.pickle", "site": f"{state.SITE}.pickle"}[damage]
        (folder / name).write_bytes(b"not a pickle")
    append(path)
    work = build(corpus, monkeypatch)
    assert "is damaged or from another version of Broadsheet: ignored" in work.err or "damaged or missing shard" in work.err
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_build_with_nothing_changed_reads_the_head_of_the_index_alone(corpus, tmp_path, monkeypatch):
    """The index's head is its file's first pickle: with the rest cut off, nothing changed stands
    as the last build; an edit then finds the state damaged and builds everything."""
    index = corpus.root / ".broadsheet-cache" / state.STATE / state.INDEX
    with index.open("rb") as handle:
        pickle.load(handle)
        head = handle.tell()
    with index.open("r+b") as handle:
        handle.truncate(head)
    assert "no input changed since the last build of this output" in build(corpus, monkeypatch).err
    append(first_article(corpus))
    assert "is damaged or from another version of Broadsheet: ignored" in build(corpus, monkeypatch).err
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_the_cache_folder_holds_four_kinds_of_files(corpus):
    append(first_article(corpus))
    assert corpus.run().status == 0
    kinds = {re.sub(r"-[0-9a-f]+$", "-*", p.name) for p in (corpus.root / ".broadsheet-cache").iterdir()}
    assert kinds == {"state", "bodies-*", "search", "pictures"}  # pictures/: the derivatives of photos (issue 15)


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
        retag,
    ]
    steps = random.Random(11)
    for _ in range(8):
        steps.choice(edits)(steps.choice(chosen))
        assert corpus.run().status == 0
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_lint_switch_added_to_the_front_matter_silences_its_warning(corpus):
    path = first_article(corpus)
    path.write_text(path.read_text(encoding="utf-8").replace("caption: 振兴现场。, ", ""), encoding="utf-8")
    assert "photo has no caption" in corpus.run().err
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.split("\n") if "src: images/" in line)
    path.write_text(text.replace(line, line + "  # lint: ignore=photo-caption"), encoding="utf-8")
    run = corpus.run()
    assert run.status == 0 and "photo has no caption" not in run.err


def test_a_forced_break_put_into_a_headline_gives_a_clean_builds_output(corpus, tmp_path):
    path = first_article(corpus)
    retitle(path, "乡亲|")  # the break changes where the headline breaks, not only its text
    assert corpus.run().status == 0
    assert "乡亲<br>" in corpus.read(url_of(path))
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def loaded_sample(tmp_path_factory):
    from broadsheet import pipeline
    from broadsheet.problems import Problems
    from conftest import build_sample

    made, _ = build_sample(tmp_path_factory, "one")
    options = pipeline.Options(config_path=made.root / "site.yaml", out=made.out)
    return pipeline.load(options, Problems())


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


def test_rendering_every_article_again_reads_each_body_shard_once_and_keeps_few(tmp_path_factory, monkeypatch):
    """A template edit re-renders the archive from the body store on disk: in shard order, each
    renderer reads each shard once and holds few (at 50,000 articles each rendering worker held
    every body: 1,228 MB)."""
    from broadsheet.cache import BodyStore
    from broadsheet.plan import plan
    from broadsheet.render import BodyHtml, Renderer, body_order

    loaded = loaded_sample(tmp_path_factory)
    loaded.store.save({a.body.key for a in loaded.site.articles})  # on disk, out of memory: as in a rebuild
    assert not loaded.store.shards
    reads: list[str] = []
    shard = BodyStore._shard

    def counted(store, name):
        if name not in store.shards:
            reads.append(name)
        return shard(store, name)

    monkeypatch.setattr(BodyStore, "_shard", counted)
    bodies = BodyHtml(loaded.store)
    bodies.KEPT_SHARDS = 1
    renderer = Renderer(loaded.env, loaded.site, loaded.config, bodies)
    outputs = plan(loaded.site, loaded.config, loaded.cache.slug_of)
    order = body_order(outputs)
    first = next(n for n, index in enumerate(order) if outputs[index].template == "article.html")
    assert all(outputs[index].template == "article.html" for index in order[first:])
    held = 0
    for n, index in enumerate(order):
        if n == first:
            reads.clear()  # the feed's bodies come from many shards, read before the articles'
        renderer.render(outputs[index])
        held = max(held, len(loaded.store.shards))
    shards = [a.body.key[:2] for a in loaded.site.articles]
    assert len(set(shards)) < len(shards)  # some share a shard
    assert len(reads) == len(set(reads)) >= len(set(shards)) - 1  # each read once (one may be kept from the feed)
    assert held == 1
