#!/usr/bin/env python3
"""The cost of camera originals: photos per second per core, and the first build of an edition
of 100 photos (each a 6000×4000 JPEG with GPS, as a camera gives it), against the same edition
built again with nothing changed.

    .venv/bin/python bench/pictures.py --photos 100 --workdir /dev/shm

Prints: photos per second per core (the CPU seconds one camera original costs, derived in this
process: a figure a shared machine's load hardly moves), the whole first build with every core
(wall and CPU seconds), and the rebuild with no change (which derives nothing).
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import ImageDraw

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT / "tests"))
sys.path.insert(0, str(PROJECT))
import camera_originals  # noqa: E402


def edition(site: Path, photos: int) -> None:
    """An edition of `photos` articles over 10 pages, each with its own camera original."""
    site.mkdir(parents=True)
    (site / "site.yaml").write_text("title: 基准日报\nbase_url: https://bench.example.org/\n", encoding="utf-8")
    base = camera_originals.scene(6000, 4000, 7)
    exif = camera_originals.camera_exif()
    for n in range(photos):
        page = site / "content" / "2026-11-27" / f"{n % 10 + 1:02d}"
        (page / "images").mkdir(parents=True, exist_ok=True)
        picture = base.copy()
        ImageDraw.Draw(picture).rectangle([n * 50, 600, n * 50 + 400, 1000], fill=(n * 2 % 256, 90, 160))  # its own content
        picture.save(page / "images" / f"p{n}.jpg", quality=92, exif=exif)
        (page / f"a{n:03d}.md").write_text(
            f"---\ntitle: 第{n}篇稿件\nphotos:\n  - src: images/p{n}.jpg\n    caption: 现场。\n---\n\n正文。\n",
            encoding="utf-8")


def build(site: Path, *args: str) -> tuple[float, str]:
    """Wall seconds of one build, and what --verbose said."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(PROJECT / "build.py"), "--verbose", *args], cwd=site,
                          capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout + done.stderr


def cpu_seconds_to_derive(paths: list[Path]) -> float:
    """The CPU seconds this process takes to derive every derivative of each original, with the defaults."""
    from broadsheet.pictures import encoding, reading, renditions, settings

    chosen = settings.PictureSettings()
    started = time.process_time()
    for path in paths:
        _, picture = renditions.plan(reading.facts(path, path.name), chosen, path.name)
        widest = picture.renditions[-1]
        image, icc, exif = reading.upright(path, path.name, (widest.width, widest.height))
        encoding.derive(image, picture.renditions, chosen, icc, exif)
    return time.process_time() - started


def picture_seconds(said: str) -> float:
    found = re.search(r"pictures (\d+\.\d+) s", said)
    return float(found.group(1)) if found else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--per-core", type=int, default=10, help="photos derived with one job, for the per-core rate")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.workdir) as temporary:
        one = Path(temporary) / "one-core"
        edition(one, args.per_core)
        seconds = cpu_seconds_to_derive(sorted((one / "content").rglob("*.jpg")))
        print(f"one core: {args.per_core} camera originals (6000×4000) derived in {seconds:.1f} CPU s: "
              f"{args.per_core / seconds:.2f} photos per second per core")
        site = Path(temporary) / "edition"
        edition(site, args.photos)
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        first, said = build(site)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        again, said_again = build(site)
        print(f"first build of a {args.photos}-photo edition, all cores: {first:.1f} s wall "
              f"(pictures {picture_seconds(said):.1f} s), {after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime:.0f} CPU s")
        print(f"rebuild, nothing changed: {again:.2f} s ({'nothing to do' in said_again and 'no picture work' or said_again})")
        size = sum(p.stat().st_size for p in (site / "content").rglob("*.jpg"))
        published = sum(p.stat().st_size for p in (site / "_site").rglob("*") if p.suffix in (".jpg", ".webp", ".avif"))
        print(f"originals {size / 2**20:.0f} MB → derivatives {published / 2**20:.0f} MB published "
              f"({len(list((site / '_site').rglob('p*.*.*')))} files)")


if __name__ == "__main__":
    main()
