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

Those calls are as few as the scan can make: a file rewritten in place moves its own times, not
its folder's, so every file is looked at; a photo added to a page's `images` folder moves that
folder's time, not the page folder's, so every folder is looked at too. What is left to save
is around them: the names are looked at relative to the working folder when it is the site's,
and the listing is kept by chunks, each unmarshalled only by the process whose walk reaches it.
"""

from __future__ import annotations

import marshal
import os
import sys
import time
from itertools import islice
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
#: a walk is shared with a forked process when the last scan kept this many folders' listings
#: and the top folder has this many subfolders (below, the fork costs more than it saves)
SPLIT_FOLDERS = 2000
SPLIT_BELOW = 16
#: with no listing kept (a first build, or one from nothing), the top folder's subfolders alone
#: say how big the tree is: this many editions hold some 5,000 articles
SPLIT_UNKNOWN = 200
#: a turn's number in the split walk's pipe takes this many bytes, and there are at most this
#: many turns (each of one subfolder or of several in a row): all of them fit a pipe's buffer at once
TURN = 2
TURNS = 2048
LISTING = "scan.marshal"
LISTING_FORMAT = 3  # 3: marshalled by chunks, each folder named as the scan names it

#: a folder's name in the scan (its separator at the end) -> (its status when listed: the time
#: of its status (which a folder's every change moves, and no one can set back), its time and its
#: inode in one number; its files' names and then its folders'; how many of them are files)
Chunk = dict[str, tuple[int, tuple[str, ...], int]]
#: the listings kept by chunk: a top folder's own, and each folder right below a top with
#: everything below it, by that folder's name -> (how many folders, their `Chunk` marshalled).
#: Only the chunks a walk reaches are unmarshalled (each process of a shared walk its own turns'),
#: and one whose listings are all as they were is kept as it was read
Listing = dict[str, tuple[int, bytes]]
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
        self.base = ""  # what a folder's name is put after to be looked at (`_base`)
        self._here: tuple[str, tuple[int, int] | None] | None = None

    def walk(self, top: str, named: str) -> None:
        """The folder `top` and everything below it, its entries named from the prefix `named`
        (which `top` ends with); a big tree's subfolders shared with a forked process (`split`),
        found as by one."""
        self.base = self._base(top + os.sep, named)
        below = self._chunk(named, 1)
        kept = sum(count for count, _ in self.known.values())
        if (kept >= SPLIT_FOLDERS and len(below) >= SPLIT_BELOW or not kept and len(below) >= SPLIT_UNKNOWN) and _can_fork():
            split(self, below)
        else:
            self.descend(below)

    def _base(self, full: str, named: str) -> str:
        """What the names are put after to be looked at: nothing when the folder they are named
        from is the working folder (the kernel then follows fewer parts of each path: at 100,000
        files, 35 ms less), else that folder's path."""
        base = full[:len(full) - len(named)]
        if not base:
            return base
        if self._here is None:
            try:
                here = os.stat(".")
                self._here = os.getcwd() + os.sep, (here.st_dev, here.st_ino)
            except OSError:
                self._here = "", None
        cwd, identity = self._here
        if base == cwd:
            return ""
        try:
            there = os.stat(base)
        except OSError:
            return base
        return "" if identity == (there.st_dev, there.st_ino) else base

    def descend(self, stack: list[str]) -> None:
        """The folders on the stack (each named with its separator at the end) and everything
        below them, depth first from its top, a chunk of the listing each. (Shared between two
        threads, the scan took more time, not less: at 35,000 folders the threads handed the
        interpreter's lock to each other 30,000 times.)"""
        chunk = self._chunk
        while stack:
            chunk(stack.pop())

    def _chunk(self, named: str, folders: int = -1) -> list[str]:
        """The folder `named` and everything below it (with `folders`, only that many folders,
        the subfolders left returned) from the listings kept in its chunk, and those found kept
        as the chunk: as it was read when they are all the same."""
        kept = self.known.get(named)
        try:
            known = marshal.loads(kept[1]) if kept is not None else {}
        except (EOFError, ValueError, TypeError):
            known = {}
        listing: Chunk = {}
        stack = self._descend([named], known if isinstance(known, dict) else {}, listing, folders)
        if kept is not None and listing == known:
            self.listing[named] = kept
        elif listing:
            self.listing[named] = len(listing), marshal.dumps(listing, 2)
        return stack

    def _descend(self, stack: list[str], known_all: Chunk, listing: Chunk, folders: int) -> list[str]:
        """The folders on the stack and below, depth first, at most `folders` of them (all when
        negative): each one's listing taken from `known_all` while its status is as kept and its
        files are all there, else read again, and found in `listing` when it can be kept. (In
        one loop: at 35,000 folders, a call or two less a folder is tens of milliseconds.)"""
        stats, found = self.stats, self.folders
        base, remember, stat, low = self.base, self.remember, os.stat, _LOW
        while stack and folders:
            folders -= 1
            named = stack.pop()
            path = base + named
            key = 0
            if remember:
                try:
                    seen = stat(path)
                except OSError:
                    continue
                key = seen.st_ctime_ns << 128 | (seen.st_mtime_ns & low) << 64 | seen.st_ino
            known = known_all.get(named)
            if known is not None and known[0] == key:
                files = known[1][:known[2]]
                try:
                    for name in files:
                        name = named + name  # (looked at by that name too when `base` is empty: one join less a file)
                        seen = stat(base + name if base else name)
                        stats[name] = (seen.st_mtime_ns, seen.st_size)
                except OSError:  # the folder changed after its status was read: read it again
                    for name in files:
                        stats.pop(named + name, None)
                    known = None
                else:
                    listing[named] = known
            if known is None or known[0] != key:
                known = self._list(path, named, key, listing)
            for name in known[1][known[2]:]:
                name = named + name
                found.add(name)
                stack.append(name + os.sep)
        return stack

    def _list(self, path: str, named: str, key: int, listing: Chunk) -> tuple:
        """A folder's entries read (its files' stats kept), and its listing remembered when the
        folder has settled and could be read to its end."""
        files, subfolders = [], []
        stats, first, last, skip = self.stats, _FIRST, _LAST, ignored
        whole = False
        try:
            with os.scandir(path) as entries:
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
            listing[named] = found
        return found


def split(walk: Walk, below: list[str]) -> None:
    """The subfolders `below` (a stack, as `Walk.descend` takes it) walked by two processes,
    this one and a forked child, each taking the next turn (a subfolder, or a few in a row) in
    the order one walk takes them from a pipe of their numbers until none is left: two cores
    stat at once, and on a busy machine the process that runs takes the more. What the child
    found comes back marshalled through a pipe and is merged in that order, so the walk finds
    the same files in the same order as one process; when the child fails, what it took is
    walked here."""
    size = -(-len(below) // TURNS)
    order = [below[max(0, end - size):end] for end in range(len(below), 0, -size)]
    turns, results = _turns(range(len(order))), os.pipe()
    try:
        child = os.fork()
    except OSError:
        child = -1
    if child == 0:
        _child(walk, order, turns, results)
    os.close(results[1])
    try:
        ours = _share(walk, order, turns)
        sent = b""
        if child > 0:
            with open(results[0], "rb", closefd=False) as source:
                sent = source.read()
    finally:
        os.close(turns)
        os.close(results[0])  # (a child still writing stops: its pipe is broken)
        ended = os.waitpid(child, 0)[1] if child > 0 else 1
    try:
        theirs = marshal.loads(sent) if ended == 0 else None
    except (EOFError, ValueError, TypeError):
        theirs = None
    _merge(walk, order, ours, theirs)


def _child(walk: Walk, order: list[list[str]], turns: int, results: tuple[int, int]) -> None:
    """The forked child: its share walked and sent; it ends here, whatever happens (os._exit:
    nothing of the parent's, such as buffered output or exit handlers, runs twice)."""
    ended = 1
    try:
        os.close(results[0])
        stats, listing, *rest = _share(walk, order, turns)
        known = walk.known  # a listing taken from there goes back as None: less to marshal
        listing = {folder: None if kept is known.get(folder) else kept for folder, kept in listing.items()}
        found = marshal.dumps((stats, listing, *rest), 2)
        with open(results[1], "wb") as out:
            out.write(found)
        ended = 0
    finally:
        os._exit(ended)


def _share(walk: Walk, order: list[list[str]], turns: int) -> tuple:
    """The turns whose numbers this process took from `turns`, each its subfolders with everything
    below them, walked into fresh findings: (stats, listing, folders, folders read, and for each
    turn taken its number, count of stats and count of listings)."""
    kept = walk.stats, walk.listing, walk.folders, walk.read
    walk.stats, walk.listing, walk.folders, walk.read = {}, {}, set(), 0
    taken = []
    try:
        while turn := os.read(turns, TURN):
            number = int.from_bytes(turn, "little")
            stats, listing = len(walk.stats), len(walk.listing)
            walk.descend(list(order[number]))
            taken.append((number, len(walk.stats) - stats, len(walk.listing) - listing))
        return walk.stats, walk.listing, list(walk.folders), walk.read, taken
    finally:
        walk.stats, walk.listing, walk.folders, walk.read = kept


def _merge(walk: Walk, order: list[list[str]], ours: tuple, theirs: tuple | None) -> None:
    """Both shares' findings into the walk, turn by turn in `order`, as one walk would
    have found them; without the child's, the subfolders it took are walked here."""
    if theirs is None:
        mine = {number for number, _, _ in ours[4]}
        theirs = _again(walk, order, [number for number in range(len(order)) if number not in mine])
    sides = {}
    for side in (ours, theirs):
        found, remembered = iter(side[0].items()), iter(side[1].items())
        for number, files, listings in side[4]:
            sides[number] = found, remembered, files, listings
    stats, listing, known = walk.stats, walk.listing, walk.known
    for number in range(len(order)):
        found, remembered, files, listings = sides[number]
        stats.update(islice(found, files))
        listing.update((folder, known[folder] if kept is None else kept) for folder, kept in islice(remembered, listings))
    walk.folders.update(ours[2], theirs[2])
    walk.read += ours[3] + theirs[3]


def _again(walk: Walk, order: list[list[str]], numbers: list[int]) -> tuple:
    """The turns of these numbers walked here, found as `_share` finds them."""
    turns = _turns(numbers)
    try:
        return _share(walk, order, turns)
    finally:
        os.close(turns)


def _turns(numbers) -> int:
    """A pipe's reading end holding these turns' numbers: all written (at most 4 KiB, within a
    pipe's buffer) and its writing end closed, so that reads find none once they are taken."""
    read, write = os.pipe()
    os.write(write, b"".join(number.to_bytes(TURN, "little") for number in numbers))
    os.close(write)
    return read


def _can_fork() -> bool:
    """Whether this process may fork to share a walk: it can, it runs no other thread (whose
    locks a forked child could find held forever), and the machine has a core to spare (on a
    busy one the child waits for a core while this process waits for the child)."""
    threading = sys.modules.get("threading")
    if not hasattr(os, "fork") or threading is not None and threading.active_count() > 1:
        return False
    return _running() < (os.cpu_count() or 1)


def _running() -> float:
    """How many processes want a core now, this one among them: the kernel's count of those
    runnable (the fourth field of /proc/loadavg, `running/all`) where there is one, else the last
    minute's load average and this one. (The load average alone lags by a minute: right after a
    full build it says busy while the machine is idle.)"""
    try:
        with open("/proc/loadavg", "rb") as handle:
            return float(handle.read().split()[3].split(b"/")[0])
    except (OSError, IndexError, ValueError):
        try:
            return os.getloadavg()[0] + 1
        except OSError:
            return 1.0


def read_listing(path: Path) -> Listing | None:
    """The folders' listings the last scan kept; None when there are none usable."""
    try:
        found = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(found, tuple) or len(found) != 2 or found[0] != LISTING_FORMAT or not isinstance(found[1], dict):
        return None
    for chunk in found[1].values():  # (a few thousand: what is inside is looked at when unmarshalled)
        if type(chunk) is not tuple or len(chunk) != 2 or type(chunk[0]) is not int or type(chunk[1]) is not bytes:
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
