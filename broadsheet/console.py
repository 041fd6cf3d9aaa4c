"""A progress bar on the terminal for long builds (nothing when output is not a terminal)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


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
