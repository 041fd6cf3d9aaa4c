"""The dev server's watcher: the operating system says what changed (`watchfiles`: inotify,
FSEvents, ReadDirectoryChangesW), so a five-year archive is never walked to find a save.

`server.Watcher`, which polls, is the fallback where `watchfiles` cannot watch (it is not
installed, or the system refuses: too many watches, a network file system).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from .changes import ignored

STEP_MS = 100  # a burst of saves has ended after this long without another (watchfiles' step; the poller's quiet period)
DEBOUNCE_MS = 1600  # a longer burst (a git checkout) is still cut after this long


def available() -> bool:
    """Whether `watchfiles` is installed here."""
    try:
        import watchfiles  # noqa: F401
    except ImportError:
        return False
    return True


class NotifyWatcher(threading.Thread):
    """Calls `rebuild(changed)` with the files the system reports changed, a burst at a time.

    `failed()` is called (in this thread) when the system will not watch, so that the caller can
    poll instead."""

    def __init__(self, folders: list[Path], config: Path, out: Path, rebuild: Callable[[list[str]], None],
                 failed: Callable[[Exception], None]) -> None:
        super().__init__(name="broadsheet-notify", daemon=True)
        self.folders = [f for f in folders if f.is_dir()]
        self.config, self.out, self.rebuild, self.failed = config, out, rebuild, failed
        self.stopping = threading.Event()

    def wanted(self, _change, path: str) -> bool:
        """Whether a change counts: not editor leftovers, caches or the output's own folders."""
        if Path(path) == self.config:
            return True
        parts = Path(path).parts
        return not any(ignored(p) or p == "__pycache__" or p.startswith((f"{self.out.name}.staging-", f"{self.out.name}.old-"))
                       for p in parts[-4:]) and not Path(path).is_relative_to(self.out)

    def run(self) -> None:
        from watchfiles import watch

        # site.yaml is watched through its folder, not recursively: an editor that saves by
        # renaming a new file over it would leave a watch on the file itself blind
        top = [str(f) for f in self.folders]
        try:
            streams = [(top, True), ([str(self.config.parent)], False)]
            threads = [threading.Thread(target=self._watch, args=(watch, paths, recursive), daemon=True)
                       for paths, recursive in streams]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        except Exception as exc:  # noqa: BLE001 - whatever the system refuses, polling still works
            self.failed(exc)

    def _watch(self, watch, paths: list[str], recursive: bool) -> None:
        config = str(self.config)
        only_config = not recursive
        try:
            for changes in watch(*paths, watch_filter=self.wanted, debounce=DEBOUNCE_MS, step=STEP_MS,
                                 stop_event=self.stopping, rust_timeout=500, recursive=recursive,
                                 raise_interrupt=False):
                changed = sorted({path for _change, path in changes if not only_config or path == config})
                if changed and not self.stopping.is_set():
                    self.rebuild(changed)
        except Exception as exc:  # noqa: BLE001
            if not self.stopping.is_set():
                self.stopping.set()
                self.failed(exc)

    def stop(self) -> None:
        """Ask the thread to finish after the build it may be running."""
        self.stopping.set()
