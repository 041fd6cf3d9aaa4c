"""Work spread over the machine's cores with forked worker processes."""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 64  # below this, starting workers costs more than it saves

_TASK: Callable | None = None


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _run(item):
    return _TASK(item)  # type: ignore[misc]


def _worker_start() -> None:
    # A build runs with the collector off (cli.run); a worker collects its own garbage, and the
    # objects it inherited were frozen before the fork, so it never walks them (nor copies the
    # pages they sit on by touching them).
    gc.enable()


def fork_map(task: Callable[[T], R], items: Iterable[T], jobs: int, progress: Callable[[int], None] | None = None,
             min_items: int = MIN_ITEMS) -> list[R]:
    """`[task(x) for x in items]`, in order, on `jobs` forked workers when that pays.

    Workers are forked so they share the loaded model without pickling it;
    only the items and results cross between processes. `progress(done)` is
    called as results arrive. Fewer than `min_items` items are done here, one by one.
    """
    items = list(items)
    results: list[R] = []
    if jobs <= 1 or len(items) < min_items or sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            results.append(task(item))
            if progress:
                progress(len(results))
        return results
    global _TASK
    _TASK = task
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_start) as pool:
            chunk = max(1, min(64, len(items) // (jobs * 8)))
            for result in pool.imap(_run, items, chunksize=chunk):
                results.append(result)
                if progress:
                    progress(len(results))
        return results
    finally:
        _TASK = None
        gc.unfreeze()
