#!/usr/bin/env python3
"""Lighthouse (npm `lighthouse`, pinned in package.json) on the sample with camera originals:
the front and the article holding a 6000×4000 JPEG with GPS, a portrait stored sideways and a
2400×1600 PNG (tests/camera_originals.py), mobile, as the issue's acceptance measures it.

    .venv/bin/python bench/lighthouse.py            # prints score, page weight and LCP per page
    .venv/bin/python bench/lighthouse.py --plain    # the sample as it is, without the originals

Needs node_modules/ (`npm ci`) and Debian's /usr/bin/chromium. tests/test_pictures.py runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT / "tests"))
import camera_originals  # noqa: E402
import headless  # noqa: E402

LIGHTHOUSE = PROJECT / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = {"front": "index.html", "article": "2026-11-27/01/dongji-nongye.html"}


def audit(url: str) -> dict[str, float]:
    """Lighthouse's mobile performance score (0-100), page weight (bytes) and LCP (s) of one URL."""
    flags = " ".join(headless.FLAGS)
    env = dict(os.environ, CHROME_PATH=str(headless.CHROMIUM))
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as profile:
        done = subprocess.run(
            ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout",
             "--only-categories=performance", f"--chrome-flags={flags} --user-data-dir={profile}"],
            capture_output=True, text=True, env=env, timeout=240, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse failed ({done.returncode}):\n{done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    audits = report["audits"]
    return {"score": round(report["categories"]["performance"]["score"] * 100),
            "bytes": audits["total-byte-weight"]["numericValue"],
            "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000}


def newsroom_sample(folder: Path, plain: bool = False) -> Path:
    """The sample copied into `folder`, with the camera originals unless `plain`, built; its output."""
    site = headless.copy_sample(folder / "site")
    if not plain:
        camera_originals.add_to_sample(site, camera_originals.make_all(folder / "originals"))
    return headless.build(site)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plain", action="store_true", help="the sample without the camera originals")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="broadsheet-lighthouse-") as temporary:
        out = newsroom_sample(Path(temporary), args.plain)
        with headless.serve(out) as base:
            for name, page in PAGES.items():
                found = audit(base + page)
                print(f"{name:8} performance {found['score']:3}  weight {found['bytes'] / 1024:6.0f} KB  "
                      f"LCP {found['lcp']:.1f} s  ({page})")


if __name__ == "__main__":
    main()
