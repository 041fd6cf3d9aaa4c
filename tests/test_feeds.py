"""Feeds: Atom and RSS 2.0 for the whole paper and for each column, read by feedparser."""

from __future__ import annotations

import calendar
import shutil

import feedparser
import pytest

from broadsheet import feeds
from conftest import PROJECT, Site, body_html, build_sample

BASE = "https://news.example.org/hechuan/"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_sample(tmp_path_factory, "feeds")


def parsed(sample, url):
    return feedparser.parse(sample[0].read(url))


def newest_urls(articles, count=feeds.FEED_SIZE):
    return [BASE + a.url for a in sorted(articles, key=lambda a: (a.date, a.url), reverse=True)[:count]]


@pytest.mark.parametrize("url", ["atom.xml", "rss.xml", "columns/dangyuan-xianfeng.atom.xml", "columns/dangyuan-xianfeng.rss.xml"])
def test_feed_is_well_formed_for_feedparser(sample, url):
    feed = parsed(sample, url)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == ("atom10" if url.endswith("atom.xml") else "rss20")


def test_site_feed_lists_every_article_newest_first(sample):
    site = sample[1]
    assert len(site.articles) < feeds.FEED_SIZE
    assert [e.link for e in parsed(sample, "atom.xml").entries] == newest_urls(site.articles)
    assert [e.link for e in parsed(sample, "rss.xml").entries] == newest_urls(site.articles)


def test_column_feed_lists_only_that_columns_articles(sample):
    (column,) = [c for c in sample[1].columns if c.slug == "dangyuan-xianfeng"]
    assert [e.link for e in parsed(sample, "columns/dangyuan-xianfeng.atom.xml").entries] == newest_urls(column.articles)
    assert parsed(sample, "columns/dangyuan-xianfeng.atom.xml").feed.title == f"河川日报 · {column.name}"


def test_atom_times_carry_the_site_time_zone_offset(sample):
    (entry,) = [e for e in parsed(sample, "atom.xml").entries if e.link.endswith("2026-11-27/01/dongji-nongye.html")]
    assert entry.published == "2026-11-27T07:30:00+08:00"
    assert calendar.timegm(entry.published_parsed) == calendar.timegm((2026, 11, 26, 23, 30, 0))


def test_rss_dates_are_rfc_822_in_the_site_time_zone(sample):
    (item,) = [e for e in parsed(sample, "rss.xml").entries if e.link.endswith("2026-11-27/01/dongji-nongye.html")]
    assert item.published == "Fri, 27 Nov 2026 07:30:00 +0800"


def test_an_article_dated_without_a_time_is_at_midnight_in_the_site_time_zone(sample):
    (entry,) = [e for e in parsed(sample, "atom.xml").entries if e.link.endswith("2026-11-26/01/nongtian-shuili.html")]
    assert entry.published == "2026-11-26T00:00:00+08:00"


def test_a_corrected_article_is_updated_on_its_correction_date(sample):
    (entry,) = [e for e in parsed(sample, "atom.xml").entries if e.link.endswith("2026-11-26/02/qingxi-chaye.html")]
    assert entry.updated == "2026-11-27T00:00:00+08:00"
    assert entry.published != entry.updated


def test_feed_updated_is_its_newest_change(sample):
    newest = max(a.modified for a in sample[1].articles)
    assert parsed(sample, "atom.xml").feed.updated == newest.isoformat()


def test_entry_has_its_authors_categories_summary_and_content(sample):
    (entry,) = [e for e in parsed(sample, "atom.xml").entries if e.link.endswith("2026-11-27/01/dongji-nongye.html")]
    (article,) = [a for a in sample[1].articles if a.url == "2026-11-27/01/dongji-nongye.html"]
    assert [a.name for a in entry.authors] == [n for b in article.bylines for n in b.names]
    assert [t.term for t in entry.tags] == list(article.tags)
    assert entry.summary == article.summary
    assert entry.content[0].value == body_html(article)


def test_feed_links_are_absolute_from_base_url(sample):
    feed = parsed(sample, "atom.xml")
    assert feed.feed.link == BASE + "index.html"
    assert all(e.link.startswith(BASE) for e in feed.entries)
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [BASE + "atom.xml"]


def test_pages_name_the_feeds_for_readers_and_feed_readers(sample):
    html = sample[0].read("2026-11-27/01/dongji-nongye.html")
    assert '<link rel="alternate" type="application/atom+xml" title="河川日报 (Atom)" href="../../atom.xml">' in html
    assert '<link rel="alternate" type="application/rss+xml" title="河川日报 (RSS)" href="../../rss.xml">' in html
    column = sample[0].read("columns/dangyuan-xianfeng.html")
    assert '<a href="../columns/dangyuan-xianfeng.atom.xml" type="application/atom+xml">订阅本栏目</a>' in column


def test_english_feed_is_in_english_with_new_york_times(tmp_path):
    root = tmp_path / "en"
    shutil.copytree(PROJECT / "tests/fixtures/english", root)
    made = Site(root)
    assert made.run().status == 0
    feed = feedparser.parse(made.read("rss.xml"))
    assert feed.bozo == 0 and feed.feed.language == "en"
    (item,) = [e for e in feed.entries if e.link.endswith("bridge-reopens.html")]
    assert item.published == "Fri, 27 Nov 2026 06:00:00 -0500"


def test_feed_holds_at_most_feed_size_entries(site, monkeypatch):
    for n in range(5):
        site.article(f"2026-11-27/01/story{n}.md", f"title: 稿件{n}\ndate: 2026-11-27 0{n}:00\n")
    monkeypatch.setattr(feeds, "FEED_SIZE", 3)
    assert site.run().status == 0
    entries = feedparser.parse(site.read("atom.xml")).entries
    assert [e.title for e in entries] == ["稿件4", "稿件3", "稿件2"]


def test_no_base_url_means_no_feeds_sitemaps_or_robots_txt(site):
    site.write("site.yaml", "title: 测试日报\n")
    run = site.run()
    assert run.status == 0 and run.err == ""
    for name in ("atom.xml", "rss.xml", "sitemap.xml", "news-sitemap.xml", "robots.txt"):
        assert not (site.out / name).exists(), name
    assert "atom.xml" not in site.read("index.html") and "rss.xml" not in site.read("index.html")
