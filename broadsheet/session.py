"""The build state kept in memory by a process that builds again and again (the dev server).

The command line's build reads the state from `.broadsheet-cache/state/` and scans every input
file to learn what changed. A `Session` hands the next build the state the last good build left
in memory instead, and the files the watcher saw change instead of a scan; the build is the same
one build (`pipeline.build(options, kept=session)`). It still saves its state, but after the new
output is served (`finish`): until that save is done, the state's `committing` mark says that
the output on disk is not the one the state describes, so a crash in between means a full build
next time, never a wrong site. After a failed build, or one whose state could not be saved,
nothing is kept: the next build reads the state from disk, as the command line does.
"""

from __future__ import annotations

import os
import stat as stat_mode
from pathlib import Path
from typing import Callable

from . import changes, state, theme
from .cache import BuildCache
from .changes import ignored


class Session:
    """What a build leaves for the next one in the same process: the build state (its index, its
    shards as read or written, the model), the scan of the inputs, and the save still to do."""

    def __init__(self) -> None:
        self.key: str | None = None  # the cache key the kept state was built with
        self.cache: BuildCache | None = None
        self.shards: state.Shards | None = None
        self.scanned: tuple | None = None  # the inputs' stats and folders when the kept state was made
        self.trusted = False  # the kept state is the one the last build left, good and saved
        self.changed: list[str] | None = None  # the files changed since (from the watcher); None: scan
        self.pending: Callable[[], state.Shards | None] | None = None  # the save left to `finish`
        self.good = False  # the build that left `pending` succeeded
        self.disk_reads = 0  # builds that read the state from disk (the tests count them)
        self.scans = 0  # builds that scanned every input file

    def start(self, config, options, key: str, notes: list[str]) -> tuple[tuple, BuildCache, state.Shards | None, bool | None]:
        """The inputs' scan, the build state and its shards for this build, and whether no input
        changed since the kept state's build (None: not known, compare the fingerprints)."""
        if self.pending is not None:
            self.finish(self.good)  # the caller did not: saved before anything else changes
        kept = self.trusted and self.key == key and self.cache is not None and self.scanned is not None
        self.trusted = False  # the build changes the kept state in place: trusted again by `finish`
        scanned = rescan(config, options.config_path, self.scanned, self.changed) if kept else None
        if scanned is None:
            scanned = changes.scan(config, options.config_path)
            self.scans += 1
        if kept:
            assert self.cache is not None and self.scanned is not None
            same = scanned[0] == self.scanned[0] and scanned[1] == self.scanned[1]
        else:
            self.cache, self.shards = state.load(config.root, key, clean=options.clean, notes=notes)
            self.disk_reads += 1
            same = None
        self.key, self.scanned = key, scanned
        return scanned, self.cache, self.shards, same

    def after(self, save: Callable[[], state.Shards | None], good: bool) -> None:
        """Keep the build's save for `finish` (`good`: the build succeeded and its output is on disk)."""
        self.pending, self.good = save, good

    def finish(self, ok: bool) -> None:
        """Save the state of the build just done (if not yet saved) and keep it in memory when that
        build was good (`ok`: as its result says) and the save succeeded; else keep nothing."""
        save, self.pending = self.pending, None
        if save is None:  # nothing had changed (the state is as it was handed out), or the build failed early
            self.trusted = ok and self.cache is not None
            return
        try:
            written = save()
        except BaseException:
            self.trusted = False
            raise
        if ok and self.good and written:
            self.shards, self.trusted = written, True
        else:
            self.trusted = False

    def warm(self, notes: list[str]) -> None:
        """Read the kept model now, when the last build did not need it (nothing had changed), and
        make what an edit looks up in it, so that the first edit does not wait for them."""
        cache, shards = self.cache, self.shards
        if self.trusted and cache is not None and cache.built is None and shards is not None and state.SITE in shards.tokens:
            if not state.read_shards(cache, shards, True, notes, set()):
                self.trusted = False
        built = cache.built if self.trusted and cache is not None else None
        if built is not None:  # and what an edit asks of it, made once per model
            _ = built.site.by_source, built.site.page_at, built.positions


def _key(path: str, config, config_path: Path, tops: list[str]) -> str | None:
    """A changed file's key in `changes.scan`'s stats (None: not one `scan` would list)."""
    found = os.path.abspath(path)
    if found == os.path.abspath(config_path):
        return str(config_path.absolute())
    for top in tops:
        absolute = os.path.abspath(top)
        if found.startswith(absolute + os.sep):
            rest = found[len(absolute) + 1:]
            if any(ignored(part) for part in rest.split(os.sep)):
                return None
            key = top + os.sep + rest
            root = str(config.root) + os.sep
            return key[len(root):] if key.startswith(root) else key
    return None


def rescan(config, config_path: Path, scanned: tuple | None, changed: list[str] | None) -> tuple | None:
    """`changes.scan`'s result made from the last one and the files said to have changed, when each
    of them is a file that was there before and still is; None when a scan is needed (a file or
    folder added or removed, or nothing said what changed)."""
    if scanned is None or changed is None:
        return None
    tops = [str(config.content_dir), *map(str, theme.template_folders(config.templates_dir)),
            *map(str, theme.static_folders(config.static_dir))]
    stats = dict(scanned[0])
    for path in changed:
        key = _key(path, config, config_path, tops)
        if key is None:
            continue  # not an input: a leftover the scan skips too
        try:
            found = os.stat(path)
        except OSError:
            return None  # removed
        if key not in stats or not stat_mode.S_ISREG(found.st_mode):
            return None  # added, or a folder
        stats[key] = (found.st_mtime_ns, found.st_size)
    return stats, scanned[1]
