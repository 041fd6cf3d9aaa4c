"""What the command line asked for (`Options`) and what a build or check did (`Result`): light,
so that a build with nothing to do imports little more than them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .parallel import default_jobs
from .problems import Problems

if TYPE_CHECKING:
    from .model import Site


@dataclass(frozen=True)
class Options:
    """What the command line asked for."""

    config_path: Path
    out: Path
    drafts: bool = False
    strict: bool = False
    base_url: str | None = None
    quiet: bool = False
    verbose: bool = False
    jobs: int = field(default_factory=default_jobs)
    clean: bool = False


@dataclass
class Result:
    """What a build or check did: its problems and counts."""

    problems: Problems = field(default_factory=Problems)
    site: Site | None = None
    outputs: int = 0
    rendered: int = 0
    seconds: float = 0.0
    ok: bool = False
    known_counts: tuple[int, int, int, int] = (0, 0, 0, 0)
    notes: list[str] = field(default_factory=list)  # what was done, for --verbose
    phases: dict[str, float] = field(default_factory=dict)  # seconds each step took, for --verbose
    _lap: float = field(default_factory=time.monotonic, repr=False)

    def lap(self, phase: str) -> None:
        """Note the time since the last lap as this phase's."""
        now = time.monotonic()
        self.phases[phase] = self.phases.get(phase, 0.0) + now - self._lap
        self._lap = now

    def note_times(self) -> None:
        """Add each phase's time to the notes --verbose prints."""
        self.notes.append("time: " + ", ".join(f"{k} {v:.2f} s" for k, v in self.phases.items()))

    @property
    def counts(self) -> tuple[int, int, int, int]:
        """Editions, pages and articles built, and editions left out as drafts only."""
        if self.site is None:
            return self.known_counts
        site = self.site
        return (len(site.editions), sum(len(e.pages) for e in site.editions), len(site.articles), len(site.unpublished))

    @counts.setter
    def counts(self, value: tuple[int, int, int, int]) -> None:
        self.known_counts = value

    def summary(self, verb: str) -> str:
        """The one-line summary: editions, pages, articles, seconds."""
        editions, pages, articles, skipped = self.counts
        warnings = len(self.problems.warnings)
        extra = f", {warnings} warning{'s' * (warnings != 1)}" if warnings else ""
        if skipped:
            extra += f"; {skipped} edition{'s' * (skipped != 1)} skipped: all drafts"
        return (
            f"{verb} {editions} edition{'s' * (editions != 1)}, {pages} page{'s' * (pages != 1)}, "
            f"{articles} article{'s' * (articles != 1)} in {self.seconds:.2f} s{extra}"
        )
