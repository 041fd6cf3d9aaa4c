"""A build killed at any moment leaves the old site or the new one, never a mix; the next run cleans up."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time

from conftest import PROJECT

ARTICLES = 300


def write_articles(site, version: str) -> None:
    for n in range(ARTICLES):
        page = f"{n % 6 + 1:02d}"
        site.article(f"2026-11-27/{page}/story-{n}.md", f"title: 第{n}篇 {version}\n",
                     f"版本{version}。" + "这是一段正文。" * 40 + "\n")


def versions(out) -> set[str]:
    found = set()
    for path in out.rglob("story-*.html"):
        text = path.read_text(encoding="utf-8")
        found |= {v for v in ("甲", "乙") if f"版本{v}" in text}
    return found


def test_killed_build_leaves_old_or_new_site_never_a_mix(site):
    write_articles(site, "甲")
    (site.root / "content/2026-11-27/01/story.md").unlink()
    assert site.run().status == 0
    write_articles(site, "乙")
    timing = subprocess.run([sys.executable, str(PROJECT / "build.py"), "--quiet", "--out", str(site.root / "_timing")],
                            cwd=site.root, capture_output=True)
    assert timing.returncode == 0
    render_seconds = 0.5
    rng = random.Random(20261127)
    interrupted = 0
    for attempt in range(4):
        write_articles(site, "甲" if attempt % 2 else "乙")
        process = subprocess.Popen([sys.executable, str(PROJECT / "build.py"), "--quiet"], cwd=site.root)
        deadline = time.monotonic() + 30
        while not any(p.name.startswith("_site.staging-") for p in site.root.iterdir()):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.002)
        time.sleep(rng.uniform(0, render_seconds))  # a random moment of the rendering and the swap
        process.send_signal(signal.SIGKILL)
        process.wait()
        interrupted += any(p.name.startswith("_site.staging-") for p in site.root.iterdir())
        assert site.out.is_dir()
        found = versions(site.out)
        assert len(found) == 1, found
        assert len(list(site.out.rglob("story-*.html"))) == ARTICLES
    assert interrupted >= 1, "no kill landed during a build: the test proved nothing"
    assert site.run().status == 0
    leftovers = [p.name for p in site.root.iterdir() if p.name.startswith("_site.")]
    assert leftovers == []
