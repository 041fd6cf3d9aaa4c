"""Work spread over the machine's cores with forked worker processes."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import sys
import threading
from typing import Callable, Generator, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 64  # below this, starting workers costs more than it saves

_TASK: Callable | None = None

#: how often (seconds) the main thread lets the pool's threads run while workers are at work
SWITCH_INTERVAL = 0.0002


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def release_freed_memory() -> None:
    """Give the memory this process freed back to the system (glibc keeps it for later use by
    default), so that a process about to grow does not hold it beside what it grows by. It
    walks every free block of the heap (0.2 s for 400 MB of freed bodies): for after a big
    free only, never on an edit's path."""
    try:
        libc = ctypes.CDLL(None)
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _run(item):
    return _TASK(item)  # type: ignore[misc]


# A build runs with the cyclic collector off (cli.run), but each rendered page leaves some cyclic
# garbage (Jinja's per-render macro modules): without collection a worker grows with the archive
# (276 MB instead of 222 MB at 10,000 articles). So the work done here collects the young
# generations: a full pass over the model, which lives to the end, would find nothing to free.
_YOUNG_ONLY = (10_000, 50, 1_000_000)


def _worker_start() -> None:
    gc.set_threshold(*_YOUNG_ONLY)
    gc.enable()


@contextlib.contextmanager
def _collecting():
    """The collector on, young generations only, for work done in this process."""
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    gc.freeze()  # what exists already lives on: a first collection would walk all of it in vain
    gc.set_threshold(*_YOUNG_ONLY)
    gc.enable()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if not enabled:
            gc.disable()
        gc.unfreeze()


def fork_map(task: Callable[[T], R], items: Iterable[T], jobs: int, progress: Callable[[int], None] | None = None,
             min_items: int = MIN_ITEMS, meanwhile: Callable[[], None] | None = None) -> list[R]:
    """`[task(x) for x in items]`, in order, on `jobs` forked workers when that pays.

    Workers are forked so they share the loaded model without pickling it;
    only the items and results cross between processes. `progress(done)` is
    called as results arrive. Fewer than `min_items` items are done here, one by one.
    `meanwhile()` is called in this process once the workers are at work (first, when there are none).
    """
    results: list[R] = []
    for result in fork_stream(task, items, jobs, min_items, meanwhile):
        results.append(result)
        if progress:
            progress(len(results))
    return results


def fork_stream(task: Callable[[T], R], items: Iterable[T], jobs: int, min_items: int = MIN_ITEMS,
                meanwhile: Callable[[], None] | None = None) -> Generator[R, None, None]:
    """`fork_map`'s results one by one, in order, as they arrive: what this process does with
    each is done while the workers go on with the next ones (none are left when it stops early)."""
    import multiprocessing  # (here: 10 ms of imports a build with nothing changed does without)

    items = list(items)
    # forking while other threads run (the dev server) may deadlock the child: done here then
    if jobs <= 1 or len(items) < min_items or not _forkable() or "fork" not in multiprocessing.get_all_start_methods():
        if meanwhile:
            meanwhile()
        with _collecting():  # across the items: garbage one leaves is collected during the next
            yield from map(task, items)
        return
    global _TASK
    _TASK = task
    gc.freeze()  # what the workers inherit is never walked by their collections
    switching = sys.getswitchinterval()
    # The pool's threads here take in the results, a read at a time, each waiting for the lock
    # the main thread holds while it works (`meanwhile`, what it does with each result): at the
    # usual 5 ms a wait, the workers stood still with their results in a full pipe.
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_start) as pool:
            chunk = max(1, min(64, len(items) // (jobs * 8)))
            found = pool.imap(_run, items, chunksize=chunk)  # the tasks are handed out from here on
            if meanwhile:
                meanwhile()
            yield from found
    finally:
        sys.setswitchinterval(switching)
        _TASK = None
        gc.unfreeze()


def _forkable() -> bool:
    return sys.platform != "win32" and hasattr(os, "fork") and threading.active_count() == 1


def in_background(task: Callable[[], R], jobs: int) -> Callable[[], R]:
    """Start `task` in a forked child while this process goes on; return the call that waits for
    it and gives its result (pickled back), raising what it raised, however often it is called.
    Done here and now with one job, or where forking is not safe (other threads, as in the dev
    server) or not possible."""
    if jobs <= 1 or not _forkable():
        return _here(task)
    sys.stdout.flush()
    sys.stderr.flush()
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to spare: do it here
        os.close(read)
        os.close(write)
        return _here(task)
    if pid == 0:
        os.close(read)
        try:
            try:
                value, ok, where = task(), True, ""
            except BaseException as exc:  # noqa: BLE001 - the parent raises it
                import traceback  # (only a failure needs it)

                value, ok, where = exc, False, traceback.format_exc()
            try:
                payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - the parent says what failed, from the traceback
                import traceback

                payload, ok, where = None, False, where or traceback.format_exc()
            with os.fdopen(write, "wb") as pipe:
                # the traceback travels as text beside the pickled value, which may not unpickle
                pickle.dump((ok, where, payload), pipe, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(0)  # no exit handlers, no flushing of what the parent will print
    os.close(write)
    outcome: list[tuple[bool, object]] = []

    def join() -> R:
        if not outcome:  # the first call waits; the others give the same result again
            try:
                with os.fdopen(read, "rb") as pipe:
                    data = pipe.read()
            except BaseException:
                outcome.append((False, RuntimeError("interrupted while waiting for a background task")))
                raise
            finally:
                os.waitpid(pid, 0)  # even when interrupted: the child may still be writing files
            outcome.append(_outcome(data))
        ok, value = outcome[0]
        if not ok:
            raise value  # type: ignore[misc]
        return value  # type: ignore[return-value]

    return join


def _outcome(data: bytes) -> tuple[bool, object]:
    """(True, the result) or (False, the exception to raise) from what a background child sent."""
    if not data:
        return False, RuntimeError("a background task ended without a result (killed?)")
    ok, where, payload = pickle.loads(data)
    try:
        value = pickle.loads(payload) if payload is not None else None
    except Exception:  # noqa: BLE001 - a value that cannot be rebuilt here
        return False, RuntimeError(f"a background task's {'result' if ok else 'exception'} did not unpickle:\n{where}")
    if ok:
        return True, value
    if not isinstance(value, BaseException):
        return False, RuntimeError(f"a background task failed:\n{where}")
    value.add_note(f"raised in a forked child:\n{where}")
    return False, value


def _here(task: Callable[[], R]) -> Callable[[], R]:
    try:
        value = task()
    except Exception as exc:  # noqa: BLE001 - raised again where the result is asked for
        error = exc  # `exc` itself is unbound when the except block ends
        return lambda: _raise(error)
    return lambda: value


def _raise(exc: BaseException):
    raise exc
