"""Listing pages stay small: a tag's, a person's and a column's articles in pages of their own,
newest first, numbered from the oldest (`broadsheet/listing.py`); and an incremental build that
adds or deletes articles makes and removes those pages exactly as a clean build does."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import tree
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import rule
from test_newsroom_edits import TEMPLATES, NewsroomEdits, command, small_site, write_article

from broadsheet import listing

THEME = Path(listing.__file__).parent / "theme" / "templates"


@given(count=st.integers(0, 400), per_page=st.integers(1, 40))
def test_every_item_is_on_exactly_one_page_newest_first(count, per_page):
    items = list(range(count, 0, -1))  # newest first
    pages = listing.paginate("tags/x.html", items, per_page)
    assert [i for _url, shown, _paging in pages for i in shown] == items
    first = len(pages[0][1])
    assert first == count if count < 2 * per_page else per_page <= first < 2 * per_page
    assert all(len(shown) == per_page for _url, shown, _paging in pages[1:])
    assert len({url for url, _shown, _paging in pages}) == len(pages)


@given(count=st.integers(0, 300), added=st.integers(1, 60))
def test_a_numbered_page_keeps_its_articles_as_the_listing_grows(count, added):
    before = {url: shown for url, shown, _ in listing.paginate("tags/x.html", list(range(count, 0, -1)), 7)}
    after = {url: shown for url, shown, _ in listing.paginate("tags/x.html", list(range(count + added, 0, -1)), 7)}
    for url, shown in before.items():
        if url != "tags/x.html":
            assert after[url] == shown


@given(count=st.integers(0, 300))
def test_the_links_reach_every_page_from_the_first(count):
    pages = {url: paging for url, _shown, paging in listing.paginate("tags/x.html", list(range(count)), 5)}
    seen, queue = set(), ["tags/x.html"]
    while queue:
        url = queue.pop()
        if url not in seen:
            seen.add(url)
            paging = pages[url]
            queue += [u for u in (paging.newest, paging.newer, paging.older, paging.oldest) if u]
            queue += [u for _n, u in paging.numbers if u]
    assert seen == set(pages)


def test_the_first_page_keeps_the_listing_url_and_the_others_are_numbered_beside_it():
    urls = [url for url, _shown, _paging in listing.paginate("tags/qing-xi-xian.html", list(range(100)), 30)]
    assert urls == ["tags/qing-xi-xian.html", "tags/qing-xi-xian/2.html", "tags/qing-xi-xian/1.html"]


@pytest.fixture
def two_to_a_page(monkeypatch):
    """Listing pages of two articles, so that the small site's tags and columns have several."""
    monkeypatch.setattr(listing, "PER_PAGE", 2)


def add_tagged(root, page: str, name: str, tag: str) -> None:
    write_article(root / "content" / page / f"{name}.md",
                  {"title": f"新稿件{name}", "tags": [tag], "column": "河川时评",
                   "byline": [{"role": "本报记者", "names": ["宁江东"]}]}, "\n正文一段。\n")


def test_numbered_pages_appear_and_go_with_articles_as_a_clean_build_makes_them(tmp_path, two_to_a_page):
    root = tmp_path / "site"
    small_site(root)
    assert command(root).status == 0
    for n in range(6):
        add_tagged(root, "2026-11-27/03", f"zz-{n}", "新标签")
    assert command(root).status == 0
    made = sorted(u for u in tree(root / "_site") if re.fullmatch(r"(tags|people|columns)/[^/]+/\d+\.html", u))
    assert any(u.startswith("tags/") for u in made) and any(u.startswith("columns/") for u in made)
    assert_equals_clean_build(root, tmp_path)
    html = (root / "_site" / made[0]).read_text(encoding="utf-8")
    assert 'aria-current="page"' in html and 'class="paging"' in html
    for n in range(6):
        (root / "content/2026-11-27/03" / f"zz-{n}.md").unlink()
    assert command(root).status == 0
    assert_equals_clean_build(root, tmp_path)
    assert not any(u.startswith("tags/xin-biao-qian") for u in tree(root / "_site"))


def test_every_listing_page_is_in_the_sitemap(tmp_path, two_to_a_page):
    root = tmp_path / "site"
    small_site(root)
    for n in range(5):
        add_tagged(root, "2026-11-27/03", f"zz-{n}", "新标签")
    assert command(root).status == 0
    sitemap = (root / "_site/sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>[^<]*?/((?:tags|people|columns)/[^<]+\.html)</loc>", sitemap))
    pages = {u for u in tree(root / "_site") if re.match(r"(tags|people|columns)/.+\.html$", u)}
    assert pages == listed


def assert_equals_clean_build(root, tmp_path) -> None:
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("_site*", ".broadsheet-cache"))
    assert command(fresh, "--clean").status == 0
    assert tree(root / "_site") == tree(fresh / "_site")


class PagedNewsroomEdits(NewsroomEdits):
    """The newsroom's day of edits (tests/test_newsroom_edits.py) with two articles to a listing
    page: articles added, deleted, retagged and moved make and remove numbered pages."""

    def __init__(self):
        self.per_page = listing.PER_PAGE
        listing.PER_PAGE = 2
        super().__init__()

    def teardown(self):
        listing.PER_PAGE = self.per_page
        super().teardown()

    @rule(template=st.sampled_from(TEMPLATES))
    def edit_a_template(self, template):
        """A user's template edit: the theme's template copied into the site's templates/ first
        (the site of the sample overrides none)."""
        path = self.root / "templates" / template[0]
        if not path.exists():
            shutil.copy(THEME / template[0], path)
        super().edit_a_template(template)


PagedNewsroomEdits.TestCase.settings = settings(NewsroomEdits.TestCase.settings, max_examples=2,
                                                 phases=[Phase.explicit, Phase.reuse, Phase.generate])
test_a_day_of_edits_with_paged_listings_gives_the_clean_build_after_every_edit = pytest.mark.long(PagedNewsroomEdits.TestCase)
