"""Sitemaps (sitemaps.org and Google News) and robots.txt, parsed with xml.etree."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from broadsheet import feeds
from conftest import Site, build_sample

BASE = "https://news.example.org/hechuan/"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_sample(tmp_path_factory, "sitemaps")


def urls(made: Site, name: str) -> dict[str, str]:
    """{loc: lastmod} of a sitemap."""
    tree = ET.fromstring(made.read(name))
    assert tree.tag == SM + "urlset"
    return {u.findtext(SM + "loc"): u.findtext(SM + "lastmod") for u in tree.findall(SM + "url")}


def test_sitemap_lists_every_html_page_except_the_search_page(sample):
    out = sample[0].out
    pages = {p.relative_to(out).as_posix() for p in out.rglob("*.html")} - {"search/index.html"}
    assert set(urls(sample[0], "sitemap.xml")) == {BASE + p for p in pages}


def test_an_articles_lastmod_is_its_date_or_its_latest_correction(sample):
    found = urls(sample[0], "sitemap.xml")
    for article in sample[1].articles:
        assert found[BASE + article.url] == article.modified.isoformat(), article.url
    assert found[BASE + "2026-11-26/02/qingxi-chaye.html"] == "2026-11-27T00:00:00+08:00"


def test_an_edition_fronts_lastmod_is_its_latest_article(sample):
    found = urls(sample[0], "sitemap.xml")
    for edition in sample[1].editions:
        assert found[BASE + edition.url] == max(a.modified for a in edition.articles).isoformat()


def test_news_sitemap_has_publication_name_language_date_and_title(sample):
    tree = ET.fromstring(sample[0].read("news-sitemap.xml"))
    entry = next(u for u in tree.findall(SM + "url") if u.findtext(SM + "loc") == BASE + "2026-11-27/01/dongji-nongye.html")
    news = entry.find(NEWS + "news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "河川日报"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "zh-cn"
    assert news.findtext(NEWS + "publication_date") == "2026-11-27T07:30:00+08:00"
    assert news.findtext(NEWS + "title") == "全市冬季农业生产全面铺开"


def test_news_sitemap_holds_the_articles_of_the_newest_editions_day_and_the_day_before(site):
    for day in (25, 26, 27):
        site.article(f"2026-11-{day}/01/story.md", f"title: 第{day}日\ndate: 2026-11-{day} 08:00\n")
    assert site.run().status == 0
    tree = ET.fromstring(site.read("news-sitemap.xml"))
    assert [u.findtext(SM + "loc") for u in tree.findall(SM + "url")] == [
        "https://example.org/paper/2026-11-27/01/story.html", "https://example.org/paper/2026-11-26/01/story.html",
    ]


def test_robots_txt_names_both_sitemaps(sample):
    assert sample[0].read("robots.txt") == (
        "User-agent: *\nAllow: /\n\n"
        f"Sitemap: {BASE}sitemap.xml\nSitemap: {BASE}news-sitemap.xml\n"
    )


def test_more_urls_than_the_limit_make_a_sitemap_index(site, monkeypatch):
    monkeypatch.setattr(feeds, "SITEMAP_LIMIT", 5)
    assert site.run().status == 0
    index = ET.fromstring(site.read("sitemap.xml"))
    assert index.tag == SM + "sitemapindex"
    parts = [s.findtext(SM + "loc") for s in index.findall(SM + "sitemap")]
    assert parts == ["https://example.org/paper/sitemap-1.xml", "https://example.org/paper/sitemap-2.xml"]
    listed = [loc for n in (1, 2) for loc in urls(site, f"sitemap-{n}.xml")]
    assert len(listed) == len(set(listed)) == 9 and len(urls(site, "sitemap-1.xml")) == 5
