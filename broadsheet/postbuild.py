"""What a build does in the staging folder after rendering, before the new output goes live.

Called from `pipeline._write` only when something changed (a build in which
nothing changed returns before), so a rebuild that changes nothing never runs
the search indexer. An error reported here stops the build before the output
is touched: the old output stays as it was.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from . import search, taxonomy
from .output import MARKER

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
    global last_index
    taxonomy.memo(loaded.config).save()
    started = time.monotonic()
    if old is not None and not (old / MARKER).is_file():
        old = None  # not an output of Broadsheet's: nothing in it to reuse
    done = search.build_index(loaded, staging, old, in_place, digests, result.problems, jobs=options.jobs)
    last_index = (done, time.monotonic() - started)
    if done.indexed or done.reused:
        result.notes.append(
            f"search: indexed {done.indexed} of {done.indexed + done.reused} bundles in {last_index[1]:.2f} s"
        )
    return done.moves, done.deletions
