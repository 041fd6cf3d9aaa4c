"""The build state kept in memory by a process that builds again and again (the dev server).

The command line's build reads the state from `.broadsheet-cache/state/` and scans every input
file to learn what changed. A `Session` hands the next build the state the last good build left
in memory instead, and the files the watcher saw change instead of a scan; the build is the same
one build (`pipeline.build(options, kept=session)`). Its state is still saved, but later
(`finish`: the dev server calls it once nothing has changed for a while, and on the way out),
and edits in a row are saved once: the last edit's save rewrites the shards of all of them.
Until that save is done, the state's `committing` mark says that the output on disk is not the
one the state describes, so a crash in between means a full build next time, never a wrong site.
A save still pending is made before anything reads the state or assembles the model anew (only
an edit's save waits). After a failed build, or one whose state could not be saved, nothing is
kept: the next build reads the state from disk, as the command line does.
"""

from __future__ import annotations

import os
import stat as stat_mode
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import changes, state, theme
from .cache import BodyStore, BuildCache
from .scanning import ignored


@dataclass
class Pending:
    """A save not yet made: the last build's (`save(rewrite)`), the edition shards it must rewrite
    for the builds since the last save (None: every shard), and their body stores (each build
    has its own; the last one saves them all)."""

    save: Callable[[set[str] | None], state.Shards | None]
    rewrite: set[str] | None
    stores: list[BodyStore]
    good: bool  # the last build succeeded and its output is on disk


class Session:
    """What a build leaves for the next one in the same process: the build state (its index, its
    shards as read or written, the model), the scan of the inputs, and the save still to do."""

    def __init__(self) -> None:
        self.key: str | None = None  # the cache key the kept state was built with
        self.cache: BuildCache | None = None
        self.shards: state.Shards | None = None  # as the last save left them
        self.scanned: tuple | None = None  # the inputs' stats and folders when the kept state was made
        self.trusted = False  # the kept state is the one the last build left, good
        self.changed: list[str] | None = None  # the files changed since (from the watcher); None: scan
        self.pending: Pending | None = None  # the save left to `finish`
        self.disk_reads = 0  # builds that read the state from disk (the tests count them)
        self.scans = 0  # builds that scanned every input file
        self.saves = 0  # states saved

    def start(self, config, options, key: str, notes: list[str]) -> tuple[tuple, BuildCache, state.Shards | None, bool | None]:
        """The inputs' scan, the build state and its shards for this build, and whether no input
        changed since the kept state's build (None: not known, compare the fingerprints)."""
        kept = self.trusted and self.key == key and self.cache is not None and self.scanned is not None
        if self.pending is not None and (not kept or self.pending.rewrite is None):
            self.finish()  # before the state is read, or the next build takes what a full save gives
            kept = kept and self.trusted
        self.trusted = False  # the build changes the kept state in place: trusted again by `done`
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

    def after(self, save: Callable[[set[str] | None], state.Shards | None], good: bool, rewrite: set[str] | None,
              store: BodyStore) -> None:
        """Keep the build's save (`good`: the build succeeded and its output is on disk; `rewrite`:
        the edition shards it changed, None: all), with the save still pending, if any."""
        if self.pending is not None:  # an earlier edit's, not made: this one makes it too
            earlier = self.pending
            rewrite = None if rewrite is None or earlier.rewrite is None else earlier.rewrite | rewrite
            self.pending = Pending(save, rewrite, [*earlier.stores, store], good)
        else:
            self.pending = Pending(save, rewrite, [store], good)

    def done(self, ok: bool) -> bool:
        """After a build (`ok`: as its result says): keep its state in memory, its save left to
        `finish`, when it was good; False when it was not (then `finish` now: the next build reads
        the state from disk)."""
        good = ok and self.cache is not None and (self.pending is None or self.pending.good)
        self.trusted = good
        return good

    def forget(self) -> None:
        """After a build that stopped half-way: keep nothing, and save nothing it left (the
        state on disk stands, with its `committing` mark if an output was replaced since)."""
        self.pending, self.trusted = None, False

    def before_assembling(self) -> None:
        """Make the save still pending before the build assembles the model anew (what it does
        to the build state is then not in that save)."""
        if self.pending is not None:
            self.finish()

    def finish(self) -> None:
        """Save the state the builds since the last save left, if any; keep what was written for
        the next build when it is good, else keep nothing."""
        pending, self.pending = self.pending, None
        if pending is None:
            return
        for store in pending.stores[:-1]:  # the last build's store saves the earlier ones' new bodies
            _carry(store, pending.stores[-1])
        try:
            written = pending.save(pending.rewrite)
        except BaseException:
            self.trusted = False
            raise
        self.saves += 1
        if pending.good and written:
            self.shards = written
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


def _carry(old: BodyStore, new: BodyStore) -> None:
    """Put the bodies an earlier build's store holds to save into a later build's store."""
    for name in old.dirty:
        for key, html in old.shards.get(name, {}).items():
            new.put(key, html)


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
