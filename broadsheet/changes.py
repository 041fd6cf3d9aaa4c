"""The build's first step: what changed since the last good build — every input file's size and
time (`scan`), their one digest (`fingerprint`), and the head of the build state they are
compared with. When nothing changed, the build ends here, having imported no more than this
(no template engine, no Markdown, no model): a rebuild of an unchanged site costs its scan.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

from . import scanning, theme
from .cache import FOLDER, code_key
from .config import SiteConfig, load_config
from .options import Options, Result
from .output import MARKER

STATE = "state"
INDEX = "index.pickle"
COMMITTING = "committing"
FORMAT = 10  # 10: the head pickled on its own before the rest (read without it); 9: side shards (listed.py)
#: what the index's head holds: all a build with nothing changed reads of the build state
HEAD = ("key", "fingerprint", "report", "output_folder")


def scan(config: SiteConfig, config_path: Path, kept: Path | None = None,
         trusted: bool = True) -> tuple[dict[str, tuple[int, int]], set[str]]:
    """Every input file's (mtime_ns, size) by its path relative to the site, and every folder.
    With `kept` (the build state's `state/`), the folders' listings the last scan kept there are
    used where still true (not when `trusted` is False), and this scan's kept there."""
    known = scanning.read_listing(kept / scanning.LISTING) if kept is not None and trusted else None
    found = scanning.Walk(known, remember=kept is not None)
    try:
        stat = config_path.stat()
        found.stats[str(config_path.absolute())] = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        pass
    root = str(config.root) + os.sep
    for top in (str(config.content_dir), *map(str, theme.template_folders(config.templates_dir)),
                *map(str, theme.static_folders(config.static_dir))):
        prefix = top + os.sep
        found.walk(top, prefix[len(root):] if prefix.startswith(root) else prefix)
    if kept is not None and found.listing != (known or {}):
        scanning.write_listing(kept / scanning.LISTING, found.listing)
    return found.stats, found.folders


def fingerprint(settings: str, scanned: tuple) -> str:
    """A digest of every input's name, size and modification time, and of the settings that shape output.

    The files are digested in the order the scan found them (the folders' order on disk, the same
    while nothing changes), not sorted: sorting 66,000 names cost more than the rest of the
    digest. A file renamed and back may reorder them, and then the build finds nothing changed
    the longer way. marshal's version 2 writes no back-references, so equal values give equal bytes."""
    stats, folders = scanned
    data = marshal.dumps((settings, sorted(folders), stats), 2)
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def cache_key(config: SiteConfig, options: Options) -> str:
    """What the build state is kept for: this code, this configuration, with or without drafts."""
    return hashlib.blake2b(f"{code_key()}\0{config!r}\0{options.drafts}".encode(), digest_size=16).hexdigest()


def settings(config: SiteConfig, options: Options) -> str:
    """The options and configuration that shape the output and the report."""
    return f"{options.drafts}\0{options.strict}\0{options.base_url}\0{config!r}"


def ours(output_folder: str, out: Path) -> bool:
    """True when the output folder is the one the build state describes."""
    return output_folder == str(out) and (out / MARKER).is_file()


def usable_index(found) -> bool:
    """Whether the index's first pickle is this version's: (FORMAT, its head); the rest of the
    index is the second pickle in the file, which a build with nothing changed does not read."""
    return isinstance(found, tuple) and len(found) == 2 and found[0] == FORMAT and isinstance(found[1], dict)


def read_head(site_root: Path) -> dict | None:
    """The head of the build state's index (`HEAD`), None when there is none usable: the file's
    first pickle alone (at 50,000 articles, the rest is 17 MB, read only by a build that goes on:
    `state.load`)."""
    folder = site_root / FOLDER / STATE
    try:
        with (folder / INDEX).open("rb") as handle:
            found = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a damaged state is the full build's to report
        return None
    if not usable_index(found):
        return None
    if (folder / COMMITTING).exists():
        return None
    return found[1]


@dataclass
class Look:
    """What the first step found: the configuration, the scan and its fingerprint, and whether
    the output already is this build's (then `result` is the build's)."""

    result: Result
    started: float
    config: SiteConfig | None = None
    scanned: tuple = ({}, set())
    fingerprint: str = ""
    unchanged: bool = False


def look(options: Options, write: bool) -> Look:
    """Read the configuration, scan the inputs and, for a build, compare them with the last good
    build of this output: unchanged, the result is that build's report."""
    found = Look(Result(), time.monotonic())
    result = found.result
    found.config = config = load_config(options.config_path, result.problems, base_url=options.base_url)
    if config is None:
        return found
    found.scanned = scan(config, options.config_path, config.root / FOLDER / STATE if write else None, not options.clean)
    found.fingerprint = fingerprint(settings(config, options), found.scanned)
    head = None if options.clean or not write else read_head(config.root)
    if (head is None or head.get("fingerprint") != found.fingerprint or head.get("report") is None
            or not ours(head.get("output_folder", ""), options.out.resolve())
            or head.get("key") != cache_key(config, options)):
        return found
    found.unchanged = True
    stands(result, head["report"], options.strict)
    result.seconds = time.monotonic() - found.started
    return found


def stands(result: Result, report: tuple, strict: bool) -> None:
    """Not one input changed since the last good build of this output: it stands as it is, and
    the build's result is that build's report."""
    result.notes.append("no input changed since the last build of this output: nothing to do")
    problems, result.counts = report
    result.problems.items.extend(problems)
    result.ok = not result.problems.has_errors(strict)
