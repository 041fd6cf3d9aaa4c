"""The scan of every input: each file's size and time, and every folder, walked from the content
folder and the theme's.

Listing a folder costs five system calls (open, its status, two reads of its entries, close);
looking at its status costs one. A folder's entries change only when its status does (the time
of its status moves with every file added, removed or renamed in it, and cannot be set back),
so the scan remembers each folder's listing with the status it had (`Listing`, kept in the
build state as `state/scan.marshal`) and, when that status is unchanged, takes the names from there
and looks only at each file's size and time: at 50,000 articles with their photos (35,000
folders, 67,000 files), 102,000 calls instead of 243,000. A listing is remembered only once its
folder has been still for a while (`SETTLED_NS`), because a folder changed again within the
same tick of the file system's clock would keep its status.
"""

from __future__ import annotations

import marshal
import os
import time
from pathlib import Path

#: what `ignored` skips: names starting or ending so, and these names
HIDDEN = (".", "#", "~$")
LEFTOVERS = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak")
SYSTEM = ("Thumbs.db", "desktop.ini")
#: the first and last characters of every name `ignored` may skip: a name with neither (nearly
#: all of them) needs no more looking at, which at 100,000 entries a scan saves
_FIRST = frozenset(prefix[0] for prefix in HIDDEN)
_LAST = frozenset(name[-1] for name in (*LEFTOVERS, *SYSTEM))
#: a folder changed this recently (nanoseconds) may change again within its clock's tick
SETTLED_NS = 2_000_000_000
LISTING = "scan.marshal"
LISTING_FORMAT = 1

#: a folder's path -> (its status when listed (`status`), its files' names and then its
#: folders', how many of them are files): few objects, for the listing is read at every build
Listing = dict[str, tuple[int, tuple[str, ...], int]]
_LOW = (1 << 64) - 1


def ignored(name: str) -> bool:
    """Hidden files and editor leftovers, which the build never reads."""
    return name.startswith(HIDDEN) or name.endswith(LEFTOVERS) or name in SYSTEM


class Walk:
    """One scan: the files' (mtime_ns, size) by name, the folders, and the folders' listings
    (those it could take from the last scan's, `known`, and those it read again)."""

    def __init__(self, known: Listing | None = None, remember: bool = True):
        self.stats: dict[str, tuple[int, int]] = {}
        self.folders: set[str] = set()
        self.known: Listing = known or {}
        self.remember = remember  # False: no folder's status is read, nothing is remembered
        self.listing: Listing = {}
        self.read = 0  # folders listed, not taken from `known`
        self.settled = time.time_ns() - SETTLED_NS

    def walk(self, top: str, named: str) -> None:
        """The folder `top` and everything below it, its entries named from the prefix `named`.
        (Shared between two threads, the scan took more time, not less: at 35,000 folders the
        threads handed the interpreter's lock to each other 30,000 times.)"""
        stack = [(top, named)]
        while stack:
            folder, named = stack.pop()
            key = self._status(folder)
            if key is None:
                continue
            known = self.known.get(folder)
            if known is None or known[0] != key or not self._remembered(folder + os.sep, named, known):
                known = self._list(folder + os.sep, named, key)
            for name in known[1][known[2]:]:
                self.folders.add(named + name)
                stack.append((folder + os.sep + name, named + name + os.sep))

    def _status(self, folder: str) -> int | None:
        """What a folder's listing is kept with; None when the folder is not there (when nothing
        is remembered, not looked at: listing a folder that is not there finds nothing)."""
        if not self.remember:
            return 0
        try:
            return status(os.stat(folder))
        except OSError:
            return None

    def _remembered(self, folder: str, named: str, known) -> bool:
        """The files of a folder unchanged since its listing was kept: False when one is gone
        (the folder changed after its status was read), then it is listed again."""
        stats = self.stats
        files = known[1][:known[2]]
        try:
            for name in files:
                stat = os.stat(folder + name)
                stats[named + name] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            for name in files:
                stats.pop(named + name, None)
            return False
        self.listing[folder[:-1]] = known
        return True

    def _list(self, folder: str, named: str, key: int) -> tuple:
        """A folder's entries read (its files' stats kept), and its listing remembered when the
        folder has settled and could be read to its end."""
        files, subfolders = [], []
        stats, first, last, skip = self.stats, _FIRST, _LAST, ignored
        whole = False
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = entry.name
                    if (name[0] in first or name[-1] in last) and skip(name):
                        continue
                    if entry.is_dir():
                        subfolders.append(name)
                        continue
                    stat = entry.stat()
                    stats[named + name] = (stat.st_mtime_ns, stat.st_size)
                    files.append(name)
            whole = True
        except OSError:
            pass  # what was found before stands, as the scan always had it (a link to nothing)
        self.read += 1
        found = (key, (*files, *subfolders), len(files))
        if whole and self.remember and key >> 128 < self.settled:
            self.listing[folder[:-1]] = found
        return found


def status(found: os.stat_result) -> int:
    """A folder's status as its listing is kept with, in one number: the time of its status
    (which a folder's every change moves, and no one can set back), its time, its inode."""
    return found.st_ctime_ns << 128 | (found.st_mtime_ns & _LOW) << 64 | found.st_ino


def read_listing(path: Path) -> Listing | None:
    """The folders' listings the last scan kept; None when there are none usable."""
    try:
        found = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(found, tuple) or len(found) != 2 or found[0] != LISTING_FORMAT or not isinstance(found[1], dict):
        return None
    return found[1]


def write_listing(path: Path, listing: Listing) -> None:
    """Keep the folders' listings for the next scan (whole or not at all; not at all when the
    build state's folder cannot be written: the next scan lists every folder)."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(marshal.dumps((LISTING_FORMAT, listing), 2))
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
