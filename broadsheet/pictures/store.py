"""The picture store, `.broadsheet-cache/pictures/`: each source's facts (by its path, size and
time) and the derivatives made, in one folder per key, written whole or not at all."""

from __future__ import annotations

import os
import pickle
import re
import shutil
from pathlib import Path

from ..cache import FOLDER, write_pickle
from .reading import Facts

SUBFOLDER = "pictures"
INDEX = "sources.pickle"
_FORMAT = 1
_SHARD = re.compile(r"[0-9a-f]{2}")


class Store:
    """The derivatives and source facts kept between builds."""

    def __init__(self, site_root: Path, clean: bool = False):
        self.root = site_root
        self.folder = site_root / FOLDER / SUBFOLDER
        self.clean = clean
        self.index: dict[str, tuple[int, int, Facts]] = {} if clean else _read_index(self.folder / INDEX)
        self.dirty = clean

    def relative(self, key: str, name: str) -> str:
        """A derivative's path relative to the site root, as the build copies it from there."""
        return f"{FOLDER}/{SUBFOLDER}/{key[:2]}/{key}/{name}"

    def folder_of(self, key: str) -> Path:
        """The folder of one key's derivatives."""
        return self.folder / key[:2] / key

    def has(self, key: str) -> bool:
        """True when this key's derivatives are all made (and not to be made afresh)."""
        return not self.clean and self.folder_of(key).is_dir()

    def known(self, path: Path, stat: os.stat_result) -> Facts | None:
        """The facts of a source file unchanged since they were found."""
        entry = self.index.get(str(path))
        if entry and entry[0] == stat.st_mtime_ns and entry[1] == stat.st_size:
            return entry[2]
        return None

    def put(self, key: str, files: dict[str, bytes]) -> None:
        """Write one key's derivatives: into a temporary folder, renamed into place when complete."""
        target = self.folder_of(key)
        temporary = target.with_name(f".{key}.{os.getpid()}")
        shutil.rmtree(temporary, ignore_errors=True)
        temporary.mkdir(parents=True)
        for name, data in files.items():
            (temporary / name).write_bytes(data)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(temporary, target)

    def keep_only(self, keys: set[str], sources: set[str]) -> int:
        """Remove the derivatives of every other key, and the facts of other sources; the number
        of keys removed."""
        removed = 0
        try:
            shards = list(self.folder.iterdir())
        except OSError:
            return 0
        for shard in shards:
            if not _SHARD.fullmatch(shard.name) or not shard.is_dir():
                continue  # not a shard of keys: another step's folder, such as pages/ (page PDFs' pictures)
            for entry in list(shard.iterdir()):
                if entry.name not in keys:
                    shutil.rmtree(entry, ignore_errors=True)
                    removed += not entry.name.startswith(".")
            if not any(shard.iterdir()):
                shard.rmdir()
        for path in list(self.index):
            if path not in sources:
                del self.index[path]
                self.dirty = True
        return removed

    def save(self) -> None:
        """Write the source facts when they changed (a failure costs only a slower next build)."""
        if not self.dirty:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_pickle(self.folder / INDEX, (_FORMAT, self.index))
            self.dirty = False
        except OSError:
            pass


def _read_index(path: Path) -> dict[str, tuple[int, int, Facts]]:
    try:
        with path.open("rb") as handle:
            found = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError, ValueError):
        return {}
    if isinstance(found, tuple) and len(found) == 2 and found[0] == _FORMAT and isinstance(found[1], dict):
        return found[1]
    return {}
