#!/usr/bin/env python3
"""Save-to-served latency of `build.py serve` on a copy of the sample site (or `--site`): median and p90 in ms.

    .venv/bin/python bench/serve_latency.py --runs 20
    .venv/bin/python bench/serve_latency.py --site /dev/shm/corpus --runs 5   # a built corpus, in place
    .venv/bin/python bench/serve_latency.py --site /dev/shm/corpus --runs 5 --pause 2   # an editor's pace

The server saves its build state once nothing has changed for a while (server.IDLE, 1.5 s):
saves 0.3 s apart (the default) are saved once, at the end; with `--pause` past IDLE each is
saved before the next (and the figures show whether that save gets in an edit's way).
"""

from __future__ import annotations

import argparse
import http.client
import math
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from broadsheet.pipeline import Options, load  # noqa: E402
from broadsheet.problems import Problems  # noqa: E402

SKIP = (".venv", "_site*", ".git", "tests", "bench", "__pycache__", "*.egg-info", ".pytest_cache", "node_modules")


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port: int, url: str) -> tuple[int, str]:
    """GET one path; (0, "") while the server does not answer."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", url)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""
    finally:
        conn.close()


def wait_for(port: int, url: str, text: str, timeout: float) -> float:
    """Poll every 10 ms until `text` is served at `url`; return when (perf_counter), or fail."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        status, body = fetch(port, url)
        if status == 200 and text in body:
            return time.perf_counter()
        time.sleep(0.01)
    raise SystemExit(f"timed out after {timeout} s waiting for {text!r} at {url}")


def measure(root: Path, config: Path, source: Path, url: str, runs: int, log_path: Path,
            pause: float = 0.3) -> tuple[list[float], list[float]]:
    """Start `build.py serve` on a site, save `source` `runs` times, `pause` seconds after each is
    served, and time each save until `url` serves it: (latencies in ms, the rebuilds' own times
    in ms from the summary lines). The server runs with --verbose, so the log also says where
    each rebuild's time went (`breakdown`)."""
    original = source.read_text(encoding="utf-8")
    port = free_port()
    log = open(log_path, "wb")
    server = subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), "serve", "--verbose", "--port", str(port), "--config", str(config)],
        cwd=root, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        wait_for(port, url, "</html>", timeout=1800)
        times = []
        for run in range(runs):
            marker = f"bench-{run}-{uuid.uuid4().hex[:8]}"
            saved = time.perf_counter()
            source.write_text(original + f"\n{marker}\n", encoding="utf-8")
            times.append((wait_for(port, url, marker, timeout=120) - saved) * 1000)
            time.sleep(pause)  # one save at a time, not a burst the watcher would merge
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
        log.close()
        source.write_text(original, encoding="utf-8")
    # The build's own share, from the summary lines `serve` printed ("… in 0.12 s").
    builds = [float(m) * 1000 for m in re.findall(r"changed: .* in ([0-9.]+) s", log_path.read_text())]
    return times, builds


def breakdown(log_path: Path) -> str:
    """Where the rebuilds' time went, median of each step over the rebuilds after a save: from the
    save to the rebuild's start (the watcher's delay and debounce), then the build's own steps."""
    text = log_path.read_text(encoding="utf-8", errors="replace")
    steps: dict[str, list[float]] = {"noticed": [float(m) for m in re.findall(r"rebuild started (\d+) ms after", text)]}
    for line in re.findall(r"rebuild started .*?\ntime: ([^\n]*)", text, re.S):
        for name, seconds in re.findall(r"([a-z ]+) ([0-9.]+) s", line):
            steps.setdefault(name.strip(), []).append(float(seconds) * 1000)
    saved = [float(m) * 1000 for m in re.findall(r"build state saved in ([0-9.]+) s", text)]
    steps = {name: values for name, values in steps.items() if values}
    return (", ".join(f"{name} {statistics.median(values):.0f}" for name, values in steps.items()) + " (ms); "
            f"build state saved {len(saved)} times" + (f", median {statistics.median(saved):.0f} ms" if saved else ""))


def oldest_article(root: Path) -> Path:
    """The archive's far end: the first article file of the oldest edition (without reading the site)."""
    return min((root / "content").rglob("*/*/*.md"), key=lambda p: (p.parent.parent.name, p.parent.name, p.name))


def summary(times: list[float], builds: list[float], what: str) -> str:
    """The figures as printed."""
    ordered = sorted(times)
    p90 = ordered[math.ceil(0.9 * len(ordered)) - 1]  # nearest rank
    lines = [f"{len(times)} saves of {what}",
             f"save-to-served latency: median {statistics.median(times):.0f} ms, p90 {p90:.0f} ms "
             f"(min {ordered[0]:.0f}, max {ordered[-1]:.0f})"]
    if len(builds) == len(times):  # one rebuild per save: the rest is the server's own share
        # Approximate: the summary's time also counts saving the build cache after the swap.
        overhead = statistics.median(t - b for t, b in zip(times, builds))
        lines.append(f"rebuild (summary line): median {statistics.median(builds):.0f} ms; "
                     f"the rest (noticing, debounce, serving): about {overhead:.0f} ms")
    return "\n".join(lines)


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="saves to time (default: 20)")
    parser.add_argument("--pause", type=float, default=0.3, help="seconds from a save served to the next save (default: 0.3)")
    parser.add_argument("--site", type=Path, help="a site to serve in place (default: a copy of the sample); "
                        "its oldest article is saved")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-") as tmp:
        if args.site:
            root = args.site.resolve()
        else:
            root = Path(tmp) / "site"
            shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns(*SKIP))
        config = root / "site.yaml"
        if args.site:  # the oldest article: found by its folders, a large site's model is not loaded here
            path = oldest_article(root)
            source, url = path.relative_to(root).as_posix(), f"{path.parent.parent.name}/{path.parent.name}/{path.stem}.html"
        else:  # the newest edition's lead story
            article = load(Options(config_path=config, out=root / "_site"), Problems()).site.editions[0].articles[0]
            source, url = article.source, article.url
        log = Path(tmp) / "serve.log"
        times, builds = measure(root, config, root / source, "/" + url, args.runs, log, args.pause)
        print(summary(times, builds, f"{source} → /{url}"))
        print("where it goes: " + breakdown(log))
    return 0


if __name__ == "__main__":
    sys.exit(main())
