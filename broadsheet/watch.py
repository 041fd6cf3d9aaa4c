"""The dev server's watchers: what changed, a burst of saves at a time, for its rebuild.

`NotifyWatcher`: the operating system says what changed (`watchfiles`: inotify, FSEvents,
ReadDirectoryChangesW), so a five-year archive is never walked to find a save.
`PollWatcher` looks at every source file instead; it is the fallback where `watchfiles` cannot
watch (it is not installed, or the system refuses: too many watches, a network file system).

A burst (an editor's save-all, a git checkout, a file saved twice in a row) is one rebuild: it
has ended once QUIET_MS pass without another change. An editor's save is one write (or one
rename), so a save waits QUIET_MS and a little more before its rebuild starts.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Callable

from .scanning import ignored

STEP_MS = 10  # how often the notifying watcher looks at what the system reported (a look costs microseconds)
QUIET_MS = 50  # a burst has ended after this long without another change
DEBOUNCE_MS = 1600  # a longer burst (a big git checkout) is still cut after this long
READY_WAIT = 10.0  # seconds the notifying watcher's start waits for the system to watch (a network file system is slow)
POLL = 0.025  # seconds between the poller's looks at the sources (small sites; longer on big ones)


def available() -> bool:
    """Whether `watchfiles` is installed here."""
    try:
        import watchfiles  # noqa: F401
    except ImportError:
        return False
    return True


def skipped(name: str, out: Path) -> bool:
    """Whether a file or folder of this name never counts: editor leftovers, caches, the output's own folders."""
    return ignored(name) or name == "__pycache__" or name.startswith((f"{out.name}.staging-", f"{out.name}.old-"))


class NotifyWatcher(threading.Thread):
    """Calls `rebuild(changed)` with the files the system reports changed, a burst at a time, and
    `noticed()` as soon as a burst starts (so that nothing else starts before its rebuild).

    `failed()` is called (in this thread) when the system will not watch, so that the caller can
    poll instead."""

    def __init__(self, folders: list[Path], config: Path, out: Path, rebuild: Callable[[list[str]], None],
                 failed: Callable[[Exception], None], noticed: Callable[[], None] = lambda: None) -> None:
        super().__init__(name="broadsheet-notify", daemon=True)
        self.folders = [f for f in folders if f.is_dir()]
        self.config, self.out, self.rebuild, self.failed, self.noticed = config, out, rebuild, failed, noticed
        self.stopping = threading.Event()
        self.watching = [threading.Event(), threading.Event()]  # one per stream: set once the system watches it

    def start(self) -> None:
        """Start watching, and return once the system watches (or has refused): from then on, no save is missed."""
        super().start()
        # the watches are made in the thread, a moment after it starts: a save made in that moment
        # (a quick first build, or a busy machine) would otherwise be missed and never rebuilt
        deadline = time.monotonic() + READY_WAIT
        for watching in self.watching:
            watching.wait(max(0.0, deadline - time.monotonic()))

    def wanted(self, path: str) -> bool:
        """Whether a change counts: not editor leftovers, caches or the output's own folders."""
        if Path(path) == self.config:
            return True
        return not any(skipped(p, self.out) for p in Path(path).parts[-4:]) and not Path(path).is_relative_to(self.out)

    def run(self) -> None:
        # site.yaml is watched through its folder, not recursively: an editor that saves by
        # renaming a new file over it would leave a watch on the file itself blind
        streams = [([str(f) for f in self.folders], True), ([str(self.config.parent)], False)]
        threads = [threading.Thread(target=self._watch, args=(*stream, watching), daemon=True)
                   for stream, watching in zip(streams, self.watching)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _watch(self, paths: list[str], recursive: bool, watching: threading.Event) -> None:
        try:
            # watchfiles' own loop (`watch`) ends a burst one `step` after a look that found no new
            # path, so the same file saved twice splits it, and its step is the whole wait: the
            # bursts are cut here instead, by the time since the last change of any kind
            # (watchfiles.main's names, as its `watch` uses them: polling on WSL or when asked by
            # WATCHFILES_FORCE_POLLING; should they change, the caller polls instead)
            from watchfiles import main as watchfiles

            settings = (watchfiles._default_force_polling(None), watchfiles._default_poll_delay_ms(300), recursive,
                        watchfiles._default_ignore_permission_denied(None))
            with watchfiles.RustNotify(paths, False, *settings) as notify:
                watching.set()
                while not self.stopping.is_set():
                    changed = self._burst(notify, None if recursive else str(self.config))
                    if changed and not self.stopping.is_set():
                        self.rebuild(sorted(changed))
        except Exception as exc:  # noqa: BLE001 - whatever the system refuses, polling still works
            if not self.stopping.is_set():
                self.stopping.set()
                self.failed(exc)
        finally:
            watching.set()  # after `failed`: the poller that replaces this one is looking by then

    def _burst(self, notify, only: str | None) -> set[str]:
        """The files changed in the next burst (only `only`, when given), once QUIET_MS have passed
        without a change; empty when stopping."""
        changed: set[str] = set()
        started = 0.0
        while not self.stopping.is_set():
            # until the first change, wait (and look at `stopping`) without end; then the rest of
            # QUIET_MS (the look that gave the changes came a step after the last one)
            found = notify.watch(DEBOUNCE_MS, STEP_MS, QUIET_MS - STEP_MS if changed else 0, self.stopping)
            if found == "timeout":
                return changed
            if not isinstance(found, set):  # "stop", or "signal" (Ctrl-C: the main thread stops us)
                return set()
            new = {path for _change, path in found if (only is None or path == only) and self.wanted(path)}
            if new and not changed:
                started = time.monotonic()
                self.noticed()
            changed |= new
            if changed and time.monotonic() - started > DEBOUNCE_MS / 1000:
                return changed
        return set()

    def stop(self) -> None:
        """Ask the thread to finish after the build it may be running."""
        self.stopping.set()


class PollWatcher(threading.Thread):
    """Polls the site's sources and calls `rebuild(changed)` once a burst of changes has settled."""

    def __init__(self, paths: list[Path], out: Path, rebuild: Callable[[list[str]], None],
                 noticed: Callable[[], None] = lambda: None) -> None:
        super().__init__(name="broadsheet-watcher", daemon=True)
        self.paths, self.out, self.rebuild, self.noticed = paths, out, rebuild, noticed
        self.stopping = threading.Event()
        self.interval = POLL
        self.seen = self.look()  # taken before the first build, so a save made during it is not missed

    def _skipped(self, folder: str, name: str) -> bool:
        return skipped(name, self.out) or Path(folder, name) == self.out

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """Every watched file with its modification time and size."""
        found: dict[str, tuple[int, int]] = {}
        for top in self.paths:
            files = [(str(top.parent), top.name)] if top.is_file() else []
            for folder, dirs, names in os.walk(top):
                dirs[:] = [d for d in dirs if not self._skipped(folder, d)]
                files += [(folder, n) for n in names if not self._skipped(folder, n)]
            for folder, name in files:
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue  # removed between the listing and the look: it simply is not there
                found[path] = (stat.st_mtime_ns, stat.st_size)
        return found

    def look(self) -> dict[str, tuple[int, int]]:
        """A snapshot, timed: on a big archive looking takes long, so look less often (a fifth of a core at most)."""
        started = time.monotonic()
        found = self.snapshot()
        self.interval = max(POLL, 4 * (time.monotonic() - started))
        return found

    def settle(self, before: dict, now: dict) -> dict | None:
        """Wait until nothing has changed for QUIET_MS; return the last look (None when stopping)."""
        quiet = QUIET_MS / 1000
        while True:
            saved = [mtime for path, (mtime, size) in now.items() if before.get(path) != (mtime, size)]
            newest = max(saved, default=time.time_ns())  # only removals: count from now
            # Quiet is counted from the newest save itself, not from when it was noticed (up to one POLL
            # later); an odd mtime (copied with its old time, clock skew) still gets nearly QUIET_MS.
            noticed_late = min(max(time.time() - newest / 1e9, 0.0), POLL)
            if self.stopping.wait(quiet - noticed_late):
                return None
            before, now = now, self.look()
            if now == before:
                return now

    def run(self) -> None:
        seen = self.seen
        while not self.stopping.wait(self.interval):
            now = self.look()
            if now == seen:
                continue
            self.noticed()
            now = self.settle(seen, now)
            if now is None:
                return
            changed = sorted(k for k in now.keys() | seen.keys() if now.get(k) != seen.get(k))
            seen = now
            self.rebuild(changed)

    def stop(self) -> None:
        """Ask the thread to finish after the build it may be running."""
        self.stopping.set()
