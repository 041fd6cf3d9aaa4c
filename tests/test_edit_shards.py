"""An edit of an old article's body reads its edition's shard of the build state and the index,
not the archive (issue 14); anything more than that reads the whole kept model, and the output
equals a clean build of the same input either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet import archive, listed, partial, render, search, state
from conftest import Site, tree
from test_one_build import append, articles, build, clean_build_of, in_no_feed, retitle


def shards_read(monkeypatch) -> list[str]:
    """The names of the build state's shards each build reads from here on, in order."""
    read: list[str] = []
    original = state.Shards.read

    def counted(self, name, *args, **kwargs):
        read.append(name)
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(state.Shards, "read", counted)
    return read


def shards_read_with_model(monkeypatch) -> list[tuple[str, bool]]:
    """Each shard each build reads from here on, and whether its part of the kept model with it."""
    read: list[tuple[str, bool]] = []
    original = state.Shards.read

    def counted(self, name, *args, model=False, **kwargs):
        read.append((name, model))
        return original(self, name, *args, model=model, **kwargs)

    monkeypatch.setattr(state.Shards, "read", counted)
    return read


def edition_of(path: Path) -> str:
    return path.parent.parent.name


def every_shard(corpus: Site) -> set[str]:
    """The shards the whole kept model is read from: all but the listing pages' side shards (`listed`)."""
    return {p.stem for p in (corpus.root / ".broadsheet-cache" / state.STATE).glob("*.pickle")
            if not listed.is_side(p.stem)} - {"index"}


def test_a_body_edit_of_an_old_article_reads_one_edition_shard(corpus, tmp_path, monkeypatch):
    read = shards_read(monkeypatch)
    path = in_no_feed(corpus)
    append(path)
    work = build(corpus, monkeypatch)
    assert read == [edition_of(path)]
    assert work.rendered == 1 and work.total > 200 and "read from 1 of its shards alone" in work.err
    assert "新增的一段正文" in corpus.read(path.relative_to(corpus.root / "content").with_suffix(".html").as_posix())
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_the_next_edit_after_one_read_from_a_shard_reads_one_shard_again(corpus, tmp_path, monkeypatch):
    path = in_no_feed(corpus)
    append(path)
    build(corpus, monkeypatch)
    read = shards_read(monkeypatch)
    append(path, "\n又一段正文。\n")
    build(corpus, monkeypatch)
    assert read == [edition_of(path)]
    retitle(path)  # a listing field: the whole model, as the shard just written left it
    build(corpus, monkeypatch)
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_body_edits_in_two_old_editions_read_their_two_shards(corpus, tmp_path, monkeypatch):
    old = [p for p in articles(corpus) if "column:" not in p.read_text(encoding="utf-8")]
    first = old[0]
    second = next(p for p in old if edition_of(p) != edition_of(first))
    read = shards_read(monkeypatch)
    append(first)
    append(second)
    work = build(corpus, monkeypatch)
    if "read from 2 of its shards alone" in work.err:
        assert sorted(read) == sorted({edition_of(first), edition_of(second)})
    else:  # the second is one a feed shows: everything is read
        assert set(read) == every_shard(corpus)
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_body_edit_of_an_article_a_feed_shows_reads_the_whole_state(corpus, tmp_path, monkeypatch):
    read = shards_read(monkeypatch)
    newest = articles(corpus)[-1]  # of the newest edition: the feeds carry its body
    append(newest)
    work = build(corpus, monkeypatch)
    assert set(read) == every_shard(corpus) and "shards alone" not in work.err
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_template_edit_reads_the_records_of_every_edition_shard_and_no_part_of_the_kept_model(
        corpus, tmp_path, monkeypatch):
    read = shards_read_with_model(monkeypatch)
    template = corpus.root / "templates" / "article.html"
    template.parent.mkdir(exist_ok=True)
    theme = Path(render.__file__).parent / "theme" / "templates" / "article.html"
    template.write_text(theme.read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8")
    build(corpus, monkeypatch)
    assert {name for name, _ in read} == every_shard(corpus) - {state.SITE} and not any(model for _, model in read)
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_an_article_added_reads_the_records_of_every_edition_shard_and_no_part_of_the_kept_model(
        corpus, tmp_path, monkeypatch):
    read = shards_read_with_model(monkeypatch)
    old = in_no_feed(corpus)
    (old.parent / "zz-added.md").write_text("---\ntitle: 新增稿件\n---\n\n正文。\n", encoding="utf-8")
    build(corpus, monkeypatch)
    assert {name for name, _ in read} == every_shard(corpus) - {state.SITE} and not any(model for _, model in read)
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


@pytest.fixture
def few_recent(corpus, monkeypatch) -> Site:
    """The corpus with the newest edition alone among the archive page's recent ones: its oldest
    editions, like those of a five-year archive, are then shown by listing pages alone."""
    monkeypatch.setattr(archive, "RECENT", 1)
    assert corpus.run("--clean").status == 0
    return corpus


def test_a_headline_edit_of_an_old_article_reads_its_editions_shard_and_side_shards_alone(few_recent, tmp_path,
                                                                                          monkeypatch):
    corpus = few_recent
    read = shards_read(monkeypatch)
    path = in_no_feed(corpus)
    retitle(path, "新标题")
    work = build(corpus, monkeypatch)
    assert read[0] == edition_of(path) and read[1:] and all(listed.is_side(name) for name in read[1:])
    assert "shards alone" in work.err
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)
    read.clear()
    retitle(path, "又一个标题")  # the side shards just written are read again
    build(corpus, monkeypatch)
    assert read[0] == edition_of(path) and "site" not in read
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_headline_edit_of_an_article_the_archive_page_shows_reads_the_whole_state(corpus, tmp_path, monkeypatch):
    read = shards_read(monkeypatch)
    path = in_no_feed(corpus)  # of an edition among the archive page's recent ones: not kept by value
    retitle(path, "新标题")
    work = build(corpus, monkeypatch)
    assert set(read) == every_shard(corpus) and "shards alone" not in work.err
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


def test_a_lost_side_shard_makes_a_headline_edit_read_the_whole_state(few_recent, tmp_path, monkeypatch):
    for side in (few_recent.root / ".broadsheet-cache" / state.STATE).glob(f"{listed.PREFIX}*.pickle"):
        side.unlink()
    read = shards_read(monkeypatch)
    retitle(in_no_feed(few_recent), "新标题")
    work = build(few_recent, monkeypatch)
    assert set(read) >= every_shard(few_recent) and "side shard" in work.err
    assert tree(few_recent.out) == clean_build_of(few_recent, tmp_path)


def test_an_article_template_showing_the_latest_edition_makes_a_body_edit_read_the_whole_state(corpus, tmp_path,
                                                                                               monkeypatch):
    theme = Path(render.__file__).parent / "theme" / "templates" / "article.html"
    template = theme.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}<p>{{ latest.id }}</p>", 1)
    corpus.write("templates/article.html", template)
    assert corpus.run().status == 0
    read = shards_read(monkeypatch)
    append(in_no_feed(corpus))
    build(corpus, monkeypatch)
    assert set(read) == every_shard(corpus)
    assert tree(corpus.out) == clean_build_of(corpus, tmp_path)


@pytest.fixture
def one_bucket(corpus, monkeypatch) -> Site:
    """The corpus with every edition in one search bucket (that of the year), as an old one is."""
    monkeypatch.setattr(search.bundle, "RECENT", 0)
    assert corpus.run("--clean").status == 0
    return corpus


def test_a_body_edit_patches_its_years_search_bundle_from_one_shard(one_bucket, tmp_path, monkeypatch):
    read = shards_read(monkeypatch)
    path = in_no_feed(one_bucket)
    append(path, "\n独一无二的检索词语。\n")
    work = build(one_bucket, monkeypatch)
    assert read == [edition_of(path)] and "1 patched" in work.err
    assert tree(one_bucket.out) == clean_build_of(one_bucket, tmp_path)


def test_a_search_bundle_whose_kept_rows_are_lost_makes_the_edit_start_again_from_the_whole_state(
        one_bucket, tmp_path, monkeypatch):
    for kept in (one_bucket.root / ".broadsheet-cache" / "search").glob("*.pickle"):
        kept.unlink()
    read = shards_read(monkeypatch)
    append(in_no_feed(one_bucket))
    work = build(one_bucket, monkeypatch)
    assert "the whole kept model is read" in work.err
    assert set(read) >= every_shard(one_bucket)
    assert tree(one_bucket.out) == clean_build_of(one_bucket, tmp_path)


def test_the_renderers_site_wide_variables_are_those_a_partial_model_leaves_out(tmp_path):
    from broadsheet.config import load_config
    from broadsheet.model import Site as Model
    from broadsheet.problems import Problems
    from conftest import SITE_YAML

    (tmp_path / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    config = load_config(tmp_path / "site.yaml", Problems())
    renderer = render.Renderer(render.make_environment(config), Model((), ()), config, render.BodyHtml(None))
    # a variable added to the renderer must be put in partial.SITE_WIDE unless it comes from the configuration
    assert renderer.common.keys() - partial.SITE_WIDE == {"site", "lang", "logo"}
