"""What the terminal shows: problems, folder names and a progress bar for long builds (none when
output is not a terminal)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

from .problems import Problems


class Progress:
    """Draws `[#####     ] 120/400 rendering` on stderr, only after the work has taken a while."""

    DELAY = 1.0  # seconds before the bar appears, so quick builds print only their summary

    def __init__(self, total: int, label: str, enabled: bool, stream: TextIO | None = None):
        self.total = max(total, 1)
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.start = time.monotonic()
        self.shown = False
        self.last = 0.0

    def update(self, done: int) -> None:
        """Redraw the bar (at most ten times a second)."""
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < self.DELAY or (now - self.last < 0.1 and done < self.total):
            return
        self.last = now
        width = 30
        filled = width * done // self.total
        self.stream.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{self.total} {self.label}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Erase the bar so the summary line stands alone."""
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


def report(problems: Problems, strict: bool, stream=None) -> None:
    """Print every problem, errors and warnings sorted by file and line."""
    stream = stream or sys.stderr
    for problem in sorted(problems.errors + problems.warnings):
        print(problem, file=stream)
    errors, warnings = len(problems.errors), len(problems.warnings)
    if errors or (strict and warnings):
        counted = [f"{errors} error{'s' * (errors != 1)}"]
        if warnings:
            counted.append(f"{warnings} warning{'s' * (warnings != 1)}" + (" (errors with --strict)" if strict else ""))
        print(f"{', '.join(counted)}; nothing written.", file=stream)


def shown(path: Path) -> str:
    """A folder as the terminal shows it: relative to the working folder when inside it."""
    try:
        return path.relative_to(Path.cwd()).as_posix() + "/"
    except ValueError:
        return path.as_posix() + "/"
