"""The edition in a real browser: Debian's headless Chromium driven by Playwright.

The sample (Chinese) and the English fixture are built once into temporary folders
and served on 127.0.0.1. At a desktop (1280×900) and a phone (375×812) width, the
front, a page view and an article are checked for overflow, columns, the page
replica's hotspots, keyboard use, axe-core's serious and critical findings,
typesetting and print. Without a browser, Playwright or axe-core these tests are
skipped, saying what is missing; with CI=true they fail instead.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import headless
from conftest import copy_built_sample
from broadsheet.config import load_config
from broadsheet.content import load_site
from broadsheet.problems import Problems

SIZES = {"desktop": headless.DESKTOP, "phone": headless.PHONE}
VIEWS = {
    "zh": {"front": "index.html", "page": "2026-11-27/01/index.html", "article": "2026-11-27/01/dongji-nongye.html"},
    "en": {"front": "index.html", "page": "2026-11-27/A1/index.html", "article": "2026-11-27/A1/bridge-reopens.html"},
}
REPLICA = {"zh": "2026-11-27/01/index.html", "en": "2026-11-27/A1/index.html"}


# Set-up: once per module -------------------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def browser_available():
    reason = headless.missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true, and the browser tests cannot run: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")


def _page_picture(path: Path) -> None:
    """A plain page picture for the English fixture: grey boxes where the stories are."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (400, 565), "#f4f1ea")
    draw = ImageDraw.Draw(image)
    for box in ((16, 56, 384, 310), (16, 328, 192, 532), (208, 328, 384, 532)):
        draw.rectangle(box, outline="#999999", width=2)
    image.save(path)


def _add_front_matter(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    path.write_text("---\n" + line + "\n" + text[4:], encoding="utf-8")


def _english_with_replica(root: Path) -> Path:
    """The English fixture, plus a page picture for A1 with an area per story, so that
    the replica is checked in English too (the fixture itself has none)."""
    headless.copy_english(root)
    a1 = root / "content" / "2026-11-27" / "A1"
    _page_picture(a1 / "images" / "page.png")
    with open(a1 / "page.yaml", "a", encoding="utf-8") as page_yaml:
        page_yaml.write("image: images/page.png\n")
    _add_front_matter(a1 / "bridge-reopens.md", "area: [4, 10, 92, 45]")
    _add_front_matter(a1 / "school-board-vote.md", "area: [[4, 58, 44, 36], [52, 58, 44, 36]]")
    return root


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """{"zh": (base URL, model), "en": (…)}: both sites built and served for the module."""
    roots = {
        "zh": copy_built_sample(tmp_path_factory, "browser-zh").root,  # built already
        "en": _english_with_replica(tmp_path_factory.mktemp("browser-en") / "site"),
    }
    served = {}
    with_servers = []
    for lang, root in roots.items():
        out = root / "_site" if lang == "zh" else headless.build(root)
        problems = Problems()
        model = load_site(load_config(root / "site.yaml", problems), problems)
        assert not problems.errors
        server = headless.serve(out)
        served[lang] = (server.__enter__(), model)
        with_servers.append(server)
    yield served
    for server in with_servers:
        server.__exit__(None, None, None)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    launched = headless.launch(playwright)
    yield launched
    launched.close()
    playwright.stop()


@pytest.fixture(scope="module")
def contexts(browser):
    """One browser context per screen size (reduced motion, so styles settle at once)."""
    made = {
        size: browser.new_context(viewport=viewport, device_scale_factor=1, reduced_motion="reduce")
        for size, viewport in SIZES.items()
    }
    yield made
    for context in made.values():
        context.close()


@pytest.fixture
def open_page(sites, contexts):
    """open_page(lang, size, url) → a Playwright page with that URL loaded."""
    opened = []

    def _open(lang: str, size: str, url: str):
        page = contexts[size].new_page()
        opened.append(page)
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        response = page.goto(sites[lang][0] + url, wait_until="load")
        assert response is not None and response.ok, url
        assert errors == [], errors
        return page

    yield _open
    for page in opened:
        page.close()


def _articles(sites, lang):
    return list(sites[lang][1].articles)


def _page_model(sites, lang, url):
    for edition in sites[lang][1].editions:
        for page in edition.pages:
            if page.url == url:
                return page
    raise AssertionError(url)


def _hotspots(page_model):
    """(article, area) for every hotspot, in the page's reading order."""
    found = [(a, area) for a in page_model.articles for area in a.areas]
    found += [(c.article, area) for c in page_model.continued for area in c.areas]
    return found


# Every view, both languages, both sizes -------------------------------------------------

CASES = [(lang, size, view) for lang in VIEWS for size in SIZES for view in VIEWS[lang]]
IDS = [f"{lang}-{size}-{view}" for lang, size, view in CASES]


@pytest.mark.parametrize("lang,size,view", CASES, ids=IDS)
def test_no_horizontal_overflow(open_page, lang, size, view):
    page = open_page(lang, size, VIEWS[lang][view])
    scroll_width, inner_width = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert scroll_width <= inner_width, (scroll_width, inner_width)


@pytest.mark.parametrize("lang,size,view", CASES, ids=IDS)
def test_axe_reports_no_serious_or_critical_violation(open_page, lang, size, view):
    page = open_page(lang, size, VIEWS[lang][view])
    page.add_script_tag(path=str(headless.AXE))
    violations = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
            }));
        }"""
    )
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


@pytest.mark.parametrize("lang,view", [(lang, view) for lang in VIEWS for view in VIEWS[lang]])
def test_every_image_has_width_height_and_alt_and_loads(open_page, lang, view):
    page = open_page(lang, "desktop", VIEWS[lang][view])
    images = page.evaluate(
        """() => [...document.images].map(img => ({
            src: img.getAttribute("src"), width: img.getAttribute("width"), height: img.getAttribute("height"),
            alt: img.getAttribute("alt"), loaded: img.complete && img.naturalWidth > 0 || img.loading === "lazy",
        }))"""
    )
    assert images, "the view shows pictures"
    for image in images:
        assert image["width"] and image["height"], image
        assert image["alt"], image
        assert image["loaded"], image


@pytest.mark.parametrize("lang,view", [(lang, view) for lang in VIEWS for view in VIEWS[lang]])
def test_landmarks_lang_and_skip_link(open_page, lang, view):
    page = open_page(lang, "desktop", VIEWS[lang][view])
    assert page.evaluate("document.documentElement.lang") == ("zh-CN" if lang == "zh" else "en")
    for role in ("banner", "main", "contentinfo", "navigation"):
        assert page.get_by_role(role).count() >= 1, role
    assert page.get_by_role("main").count() == 1
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const el = document.activeElement, box = el.getBoundingClientRect(), style = getComputedStyle(el);
                   return {cls: el.className, href: el.getAttribute("href"), top: box.top, height: box.height,
                           outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth)}; }"""
    )
    assert focused["cls"] == "skip-link" and focused["href"] == "#main", focused
    assert focused["top"] >= 0 and focused["height"] > 0, "the skip link shows when focused"
    assert focused["outline"] != "none" and focused["outlineWidth"] >= 2, "focus is visible"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


# Columns ---------------------------------------------------------------------------------

def _one_article_per_column_count(sites, lang):
    chosen = {}
    for article in _articles(sites, lang):
        chosen.setdefault(article.columns, article)
    return [chosen[n] for n in sorted(chosen)]


@pytest.mark.parametrize("lang,size", [(lang, size) for lang in VIEWS for size in SIZES])
def test_column_count_follows_front_matter_on_desktop_and_is_one_on_a_phone(sites, open_page, lang, size):
    articles = _one_article_per_column_count(sites, lang)
    assert {a.columns for a in articles} >= ({1, 2, 3} if lang == "zh" else {1, 2})
    page = open_page(lang, size, articles[0].url)
    for article in articles:
        page.goto(sites[lang][0] + article.url, wait_until="load")
        count, used = page.evaluate(
            """() => { const body = document.querySelector(".story-body"), style = getComputedStyle(body);
                       const lefts = new Set([...body.children].map(el => Math.round(el.getBoundingClientRect().left)));
                       return [style.columnCount, lefts.size]; }"""
        )
        expected = article.columns if size == "desktop" else 1
        assert (1 if count == "auto" else int(count)) == expected, (article.url, count)
        assert used == expected, (article.url, "text set in", used, "columns")


def test_sub_heads_and_photos_never_split_from_their_text(sites, open_page):
    multi = [a for a in _articles(sites, "zh") if a.columns >= 2]
    page = open_page("zh", "desktop", multi[0].url)
    for article in multi:
        page.goto(sites["zh"][0] + article.url, wait_until="load")
        problems = page.evaluate(
            """() => {
                const body = document.querySelector(".story-body"), found = [];
                const col = el => Math.round(el.getBoundingClientRect().left);
                for (const head of body.querySelectorAll("h2, h3, h4")) {
                    const next = head.nextElementSibling;
                    if (next && col(next) !== col(head)) found.push("sub-head at a column foot: " + head.textContent);
                }
                for (const fig of body.querySelectorAll("figure, blockquote")) {
                    const rects = fig.getClientRects();
                    const first = fig.firstElementChild.getBoundingClientRect(), last = fig.lastElementChild.getBoundingClientRect();
                    if (Math.round(first.left) !== Math.round(last.left)) found.push("split: " + fig.textContent.slice(0, 20));
                }
                return found;
            }"""
        )
        assert problems == [], (article.url, problems)


# The page replica -----------------------------------------------------------------------

@pytest.mark.parametrize("lang,size", [(lang, size) for lang in VIEWS for size in SIZES])
def test_hotspots_stay_on_their_area_at_every_width(sites, open_page, lang, size):
    url = REPLICA[lang]
    expected = _hotspots(_page_model(sites, lang, url))
    assert expected, "the replica page has hotspots"
    page = open_page(lang, size, url)
    widths = [SIZES[size]["width"]] + ([800, 1024] if size == "desktop" else [320])
    for width in widths:
        page.set_viewport_size({"width": width, "height": SIZES[size]["height"]})
        boxes = page.evaluate(
            """() => { const img = document.querySelector(".replica img").getBoundingClientRect();
                       return {img: [img.left, img.top, img.width, img.height],
                               spots: [...document.querySelectorAll(".replica .hotspot")].map(a => {
                                   const r = a.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })}; }"""
        )
        left, top, w, h = boxes["img"]
        assert w <= width and w > 0
        assert len(boxes["spots"]) == len(expected)
        for (article, area), spot in zip(expected, boxes["spots"]):
            want = [left + area.x / 100 * w, top + area.y / 100 * h, area.w / 100 * w, area.h / 100 * h]
            assert all(abs(a - b) <= 1.5 for a, b in zip(spot, want)), (width, article.url, spot, want)


@pytest.mark.parametrize("lang", list(VIEWS))
def test_hotspots_are_named_by_their_headline_and_reached_in_reading_order(sites, open_page, lang):
    url = REPLICA[lang]
    expected = _hotspots(_page_model(sites, lang, url))
    page = open_page(lang, "desktop", url)
    replica = page.locator(".replica")
    for article, _area in expected:
        named = replica.get_by_role("link", name=article.title)
        assert named.count() == sum(1 for a, _ in expected if a.url == article.url), article.title
    # Tab from the element before the first hotspot: every hotspot in order, then the list.
    page.evaluate(
        """() => { const all = [...document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]")]
                              .filter(el => el.tabIndex >= 0);
                   const first = all.indexOf(document.querySelector(".replica .hotspot"));
                   all[first - 1].focus(); }"""
    )
    reached = []
    for _ in expected:
        page.keyboard.press("Tab")
        reached.append(page.evaluate(
            """() => { const el = document.activeElement, label = el.querySelector(".hotspot-label");
                       const style = getComputedStyle(el);
                       return {href: el.getAttribute("href"), cls: el.className,
                               label: label && getComputedStyle(label).opacity,
                               outline: style.outlineStyle, border: style.borderTopColor}; }"""
        ))
    assert [r["cls"] for r in reached] == ["hotspot"] * len(expected)
    assert [r["href"].split("/")[-1] for r in reached] == [a.url.split("/")[-1] for a, _ in expected]
    assert all(r["label"] == "1" and r["outline"] != "none" for r in reached), "focus shows the hotspot and its headline"
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('.page-articles')"), "after the picture, the list"
    page.hover(".replica .hotspot >> nth=0")
    assert page.evaluate("getComputedStyle(document.querySelector('.replica .hotspot-label')).opacity") == "1"


@pytest.mark.parametrize("lang,size", [(lang, size) for lang in VIEWS for size in SIZES])
def test_clicking_a_hotspot_opens_its_article(sites, open_page, lang, size):
    url = REPLICA[lang]
    expected = _hotspots(_page_model(sites, lang, url))
    page = open_page(lang, size, url)
    for index, (article, _area) in enumerate(expected):
        page.locator(".replica .hotspot").nth(index).click()
        page.wait_for_load_state("load")
        assert page.url == sites[lang][0] + article.url
        assert page.locator("h1").inner_text() == article.title
        page.go_back(wait_until="load")


# Typesetting ------------------------------------------------------------------------------

def test_chinese_body_is_typeset_by_clreq(open_page):
    page = open_page("zh", "desktop", VIEWS["zh"]["article"])
    got = page.evaluate(
        """() => {
            const p = document.querySelector(".story-body p"), s = getComputedStyle(p);
            const h = getComputedStyle(document.querySelector(".story-head .headline"));
            const width = text => { const span = document.createElement("span"); span.textContent = text;
                                    p.appendChild(span); const w = span.getBoundingClientRect().width; span.remove(); return w; };
            return {indent: parseFloat(s.textIndent) / parseFloat(s.fontSize), lineBreak: s.lineBreak,
                    wordBreak: s.wordBreak, align: s.textAlign, body: s.fontFamily, head: h.fontFamily,
                    trim: s.textSpacingTrim, autospace: s.textAutospace,
                    trimSupported: CSS.supports("text-spacing-trim", "normal"),
                    autospaceSupported: CSS.supports("text-autospace", "normal"),
                    comma: width("汉，汉") - width("汉汉"), period: width("汉。汉") - width("汉汉"),
                    quote: width("汉“汉") - width("汉汉"), em: parseFloat(s.fontSize)};
        }"""
    )
    assert got["indent"] == pytest.approx(2), "two-character first-line indent"
    assert got["lineBreak"] == "strict" and got["wordBreak"] == "normal"
    assert got["align"] == "justify"
    assert got["body"].startswith('"Noto Serif CJK SC"'), got["body"]
    assert got["head"].startswith('"Noto Sans CJK SC"'), got["head"]
    if got["trimSupported"]:
        assert got["trim"] == "normal"
    if got["autospaceSupported"]:
        assert got["autospace"] == "normal"
    for mark in ("comma", "period", "quote"):
        assert got[mark] == pytest.approx(got["em"], abs=0.5), (mark, "full-width punctuation stays full-width", got)


def test_english_body_is_hyphenated_with_curly_quotes(open_page):
    page = open_page("en", "phone", VIEWS["en"]["article"])
    got = page.evaluate(
        """() => { const body = document.querySelector(".story-body"), p = body.querySelector("p");
                   const s = getComputedStyle(p), second = getComputedStyle(body.querySelectorAll("p")[1]);
                   return {lang: p.closest("[lang]").lang, hyphens: s.hyphens, first: parseFloat(s.textIndent),
                           second: parseFloat(second.textIndent), font: s.fontFamily, size: parseFloat(s.fontSize),
                           text: body.innerText}; }"""
    )
    assert got["lang"] == "en" and got["hyphens"] == "auto"
    assert got["first"] == 0 and got["second"] > 0, "indent after the first paragraph"
    assert got["font"].startswith("Georgia")
    assert got["size"] >= 18
    assert "\u201c" in got["text"] and '"' not in got["text"]


@pytest.mark.parametrize("lang", list(VIEWS))
def test_article_prints_on_a4_without_navigation(open_page, lang, tmp_path):
    page = open_page(lang, "desktop", VIEWS[lang]["article"])
    page.emulate_media(media="print")
    shown = page.evaluate(
        """() => { const visible = sel => [...document.querySelectorAll(sel)]
                       .some(el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden");
                   return Object.fromEntries([".site-nav", ".breadcrumb", ".prev-next", ".site-footer", ".skip-link",
                       "h1.headline", ".story-head .byline", ".story .photo img", ".story-body p"].map(s => [s, visible(s)])); }"""
    )
    assert shown == {
        ".site-nav": False, ".breadcrumb": False, ".prev-next": False, ".site-footer": False, ".skip-link": False,
        "h1.headline": True, ".story-head .byline": True, ".story .photo img": True, ".story-body p": True,
    }
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes, "the PDF has pages"
    assert all(abs(float(w) - 595.28) < 2 and abs(float(h) - 841.89) < 2 for w, h in boxes), boxes[:1]
    assert len(boxes) <= 3
