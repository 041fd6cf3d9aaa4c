"""What the build's steps share: the options asked for, what was read (`Loaded`), what was
done (`Result`), and the rendering of outputs into the staging folder."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import cache as build_cache
from . import search
from .config import SiteConfig
from .console import Progress
from .digests import Digests
from .model import Site
from .output import Staging
from .parallel import default_jobs, fork_map
from .plan import Output
from .problems import Problems
from .render import BodyHtml, Renderer, template_problem, template_problems


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


@dataclass(frozen=True)
class Replaced:
    """The articles an edit replaced in the kept model, and the outputs whose digest may cover them."""

    articles: list
    affected: set[str]
    shards: Any  # state.Shards: the build state's, as read


@dataclass(frozen=True)
class Loaded:
    """Everything read and validated, ready to render."""

    config: SiteConfig
    site: Site
    env: jinja2.Environment
    static_files: tuple[tuple[Path, str], ...]
    cache: build_cache.BuildCache
    store: build_cache.BodyStore
    live: frozenset[str] | None  # the body keys this site uses (None: its articles', found when saving)
    replaced: Replaced | None = None  # the kept model with edited articles replaced; None: assembled anew


def render(loaded: Loaded, options: Options, result: Result, outputs: list[Output], staging: Staging | None) -> None:
    """Render outputs (on all cores), writing each into the staging folder when there is one."""
    renderer = Renderer(loaded.env, loaded.site, loaded.config, BodyHtml(loaded.store))
    progress = Progress(len(outputs), "rendering", enabled=not options.quiet)

    def render_one(output: Output):
        try:
            text = renderer.render(output)
        except Exception as exc:  # noqa: BLE001 - any template error is reported at its line
            return template_problem(exc, loaded.config, output)
        if staging is not None:
            staging.write(output.url, text.encode("utf-8"))
        return None

    try:
        # Workers get indexes, not outputs: an output's context reaches the whole model, too big to pickle.
        found = fork_map(lambda index: render_one(outputs[index]), range(len(outputs)), options.jobs, progress.update)
        for problem in template_problems([problem for problem in found if problem is not None]):
            result.problems.error(*problem)
    finally:
        progress.close()
    result.outputs = len(outputs)
    result.rendered += len(outputs)


def search_input(loaded: Loaded, digests: Digests) -> search.SearchInput:
    """What the search index is made from, in this build."""
    edited = None if loaded.replaced is None else frozenset(a.edition for a in loaded.replaced.articles)
    return search.SearchInput(loaded.site, loaded.config.root, loaded.config.language, loaded.store.clean,
                              digests.article, BodyHtml(loaded.store).of, edited)

