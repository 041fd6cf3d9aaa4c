"""Past editions (往期回顾): a calendar page per month, the archive's year overview, edition navigation."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser

import pytest

from conftest import ENGLISH, Site, copy_built_sample
from crawl import crawl

DAYS = ("2026-09-30", "2026-11-02", "2026-11-27", "2027-01-05")


class _Calendar(HTMLParser):
    """The calendar table: each row's cells as (text, link or None); empty cells as ('', None)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.head: list[str] = []
        self.rows: list[list[tuple[str, str | None]]] = []
        self._where = None
        self._cell = None
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table" and attributes.get("class") == "calendar":
            self._where = "table"
        elif self._where and tag == "tr":
            self.rows.append([])
        elif self._where and tag == "td":
            self._cell = ["", None]
        elif self._where and tag == "th":
            self._cell = ["", None]
        elif self._cell is not None and tag == "a":
            self._cell[1] = attributes["href"]
        elif self._cell is not None and tag == "span" and attributes.get("class") == "visually-hidden":
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag == "table":
            self._where = None
        elif self._cell is not None and tag == "span" and self._hidden:
            self._hidden -= 1
        elif self._cell is not None and tag in ("td", "th"):
            if tag == "th":
                self.head.append(self._cell[0])
            else:
                self.rows[-1].append((self._cell[0], self._cell[1]))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None and not self._hidden:
            self._cell[0] += data.strip()


def calendar_of(html: str) -> _Calendar:
    parser = _Calendar()
    parser.feed(html)
    parser.rows = [row for row in parser.rows if row]
    return parser


@pytest.fixture
def months(site) -> Site:
    """Editions on four days over four calendar months, with October and December empty."""
    for day in DAYS:
        site.article(f"{day}/01/story.md", f"title: {day}的新闻\n")
    assert site.run().status == 0
    return site


def test_a_calendar_page_for_each_month_with_an_edition(months):
    assert sorted(p.name for p in (months.out / "archive").glob("*.html")) == [
        "2026-09.html", "2026-11.html", "2027-01.html", "index.html",
    ]


def test_days_with_an_edition_link_to_its_front_and_others_are_plain(months):
    table = calendar_of(months.read("archive/2026-11.html"))
    cells = [cell for row in table.rows for cell in row]
    linked = [(text, href) for text, href in cells if href]
    assert linked == [("2", "../2026-11-02/index.html"), ("27", "../2026-11-27/index.html")]
    assert [text for text, href in cells if text and not href] == [str(d) for d in range(1, 31) if d not in (2, 27)]


def test_a_chinese_calendar_week_starts_on_monday(months):
    table = calendar_of(months.read("archive/2026-11.html"))
    assert table.head == ["一", "二", "三", "四", "五", "六", "日"]
    assert table.rows[0] == [("", None)] * 6 + [("1", None)]  # 1 November 2026 is a Sunday
    assert len(table.rows) == 6 and table.rows[-1][0] == ("30", None)


def test_an_english_calendar_week_starts_on_sunday(tmp_path):
    root = tmp_path / "en"
    shutil.copytree(ENGLISH, root)
    made = Site(root)
    assert made.run().status == 0
    html = made.read("archive/2026-11.html")
    table = calendar_of(html)
    assert table.head == ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    assert table.rows[0][0] == ("1", None) and len(table.rows) == 5
    assert "<h1>November 2026</h1>" in html
    assert '<span class="visually-hidden">Friday, November 27, 2026 No. 412</span>' in html


def test_a_linked_day_tells_screen_readers_the_full_date_and_issue_number(site):
    site.write("content/2026-11-27/edition.yaml", "number: 8802\n")
    assert site.run().status == 0
    html = site.read("archive/2026-11.html")
    assert ('<td class="has-edition"><a href="../2026-11-27/index.html"><span aria-hidden="true">27</span>'
            '<span class="visually-hidden">2026年11月27日 星期五 第8802期</span></a></td>') in html


def test_month_navigation_skips_months_without_editions(months):
    html = months.read("archive/2026-11.html")
    assert '<a rel="prev" href="../archive/2026-09.html">← 2026年9月</a>' in html
    assert '<a rel="next" href="../archive/2027-01.html">2027年1月 →</a>' in html
    first = months.read("archive/2026-09.html")
    assert 'rel="prev"' not in first.split('class="month-nav"')[1].split("</nav>")[0]


def test_the_archive_shows_each_year_with_its_months_linked_where_there_are_editions(months):
    html = months.read("archive/index.html")
    years = re.findall(r'<h2 class="section-head">(\d{4})年</h2>', html)
    assert years == ["2027", "2026"]
    links = re.findall(r'<li><a href="\.\./(archive/[\d-]+\.html)"><span class="month-name">([^<]+)</span> '
                       r'<span class="month-count">([^<]+)</span></a></li>', html)
    assert links == [("archive/2027-01.html", "1月", "1期"), ("archive/2026-09.html", "9月", "1期"),
                     ("archive/2026-11.html", "11月", "2期")]
    assert html.count('<li class="month-empty">') == 24 - 3


def test_an_edition_front_links_the_previous_and_next_edition_and_its_month(months):
    html = months.read("2026-11-02/index.html")
    nav = html.split('<nav class="edition-nav"')[1].split("</nav>")[0]
    assert re.findall(r'<a (?:rel="(\w+)" )?href="([^"]+)">', nav) == [
        ("prev", "../2026-09-30/index.html"), ("", "../archive/2026-11.html"), ("next", "../2026-11-27/index.html"),
    ]


def test_every_edition_is_reached_from_the_front_through_the_calendar(months):
    found = crawl(months.out)
    assert {f"{day}/index.html" for day in DAYS} <= found.pages
    assert {"archive/2026-09.html", "archive/2026-11.html", "archive/2027-01.html"} <= found.pages
    assert (found.broken, found.absolute, found.unnamed) == ([], [], [])


def test_the_sample_shows_its_month_with_both_editions(tmp_path_factory):
    made = copy_built_sample(tmp_path_factory, "sample-month")
    cells = [c for row in calendar_of(made.read("archive/2026-11.html")).rows for c in row if c[1]]
    assert cells == [("26", "../2026-11-26/index.html"), ("27", "../2026-11-27/index.html")]
    assert 'href="archive/2026-11.html">往期回顾</a>' in made.read("index.html")
