"""The sample edition as a reader meets it: crawled from index.html, every key on show."""

import re
from html import escape

import pytest

from conftest import build_sample, built_sample
from crawl import crawl


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    made, site = build_sample(tmp_path_factory, "sample")
    assert built_sample(tmp_path_factory)[1].err == "", "the sample builds without warnings"
    assert made.run().err == "", "and builds again without warnings"
    return made, site


def text(built, url):
    return built[0].read(url)


def test_crawl_from_index_finds_no_broken_absolute_or_folder_links(built):
    found = crawl(built[0].out)
    assert found.broken == []
    assert found.absolute == []
    assert found.unnamed == []


def test_crawl_reaches_every_published_article_page_edition_and_column(built):
    found = crawl(built[0].out)
    site = built[1]
    expected = {a.url for a in site.articles} | {p.url for e in site.editions for p in e.pages}
    expected |= {e.url for e in site.editions} | {c.url for c in site.columns}
    assert expected - found.pages == set()
    assert len(site.articles) >= 12 and len(site.editions) >= 2


def test_crawl_reaches_every_copied_file(built):
    out = built[0].out
    found = crawl(out)
    bundles = {p.parent for p in out.rglob("broadsheet-digest.txt")}  # the search index: read by search.js
    copied = {p.relative_to(out).as_posix() for p in out.rglob("*")
              if p.is_file() and p.suffix != ".html" and not bundles.intersection(p.parents)}
    for_crawlers = {"robots.txt", "sitemap.xml", "news-sitemap.xml"}  # named in robots.txt, not linked
    assert copied - found.files - {".broadsheet"} - for_crawlers == set()


def test_sample_has_a_draft_left_out(built):
    out = built[0].out
    assert (built[0].root / "content/2026-11-27/03/qingxi-songnuan.md").exists()
    assert not (out / "2026-11-27/03/qingxi-songnuan.html").exists()


def test_article_shows_every_key_where_a_reader_expects_it(built):
    for article in built[1].articles:
        html = text(built, article.url).replace("<wbr>", "")  # phrase breaks in the headlines
        assert html.count("<h1") == 1
        assert f'<h1 class="headline">{escape(article.title, quote=False)}</h1>' in html
        for value, css in ((article.kicker, "kicker"), (article.subtitle, "subtitle"), (article.dateline, "dateline")):
            if value:
                assert re.search(rf'class="{css}">{re.escape(escape(value, quote=False))}<', html), (article.url, css)
        for byline in article.bylines:
            for part in (byline.role, byline.text, *byline.names):
                if part:
                    assert part in html
        if article.column:
            assert f'href="../../{article.column.url}">{escape(article.column.name)}</a>' in html
        for photo in article.photos:
            assert re.search(rf'src="\.\./\.\./{re.escape(photo.url)}" srcset="[^"]+" sizes="[^"]+" '
                             rf'alt="{re.escape(escape(photo.alt))}" width="{photo.width}" height="{photo.height}"', html)
            if photo.caption:
                assert escape(photo.caption, quote=False) in html
            if photo.credit:
                assert f'<span class="credit">{escape(photo.credit, quote=False)}</span>' in html
        for tag in article.tags:
            assert f'<span class="tag">{escape(tag, quote=False)}</span>' in html
        for correction in article.corrections:
            assert escape(correction.text, quote=False) in html
        assert f'datetime="{article.date.isoformat()}"' in html
        for jump in article.continued_on:
            assert f"转第{jump.page}版" in html


def test_page_view_shows_summaries_editors_picture_hotspots_pdf_and_jumps(built):
    for edition in built[1].editions:
        for page in edition.pages:
            html = text(built, page.url)
            for article in page.articles:
                assert escape(article.summary, quote=False) in html
                for area in article.areas:
                    assert f'href="../../{article.url}" style="left: {area.x:g}%; top: {area.y:g}%;' in html
                for jump in article.continued_on:
                    assert f"转第{jump.page}版" in html
            for continuation in page.continued:
                assert f"上接第{continuation.from_page}版" in html
                assert f'href="../../{continuation.article.url}"' in html
            for editor in page.editors:
                assert editor in html
            if page.image:
                assert f'<img src="../../{page.image}"' in html
            if page.pdf:
                assert f'href="../../{page.pdf}" download' in html
            assert f"第{page.label}版" in html


def test_page_credit_applies_to_photos_without_their_own(built):
    pages = [p for e in built[1].editions for p in e.pages if p.photo_credit]
    assert pages, "the sample uses photo_credit"
    credited = [ph for p in pages for a in p.articles for ph in a.photos if ph.credit == p.photo_credit]
    assert credited, "a photo on a photo_credit page has no credit of its own"


def test_front_shows_number_label_lead_and_every_page(built):
    latest = built[1].editions[0]
    html = text(built, "index.html")
    assert f"第{latest.number}期" in html
    if latest.label:
        assert latest.label in html
    assert f'<h2 class="headline"><a href="{latest.lead.url}">' in html
    for page in latest.pages:
        assert f'href="{page.url}"' in html


def test_column_page_lists_articles_from_both_editions(built):
    spanning = [c for c in built[1].columns if len({a.edition for a in c.articles}) >= 2]
    assert spanning
    html = text(built, spanning[0].url)
    for article in spanning[0].articles:
        assert f'href="../{article.url}"' in html


def test_archive_lists_every_edition(built):
    html = text(built, "archive/index.html")
    for edition in built[1].editions:
        assert f'href="../{edition.url}"' in html


def test_every_key_of_the_contract_is_used_by_the_sample():
    from conftest import PROJECT
    from broadsheet.articles import ARTICLE_KEYS
    from broadsheet.content import PAGE_KEYS, EDITION_KEYS

    used = set()
    for path in (PROJECT / "content").rglob("*"):
        if path.suffix in (".md", ".yaml"):
            used |= set(re.findall(r"^(\w+):", path.read_text(encoding="utf-8"), re.M))
            used |= set(re.findall(r"[{ ,](\w+): ", path.read_text(encoding="utf-8")))
    assert set(ARTICLE_KEYS) | set(PAGE_KEYS) | set(EDITION_KEYS) | {"role", "names", "src", "caption", "credit", "alt"} <= used
