"""Printed pages for the replica tests and the sample: stories laid out in HTML at known places,
printed to a PDF by Chromium, and the true box of each story's text measured in the browser.

A story is a dict: `key`, `box` (x, y, w in millimetres), `columns`, `kicker`, `title`,
`subtitle`, `byline`, `paragraphs`; `lang` is the page's language.
"""

from __future__ import annotations

import html
from pathlib import Path

from headless import launch

MM = 96 / 25.4  # CSS pixels per millimetre

_STYLE = """
@page { size: %(w)smm %(h)smm; margin: 0 }
html, body { margin: 0; padding: 0; }
body { width: %(w)smm; height: %(h)smm; position: relative; font-family: %(font)s; color: #111; }
.story { position: absolute; }
.kicker { font-size: 13pt; margin: 0 0 1.5mm; }
.title { font-size: 26pt; font-weight: bold; margin: 0 0 2mm; line-height: 1.2; }
.subtitle { font-size: 13pt; margin: 0 0 2mm; }
.byline { font-size: 9pt; margin: 0 0 2mm; }
.body { column-gap: 5mm; font-size: 9.5pt; line-height: 1.55; text-align: justify; hyphens: auto; }
.body p { margin: 0; text-indent: 2em; }
.rule { position: absolute; border-top: 0.6mm solid #333; }
"""


def page_html(stories: list[dict], width_mm: float, height_mm: float, lang: str = "zh-CN") -> str:
    """A printed page: each story a block at its box, its body in its columns."""
    font = "'Noto Serif CJK SC', serif" if lang.startswith("zh") else "'DejaVu Serif', 'Noto Serif', serif"
    parts = [f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><style>',
             _STYLE % {"w": width_mm, "h": height_mm, "font": font}, "</style></head><body>"]
    for story in stories:
        x, y, w = story["box"]
        parts.append(f'<div class="story" data-story="{story["key"]}" style="left:{x}mm; top:{y}mm; width:{w}mm">')
        for name in ("kicker", "title", "subtitle", "byline"):
            if story.get(name):
                parts.append(f'<p class="{name}">{html.escape(story[name])}</p>')
        parts.append(f'<div class="body" style="column-count:{story.get("columns", 1)}">')
        parts.extend(f"<p>{html.escape(text)}</p>" for text in story["paragraphs"])
        parts.append("</div></div>")
    parts.append("</body></html>")
    return "".join(parts)


_MEASURE = """() => {
  const boxes = {};
  for (const story of document.querySelectorAll('[data-story]')) {
    const range = document.createRange();
    range.selectNodeContents(story);
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const r of range.getClientRects()) {
      if (r.width === 0 || r.height === 0) continue;
      x0 = Math.min(x0, r.left); y0 = Math.min(y0, r.top); x1 = Math.max(x1, r.right); y1 = Math.max(y1, r.bottom);
    }
    boxes[story.dataset.story] = [x0, y0, x1, y1];
  }
  return boxes;
}"""


def print_pdf(html_text: str, path: Path, width_mm: float, height_mm: float,
              browser=None) -> dict[str, tuple[float, ...]]:
    """Print the page to `path` with Chromium (a browser of its own, or the Playwright `browser`
    given); give each story's text box as (x, y, w, h) in percent of the page, measured in the
    same layout."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            launched = launch(playwright)
            try:
                return print_pdf(html_text, path, width_mm, height_mm, launched)
            finally:
                launched.close()
    width, height = width_mm * MM, height_mm * MM
    page = browser.new_page(viewport={"width": round(width), "height": round(height)})
    try:
        page.emulate_media(media="print")
        page.set_content(html_text)
        page.evaluate("document.fonts.ready")
        measured = page.evaluate(_MEASURE)
        page.pdf(path=str(path), width=f"{width_mm}mm", height=f"{height_mm}mm", print_background=True,
                 prefer_css_page_size=True, margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})
    finally:
        page.close()
    return {key: (100 * x0 / width, 100 * y0 / height, 100 * (x1 - x0) / width, 100 * (y1 - y0) / height)
            for key, (x0, y0, x1, y1) in measured.items()}


def iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """Intersection over union of two (x, y, w, h) boxes."""
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)
