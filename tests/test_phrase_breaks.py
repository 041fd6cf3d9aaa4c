"""Chinese headlines, kickers and subtitles break only between BudouX's phrases, in Chromium."""

from __future__ import annotations

import headless
from conftest import copy_built_sample
import pytest

from broadsheet.phrases import boundaries, phrases, split_breaks

WIDTHS = (375, 768, 1280)
# every headline, kicker and subtitle the reader sees in main (hidden ones have no boxes)
LINES_JS = """() => [...document.querySelectorAll('main .headline, main .kicker, main .subtitle')]
  .filter(el => el.getClientRects().length).map(el => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let text = '', starts = [], lastTop = null, node;
    while ((node = walker.nextNode())) {
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + 1);
        const box = range.getClientRects()[0];
        if (box && box.width > 0) {
          if (lastTop !== null && box.top > lastTop + 4) starts.push(text.length);
          lastTop = box.top;
        }
        text += node.data[i];
      }
    }
    return {text, starts};
  })"""


def test_phrase_boundaries_are_budouxs_own():
    import budoux

    parser = budoux.load_default_simplified_chinese_parser()
    text = "周大山：带着乡亲“种”出好日子"
    chunks, offsets, at = parser.parse(text), set(), 0
    for chunk in chunks[:-1]:
        at += len(chunk)
        offsets.add(at)
    assert boundaries(text) and set(boundaries(text)) <= offsets


def test_a_line_never_ends_on_an_opening_mark_or_starts_with_a_closing_one():
    for cut in boundaries("[快讯]青溪大桥（暂定名）今日通车，“种”出好日子"):
        assert "[（“".find("[快讯]青溪大桥（暂定名）今日通车，“种”出好日子"[cut - 1]) < 0


def test_latin_words_keep_their_own_breaks():
    html = str(phrases("新款 AI 手机上市 5G"))
    assert " AI " in html and " 5G" in html and "手机<wbr>上市" in html  # BudouX alone would cut A / I
    assert str(phrases("Bridge opens")) == "Bridge opens"


def test_the_editors_bar_forces_a_break_and_is_gone_from_the_text():
    title, breaks = split_breaks("周大山：带着乡亲|“种”出好日子")
    assert title == "周大山：带着乡亲“种”出好日子"
    assert "乡亲<br>“种”" in str(phrases(title, breaks))
    assert split_breaks("Lights on | at last") == ("Lights on at last", (9,))


def test_the_forced_break_reaches_the_page_and_nothing_else(site):
    site.article("2026-11-27/01/story.md", "title: 周大山：带着乡亲|“种”出好日子\n")
    assert site.run().status == 0
    html = site.read("2026-11-27/01/story.html")
    assert "乡亲<br>“种”" in html and "|" not in html.split("<body")[0]
    assert "<title>周大山：带着乡亲“种”出好日子" in html


def test_the_output_is_the_same_on_every_build(site, tmp_path):
    site.article("2026-11-27/01/story.md", "title: 青溪大桥今日正式通车\nkicker: 武陟县\n")
    assert site.run().status == 0
    first = site.read("2026-11-27/01/story.html")
    assert site.run("--clean").status == 0
    assert site.read("2026-11-27/01/story.html") == first
    assert "青溪<wbr>大桥<wbr>今日<wbr>正式<wbr>通车" in first


@pytest.fixture(scope="module")
def sample_served(tmp_path_factory):
    headless.require(need_axe=False)
    out = copy_built_sample(tmp_path_factory, "phrases").out
    views = ["index.html", *sorted(p.relative_to(out).as_posix() for p in out.glob("20??-??-??/index.html")),
             *sorted(p.relative_to(out).as_posix() for p in out.glob("20??-??-??/*/*.html"))]
    with headless.serve(out) as base:
        yield base, views


def test_sample_headlines_break_only_at_phrase_boundaries(sample_served):
    from playwright.sync_api import sync_playwright

    base, views = sample_served
    assert len(views) >= 20
    wrong, wrapped = [], 0
    with sync_playwright() as playwright:
        browser = headless.launch(playwright)
        page = browser.new_page()
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for view in views:
                page.goto(base + view, wait_until="load")
                for found in page.evaluate(LINES_JS):
                    text = found["text"]
                    allowed = set(boundaries(text)) | {i for i in range(1, len(text)) if text[i - 1].isspace() or text[i].isspace()}
                    wrapped += len(found["starts"])
                    wrong += [(width, view, text[:i] + " / " + text[i:]) for i in found["starts"] if i not in allowed]
        browser.close()
    assert wrong == []
    assert wrapped > 20  # at a phone's width many of them do wrap
