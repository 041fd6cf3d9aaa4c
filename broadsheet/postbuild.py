"""What a build does in the staging folder after rendering, before the new output goes live.

A full build (`pipeline._write`) starts the search indexer as soon as the
articles' digests are known, in a forked child beside planning and rendering,
a build on the kept model beside its rendering, and both settle it before the swap; a
rebuild in which no input changed never reaches it. An error reported here stops the build before the output is
touched: the old output stays as it was.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from . import search
from .output import MARKER
from .parallel import in_background

if TYPE_CHECKING:
    from .config import SiteConfig
    from .output import Staging
    from .problems import Problems

#: what the last search indexing in this process did and how long it took (benchmarks, tests)
last_index: tuple[search.Indexed, float] = (search.Indexed(), 0.0)


@contextlib.contextmanager
def indexing(source: search.SearchInput, jobs: int, staging: "Staging",
             old: Path | None) -> Iterator[Callable[[], tuple[search.Indexed, float]]]:
    """Index the changed search bundles into the staging folder in a forked child while the build
    goes on (here and now with one job, or in the dev server); give the call that waits for it,
    for `finish`. The child is waited for on the way out, whatever happened: the staging folder
    must not go while it writes there.

    `old` is the output folder being replaced. Its search bundles are reused even when the build
    cache cannot vouch for it (a site.yaml edit starts the cache afresh), since each bundle
    carries the digest of what it was made from."""
    old = _reusable(old)

    def index() -> tuple[search.Indexed, float]:
        started = time.monotonic()
        done = search.index_bundles(source, staging, old, jobs=jobs)
        return done, time.monotonic() - started

    join = in_background(index, jobs)
    try:
        yield join
    finally:
        try:
            join()
        except Exception:  # noqa: BLE001 - raised to `finish`, when the build got that far
            pass


def finish(indexing: Callable[[], tuple[search.Indexed, float]], config: "SiteConfig", staging: "Staging",
           old: Path | None, in_place: bool, problems: "Problems", notes: list[str]) -> tuple[list[str], list[str]]:
    """Wait for the `indexing` and settle it (`search.settle`); return what a file-by-file update must move in and delete besides the
    rendered outputs."""
    global last_index
    done, seconds = indexing()
    # an `old` that `indexing` found not to be Broadsheet's output left nothing kept or existing
    search.settle(done, config.root, staging, old, in_place, problems)
    last_index = (done, seconds)
    if done.indexed or done.reused:
        notes.append(f"search: indexed {done.indexed} of {done.indexed + done.reused} bundles in {seconds:.2f} s")
    return done.moves, done.deletions


def _reusable(old: Path | None) -> Path | None:
    """The old output, when it is Broadsheet's: else there is nothing in it to reuse."""
    return old if old is not None and (old / MARKER).is_file() else None
