"""What the build's steps share past the first (`changes`): what was read (`Loaded`), the
edited articles replaced in the kept model (`Replaced`), and the rendering of outputs into the
staging folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import jinja2

from . import cache as build_cache
from . import search
from .config import SiteConfig
from .console import Progress
from .digests import Digests
from .model import Site
from .options import Options, Result
from .output import Staging
from .parallel import fork_map
from .plan import Output
from .render import BodyHtml, Renderer, body_order, template_problem, template_problems


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


def render(loaded: Loaded, options: Options, result: Result, outputs: list[Output], staging: Staging | None,
           renderer: Renderer | None = None, meanwhile: Callable[[], None] | None = None) -> None:
    """Render outputs (on all cores), writing each into the staging folder when there is one;
    `meanwhile`: what this process does while the workers render."""
    renderer = renderer or Renderer(loaded.env, loaded.site, loaded.config, BodyHtml(loaded.store))
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
        order = body_order(outputs)
        found = fork_map(lambda index: render_one(outputs[index]), order, options.jobs, progress.update, meanwhile=meanwhile)
        found = [problem for _, problem in sorted(zip(order, found), key=lambda pair: pair[0])]
        for problem in template_problems([problem for problem in found if problem is not None]):
            result.problems.error(*problem)
    finally:
        progress.close()
    result.outputs = len(outputs)
    result.rendered += len(outputs)


def search_input(loaded: Loaded, digests: Digests) -> search.SearchInput:
    """What the search index is made from, in this build; the buckets and their editions' parts
    are kept in the build state's summary for the next edit (`search.plan`)."""
    cache, replaced = loaded.cache, loaded.replaced
    edited = None if replaced is None else frozenset(a.edition for a in replaced.articles)
    whole = cache.built is None or not cache.built.partial
    layout, parts = search.plan(loaded.site, digests.article, cache.summary.get("search"), edited, whole)
    cache.summary["search"] = (layout, parts)
    return search.SearchInput(loaded.site, loaded.config.root, loaded.config.language, loaded.store.clean,
                              digests.article, BodyHtml(loaded.store).of, layout, parts, edited)
