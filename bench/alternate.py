#!/usr/bin/env python3
"""Time two commits of Broadsheet against each other, alternated in one run, so that the shared
machine's drift falls on both alike.

Each commit is exported (`git archive`) into a temporary folder; one corpus of N articles is
made by `make_corpus.py`, and for each round, for each commit in turn: a full build from nothing,
a rebuild with no change, and a rebuild after one article's body was edited (the corpus is put
back afterwards). Prints the median of each figure per commit and the ratio new / old: wall
seconds, and the CPU seconds (user and system, the build and its workers) beside them, which a
busy shared machine moves less.

    .venv/bin/python bench/alternate.py 8fac3c0 HEAD --size 10000 --rounds 3 --workdir /dev/shm
    .venv/bin/python bench/alternate.py main HEAD --size 2000 --rich --rounds 5 --workdir /dev/shm
"""

from __future__ import annotations

import argparse
import compileall
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
sys.path.insert(0, str(HERE))
from make_corpus import make  # noqa: E402

SCENARIOS = ("full build from nothing", "no-change rebuild", "one article's body edited")


def export(commit: str, target: Path) -> Path:
    """The commit's files in `target`."""
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(PROJECT), "archive", commit], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    compileall.compile_dir(target / "broadsheet", quiet=1)  # as installed: both commits run from bytecode
    return target


def timed(build: Path, site: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds of one quiet build of the site by the build.py given."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, str(build), "--quiet"], cwd=site, check=True, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def one_round(build: Path, site: Path, article: Path, original: str, number: int) -> list[tuple[float, float]]:
    """The three scenarios for one commit, from an empty output and cache."""
    for name in ("_site", ".broadsheet-cache"):
        shutil.rmtree(site / name, ignore_errors=True)
    figures = [timed(build, site), timed(build, site)]
    article.write_text(original + f"\n新增一段正文{number}。\n", encoding="utf-8")
    figures.append(timed(build, site))
    article.write_text(original, encoding="utf-8")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description="two commits alternated on one corpus")
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--rich", action="store_true", help="the rich-copy corpus (make_corpus.py --rich)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.workdir) as temporary:
        work = Path(temporary)
        builds = {commit: export(commit, work / f"code-{index}") / "build.py"
                  for index, commit in enumerate((args.old, args.new))}
        site = work / "site"
        make(args.size, site, rich=args.rich)
        article = min((site / "content").rglob("a*.md"))
        original = article.read_text(encoding="utf-8")
        found: dict[str, list[list[tuple[float, float]]]] = {commit: [] for commit in builds}
        for number in range(args.rounds):
            for commit, build in builds.items():
                found[commit].append(one_round(build, site, article, original, number))
        corpus = "rich copy" if args.rich else "bench corpus"
        print(f"N = {args.size:,} articles ({corpus}), {args.rounds} rounds alternated, medians in seconds")
        for index, scenario in enumerate(SCENARIOS):
            for kind, at in (("wall", 0), ("CPU", 1)):
                old, new = (statistics.median(r[index][at] for r in found[commit]) for commit in builds)
                print(f"  {scenario:28s} {kind:4s} {args.old}: {old:6.2f}  {args.new}: {new:6.2f}  new/old {new / old:.2f}")


if __name__ == "__main__":
    main()
