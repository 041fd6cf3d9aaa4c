#!/usr/bin/env python3
"""Screenshots of the sample edition for the README: front, page view and article,
on a desktop (1280 px) and a phone (375 px), written to docs/screenshots/*.png.

    .venv/bin/python scripts/screenshots.py                 # the sample → docs/screenshots/
    .venv/bin/python scripts/screenshots.py --english --out /tmp/shots-en

The site is built into a temporary folder and served on 127.0.0.1; the browser is
Debian's /usr/bin/chromium driven by Playwright (as in tests/test_browser.py).
The page views show their first hotspot as the mouse points at it; `replica` is a page whose
picture and hotspots come from its PDF alone.
Each picture is the top of the page, at most --max-height CSS pixels tall, and
is reduced to a 256-colour PNG when it would be larger than 400 KB.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "tests"))

import headless  # noqa: E402

VIEWS = {
    "zh": {"front": "index.html", "page": "2026-11-27/01/index.html", "article": "2026-11-27/01/dongji-nongye.html",
           "replica": "2026-11-26/01/index.html"},  # picture and hotspots found from the page's PDF alone
    "en": {"front": "index.html", "page": "2026-11-27/A1/index.html", "article": "2026-11-27/A1/bridge-reopens.html"},
}
SIZES = {"desktop": (headless.DESKTOP, 1500), "phone": (headless.PHONE, 1700)}
LIMIT = 400 * 1024
EAGER = """async () => {
    const images = [...document.images];
    images.forEach(img => { img.loading = "eager"; });
    await Promise.all(images.map(img => img.complete ? null : new Promise(done => { img.onload = img.onerror = done; })));
}"""


def _shrink(png: bytes) -> bytes:
    """The PNG as it is, or reduced to 256 colours when it is over LIMIT."""
    if len(png) <= LIMIT:
        return png
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    reduced = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    reduced.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--english", action="store_true", help="the English fixture instead of the sample")
    parser.add_argument("--out", type=Path, default=PROJECT / "docs" / "screenshots", help="where the PNGs go")
    parser.add_argument("--max-height", type=int, default=None, help="cap each picture's height (CSS px)")
    args = parser.parse_args(argv)

    reason = headless.missing(need_axe=False)
    if reason:
        print(f"screenshots: {reason}", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    language = "en" if args.english else "zh"
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="broadsheet-shots-") as tmp:
        copy = headless.copy_english if args.english else headless.copy_sample
        site = headless.build(copy(Path(tmp) / "site"))
        with headless.serve(site) as base, sync_playwright() as playwright:
            browser = headless.launch(playwright)
            try:
                for size, (viewport, max_height) in SIZES.items():
                    context = browser.new_context(viewport=viewport, device_scale_factor=1)
                    page = context.new_page()
                    for view, url in VIEWS[language].items():
                        page.goto(base + url, wait_until="load")
                        page.evaluate(EAGER)
                        if view in ("page", "replica") and page.locator(".replica .hotspot").count():
                            page.hover(".replica .hotspot >> nth=0")   # show a hotspot and its headline
                            page.wait_for_timeout(400)                   # its fade-in done
                        height = page.evaluate("document.scrollingElement.scrollHeight")
                        clip_height = min(height, args.max_height or max_height)
                        png = page.screenshot(
                            full_page=True,
                            clip={"x": 0, "y": 0, "width": viewport["width"], "height": clip_height},
                        )
                        png = _shrink(png)
                        target = args.out / f"{view}-{size}.png"
                        target.write_bytes(png)
                        print(f"{target.relative_to(PROJECT) if target.is_relative_to(PROJECT) else target}"
                              f"  {viewport['width']}×{clip_height}  {len(png) // 1024} KB")
                    context.close()
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
