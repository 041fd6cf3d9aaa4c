"""An English-language paper (language: en, pages A1, A2, B1) gets an English interface."""

import re
import shutil

import pytest

from conftest import ENGLISH, Site
from crawl import crawl

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    root = tmp_path_factory.mktemp("english") / "site"
    shutil.copytree(ENGLISH, root)
    made = Site(root)
    run = made.run()
    assert run.status == 0, run.err
    return made


def test_pages_carry_no_chinese_interface_text(english):
    for path in english.out.rglob("*.html"):
        found = CJK.findall(path.read_text(encoding="utf-8"))
        assert found == [], (path.relative_to(english.out).as_posix(), found[:5])


def test_feeds_sitemaps_robots_and_search_script_carry_no_chinese(english):
    files = [p for p in english.out.rglob("*") if p.suffix in (".xml", ".txt", ".js") and "static" not in p.parts]
    assert sorted(p.relative_to(english.out).as_posix() for p in files if p.parent == english.out) == [
        "atom.xml", "news-sitemap.xml", "robots.txt", "rss.xml", "sitemap.xml",
    ]
    for path in files:
        found = CJK.findall(path.read_text(encoding="utf-8"))
        assert found == [], (path.relative_to(english.out).as_posix(), found[:5])


def test_html_is_marked_english(english):
    assert '<html lang="en">' in english.read("index.html")


def test_page_labels_sort_by_letter_then_number_and_show_as_written(english):
    html = english.read("2026-11-27/A1/index.html")
    nav = re.findall(r'<li><a href="[^"]*"[^>]*>(Page [AB]\d)', html)
    assert nav == ["Page A1", "Page A2", "Page B1"]


def test_issue_number_and_date_in_english(english):
    html = english.read("index.html")
    assert "No. 412" in html
    assert "Friday, November 27, 2026" in html


def test_jump_marks_in_english(english):
    assert "Continued on Page A2" in english.read("2026-11-27/A1/index.html")
    assert "Continued from Page A1" in english.read("2026-11-27/A2/index.html")


def test_straight_quotes_become_curly(english):
    html = english.read("2026-11-27/A1/bridge-reopens.html")
    body = html.split('class="story-body', 1)[1]
    assert "\u201c" in body or "&ldquo;" in body
    assert not re.search(r'>[^<]*"[^<]*<', body.split("</div>")[0])


def test_crawl_finds_nothing_broken(english):
    found = crawl(english.out)
    assert (found.broken, found.absolute, found.unnamed) == ([], [], [])
