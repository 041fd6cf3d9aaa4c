#!/usr/bin/env python3
"""Save-to-served latency of `build.py serve` on a copy of the sample site: median and p90 in ms."""

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


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="saves to time (default: 20)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-") as tmp:
        root = Path(tmp) / "site"
        shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns(*SKIP))
        config = root / "site.yaml"
        loaded = load(Options(config_path=config, out=root / "_site"), Problems())
        article = loaded.site.editions[0].articles[0]  # the newest edition's lead story
        source, url = root / article.source, "/" + article.url
        original = source.read_text(encoding="utf-8")

        port = free_port()
        log = open(Path(tmp) / "serve.log", "wb")
        server = subprocess.Popen(
            [sys.executable, str(PROJECT / "build.py"), "serve", "--port", str(port), "--config", str(config)],
            cwd=root, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            wait_for(port, url, "</html>", timeout=60)
            times = []
            for run in range(args.runs):
                marker = f"bench-{run}-{uuid.uuid4().hex[:8]}"
                saved = time.perf_counter()
                source.write_text(original + f"\n{marker}\n", encoding="utf-8")
                times.append((wait_for(port, url, marker, timeout=30) - saved) * 1000)
                time.sleep(0.2)  # one save at a time, not a burst the debounce would merge
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=10)
            log.close()
        # The build's own share, from the summary lines `serve` printed ("… in 0.12 s").
        builds = [float(m) * 1000 for m in re.findall(r"changed: .* in ([0-9.]+) s", (Path(tmp) / "serve.log").read_text())]

    ordered = sorted(times)
    p90 = ordered[math.ceil(0.9 * len(ordered)) - 1]  # nearest rank
    print(f"{len(times)} saves of {article.source} → {url}")
    print(f"save-to-served latency: median {statistics.median(times):.0f} ms, p90 {p90:.0f} ms "
          f"(min {ordered[0]:.0f}, max {ordered[-1]:.0f})")
    if len(builds) == len(times):  # one rebuild per save: the rest is the server's own share
        # Approximate: the summary's time also counts saving the build cache after the swap.
        overhead = statistics.median(t - b for t, b in zip(times, builds))
        print(f"rebuild (summary line): median {statistics.median(builds):.0f} ms; "
              f"the rest (noticing, debounce, serving): about {overhead:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
