#!/usr/bin/env python3
"""Print the sample's page 2026-11-26/01 (要闻) to the PDF its page.yaml names, as a layout
system would: its three real stories, read from their article files, set on an A3 page in
columns, with the lead photo, printed by Debian's Chromium through Playwright.

    .venv/bin/python scripts/make_sample_pdf.py      # writes content/2026-11-26/01/images/page.pdf

The PDF is committed, so building the sample needs neither Chromium nor this script. page.yaml
names only the PDF: the page picture and every story's hotspot are found from it by the build.
"""

from __future__ import annotations

import base64
import html
import sys
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "tests"))

import headless  # noqa: E402

PAGE = PROJECT / "content" / "2026-11-26" / "01"
OUT = PAGE / "images" / "page.pdf"
WIDTH, HEIGHT = 297, 420  # millimetres: A3

STYLE = """
@page { size: 297mm 420mm; margin: 0 }
html, body { margin: 0; }
body { width: 297mm; height: 420mm; box-sizing: border-box; padding: 12mm 14mm;
       font-family: 'Noto Serif CJK SC', serif; color: #161616; }
.masthead { display: flex; align-items: flex-end; justify-content: space-between;
            border-bottom: 1.2mm double #9b1b1b; padding-bottom: 3mm; margin-bottom: 5mm; }
.masthead .name { font-size: 40pt; font-weight: 900; color: #9b1b1b; letter-spacing: 0.1em; }
.masthead .meta { font-size: 10pt; text-align: right; line-height: 1.6; }
.kicker { font-size: 13pt; margin: 0 0 1mm; }
.title { font-size: 28pt; font-weight: 900; margin: 0 0 1.5mm; line-height: 1.25; }
.subtitle { font-size: 13pt; margin: 0 0 2mm; }
.byline { font-size: 9pt; margin: 0 0 2.5mm; }
.body { font-size: 10pt; line-height: 1.6; text-align: justify; column-gap: 5mm; column-rule: 0.2mm solid #bbb; }
.body p { margin: 0; text-indent: 2em; }
.lead { border-bottom: 0.4mm solid #444; padding-bottom: 4mm; margin-bottom: 4mm; }
.lead .title { font-size: 34pt; }
.row { display: grid; grid-template-columns: 2fr 1fr; gap: 6mm; }
.row .second .title { font-size: 22pt; }
figure { margin: 0 0 2.5mm; }
figure img { width: 100%; display: block; }
figcaption { font-size: 8.5pt; margin-top: 1mm; color: #333; }
.comment { border: 0.4mm solid #9b1b1b; padding: 3mm 4mm; }
.comment .column { font-size: 11pt; color: #fff; background: #9b1b1b; display: inline-block; padding: 0.5mm 2mm; margin: 0 0 2mm; }
.comment .title { font-size: 20pt; }
"""


def read(name: str) -> tuple[dict, list[str]]:
    """An article's front matter and its paragraphs."""
    text = (PAGE / name).read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), [p.strip() for p in body.split("\n\n") if p.strip()]


def byline(front: dict) -> str:
    parts = []
    for entry in front.get("byline") or []:
        parts.append(entry if isinstance(entry, str) else f"{entry['role']} {' '.join(entry['names'])}")
    return "　".join(parts)


def story(name: str, css: str, columns: int, photo: bool = False) -> str:
    """One story as printed: kicker, headline, subtitle, byline, photo, body in columns."""
    front, paragraphs = read(name)
    if front.get("dateline"):
        paragraphs[0] = f"{front['dateline']}　{paragraphs[0]}"
    out = [f'<section class="{css}">']
    if front.get("column"):
        out.append(f'<p class="column">{html.escape(front["column"])}</p>')
    for key in ("kicker", "title", "subtitle"):
        if front.get(key):
            out.append(f'<p class="{key}">{html.escape(front[key])}</p>')
    if byline(front):
        out.append(f'<p class="byline">{html.escape(byline(front))}</p>')
    if photo and front.get("photos"):
        first = front["photos"][0]
        data = base64.b64encode((PAGE / first["src"]).read_bytes()).decode()
        out.append(f'<figure><img src="data:image/jpeg;base64,{data}" alt=""><figcaption>'
                   f'{html.escape(first["caption"])}（{html.escape(first["credit"])}）</figcaption></figure>')
    out.append(f'<div class="body" style="column-count: {columns}">')
    out.extend(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    out.append("</div></section>")
    return "".join(out)


def page() -> str:
    """The whole page as HTML."""
    return "".join([
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{STYLE}</style></head><body>',
        '<header class="masthead"><span class="name">河川日报</span>'
        '<span class="meta">2026年11月26日　星期四<br>第01版　要闻　责任编辑：陈晓帆</span></header>',
        story("nongtian-shuili.md", "lead", 4),
        '<div class="row">', story("tiehai-banlie.md", "second", 2, photo=True),
        story("shiping-dongxian.md", "comment", 1), "</div>",
        "</body></html>",
    ])


def main() -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = headless.launch(playwright)
        try:
            tab = browser.new_page()
            tab.emulate_media(media="print")
            tab.set_content(page())
            tab.evaluate("document.fonts.ready")
            OUT.parent.mkdir(parents=True, exist_ok=True)
            tab.pdf(path=str(OUT), width=f"{WIDTH}mm", height=f"{HEIGHT}mm", print_background=True,
                    prefer_css_page_size=True, margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})
        finally:
            browser.close()
    print(f"wrote {OUT.relative_to(PROJECT)} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
