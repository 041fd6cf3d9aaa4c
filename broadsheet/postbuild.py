"""What a build does in the staging folder after rendering, before the new output goes live.

A full build (`pipeline._write`) starts the search indexer as soon as the
articles' digests are known, in a forked child beside planning and rendering,
and settles it before the swap; a rebuild in which no input changed never
reaches it. An error reported here stops the build before the output is
touched: the old output stays as it was.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import search, taxonomy
from .output import MARKER
from .parallel import in_background

if TYPE_CHECKING:
    from .output import Staging
    from .pipeline import Loaded, Options, Result
    from .render import Digests

#: what the last search indexing in this process did and how long it took (benchmarks, tests)
last_index: tuple[search.Indexed, float] = (search.Indexed(), 0.0)


def run(loaded: "Loaded", options: "Options", staging: "Staging", old: Path | None, in_place: bool,
        digests: "Digests", result: "Result") -> tuple[list[str], list[str]]:
    """Keep the tag and people slugs for the next build, build the search index; return what a
    file-by-file update must move in and delete besides the rendered outputs.

    `old` is the output folder being replaced. Its search bundles are reused even when the build
    cache cannot vouch for it (a site.yaml edit starts the cache afresh), since each bundle
    carries the digest of what it was made from."""
    return finish(start(loaded, options, staging, old, digests, background=False), loaded, staging, old, in_place, result)


def start(loaded: "Loaded", options: "Options", staging: "Staging", old: Path | None, digests: "Digests",
          background: bool = True) -> Callable[[], tuple[search.Indexed, float]]:
    """Start indexing the changed search bundles into the staging folder, in a forked child beside
    what the build does next (`background`); return the call that waits for it."""
    old = _reusable(old)

    def index() -> tuple[search.Indexed, float]:
        started = time.monotonic()
        done = search.index_bundles(loaded, staging, old, digests, jobs=options.jobs)
        return done, time.monotonic() - started

    return in_background(index, options.jobs if background else 1)


def finish(indexing: Callable[[], tuple[search.Indexed, float]], loaded: "Loaded", staging: "Staging",
           old: Path | None, in_place: bool, result: "Result") -> tuple[list[str], list[str]]:
    """Wait for the indexing `start` began and settle it (`search.settle`); keep the slugs."""
    global last_index
    taxonomy.memo(loaded.config).save()
    done, seconds = indexing()
    search.settle(done, loaded, staging, _reusable(old), in_place, result.problems)
    last_index = (done, seconds)
    if done.indexed or done.reused:
        result.notes.append(f"search: indexed {done.indexed} of {done.indexed + done.reused} bundles in {seconds:.2f} s")
    return done.moves, done.deletions


def _reusable(old: Path | None) -> Path | None:
    """The old output, when it is Broadsheet's: else there is nothing in it to reuse."""
    return old if old is not None and (old / MARKER).is_file() else None
