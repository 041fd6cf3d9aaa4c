"""What a reader meets around the stories, in Chromium: the masthead's search box, the
archive's months, dotted lists without dangling dots, labels in one piece, jump links."""

from __future__ import annotations

import headless
from conftest import copy_built_sample
import pytest

# each item that starts a line must start at the list's left edge, where its dot is clipped off
DANGLING_JS = """() => { const lists = [...document.querySelectorAll('.masthead-meta > a, .front .masthead-meta, .dotted, .edition-index .headline a')]
  .filter(list => getComputedStyle(list).flexDirection === 'row' && getComputedStyle(list).justifyContent !== 'center');
  return [lists.length, lists.flatMap(list => {
    const left = list.getBoundingClientRect().left, items = [...list.children];
    return items.filter((item, i) => i === 0 || item.getBoundingClientRect().top > items[i - 1].getBoundingClientRect().top + 2)
      .filter(item => Math.abs(item.getBoundingClientRect().left - left) > 1)
      .map(item => item.textContent);
  })]; }"""
ONE_LINE_JS = """() => [...document.querySelectorAll('.jump, .page-nav a, .teaser-meta a')]
  .filter(el => el.getClientRects().length > 1 || (el.getClientRects()[0] && el.getClientRects()[0].height > 2 * parseFloat(getComputedStyle(el).lineHeight || 30)))
  .map(el => el.textContent)"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    headless.require(need_axe=False)
    from playwright.sync_api import sync_playwright

    out = copy_built_sample(tmp_path_factory, "furniture").out
    with headless.serve(out) as base, sync_playwright() as playwright:
        chromium = headless.launch(playwright)
        yield base, chromium.new_page()
        chromium.close()


def test_the_masthead_search_box_opens_the_search_page_with_the_query(browser):
    base, page = browser
    page.set_viewport_size(headless.DESKTOP)
    page.goto(base + "2026-11-27/01/dongji-nongye.html", wait_until="load")
    page.fill("#masthead-query", "农业")
    page.press("#masthead-query", "Enter")
    page.wait_for_function("document.querySelector('.search-status').textContent.match(/\\d/)")
    assert page.url == base + "search/index.html?q=%E5%86%9C%E4%B8%9A"
    assert page.input_value("#search-query") == "农业"
    assert page.locator(".search-results > li").count() > 0
    assert page.locator("#masthead-query").count() == 0  # the search page has its own box


@pytest.mark.parametrize("width, rows", [(1280, 1), (768, 2), (375, 3)])
def test_the_archive_shows_a_year_as_a_grid_of_twelve_months(browser, width, rows):
    base, page = browser
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base + "archive/index.html", wait_until="load")
    tops = page.evaluate("() => [...document.querySelectorAll('.month-grid')][0].children.length === 12 && "
                         "[...document.querySelectorAll('.month-grid > li')].slice(0, 12).map(li => li.getBoundingClientRect().top)")
    assert tops and len({round(t) for t in tops}) == rows


@pytest.mark.parametrize("width", [375, 768, 1280])
@pytest.mark.parametrize("view", ["index.html", "2026-11-27/02/index.html", "2026-11-27/01/dongji-nongye.html",
                                  "archive/index.html", "archive/2026-11.html"])
def test_no_line_ends_or_starts_with_a_dot_and_labels_stay_whole(browser, view, width):
    base, page = browser
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base + view, wait_until="load")
    lists, dangling = page.evaluate(DANGLING_JS)
    assert lists > 0 or view == "index.html"  # the front centres its edition line: one line, or one item a line
    assert dangling == []
    assert page.evaluate(ONE_LINE_JS) == []


def test_a_jump_line_links_to_its_page(browser):
    base, page = browser
    page.goto(base + "2026-11-27/02/index.html", wait_until="load")
    links = page.eval_on_selector_all(".jump a", "links => links.map(a => [a.textContent, a.href])")
    assert links and all(href.endswith("/index.html") for _, href in links)
    page.click(".jump a")
    assert page.url.endswith("/index.html") and page.url != base + "2026-11-27/02/index.html"
