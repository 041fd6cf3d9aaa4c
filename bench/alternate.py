#!/usr/bin/env python3
"""Full clean builds of one corpus by an older commit and by this checkout, alternated, so that a
shared machine's load falls on both alike. Prints wall and CPU seconds (the build process and its
children) of each run, their medians and the ratios.

    .venv/bin/python bench/alternate.py 8fac3c0 --size 2000 --runs 5
    .venv/bin/python bench/alternate.py 8fac3c0 --size 2000 --runs 5 --jobs 1
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, children included) of one build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", help="the commit to compare with, e.g. 8fac3c0")
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="broadsheet-alternate-") as tmp:
        old = Path(tmp) / "old"
        old.mkdir()
        archive = subprocess.run(["git", "archive", args.old], cwd=PROJECT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        sides = {"old": old, "new": PROJECT}
        for name, checkout in sides.items():  # each side's corpus with its own theme
            subprocess.run([sys.executable, str(checkout / "bench" / "make_corpus.py"), str(args.size),
                            str(Path(tmp) / f"{name}-site")], check=True)
        extra = ["--jobs", str(args.jobs)] if args.jobs else []
        walls: dict[str, list[float]] = {name: [] for name in sides}
        cpus: dict[str, list[float]] = {name: [] for name in sides}
        for _ in range(args.runs):
            for name, checkout in sides.items():
                site = Path(tmp) / f"{name}-site"
                for leftover in (site / "_site", site / ".broadsheet-cache"):
                    shutil.rmtree(leftover, ignore_errors=True)
                wall, cpu = timed([sys.executable, str(checkout / "build.py"), "--quiet", *extra], site)
                walls[name].append(wall)
                cpus[name].append(cpu)
                print(f"{name} wall {wall:.2f} s, cpu {cpu:.2f} s", flush=True)
    for label, found in (("wall", walls), ("cpu", cpus)):
        old_median, new_median = statistics.median(found["old"]), statistics.median(found["new"])
        print(f"{label}: old {old_median:.2f} s, new {new_median:.2f} s, new/old {new_median / old_median:.3f}")


if __name__ == "__main__":
    main()
