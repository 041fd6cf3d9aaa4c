"""What the search indexer keeps between builds, in the build cache folder (`.broadsheet-cache/search/`).

For each bucket: a small summary (`NAME.pickle`: the digest of the bundle it describes, and each
article's row key and number of index keys, in result order) and its articles as last indexed,
a file per chunk of `bundle.CHUNK` (`NAME/K.pickle`: each article's row key, row and keys). So an
edit reads the summary and the chunk of the edited article only, never the bucket's other texts
or keys, and re-indexing a bucket whose articles moved re-tokenises none of those it had.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from ..cache import FOLDER as CACHE_FOLDER, write_pickle
from .bundle import CHUNK

Entry = tuple[str, list, str]  # (row key, row, its index keys joined by "\n")


def _load(path: Path):
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - a missing or damaged file is an empty one
        return None


class KeptBucket:
    """One bucket's kept state: read lazily, chunk by chunk; written by `save_chunk` and `save`."""

    def __init__(self, root: Path, name: str, base: str, clean: bool):
        self.folder = root / CACHE_FOLDER / "search"
        self.summary_path = self.folder / f"{name}.pickle"
        self.chunks_path = self.folder / name
        self.base = base
        self.digest: str | None = None  # the digest of the bundle the kept state describes
        self.row_keys: list[str] = []
        self.lengths: list[int] = []
        self._where: dict[str, int] | None = None
        self._loaded: dict[int, list[Entry]] = {}
        found = None if clean else _load(self.summary_path)
        if isinstance(found, tuple) and len(found) == 4 and found[0] == base:
            _base, self.digest, self.row_keys, self.lengths = found

    def chunk(self, number: int) -> list[Entry] | None:
        """The kept entries of chunk `number` (None: not kept, or not of this summary)."""
        if number not in self._loaded:
            if len(self._loaded) > 4:  # articles are asked for in order: old chunks are not needed again
                self._loaded.pop(next(iter(self._loaded)))
            found = _load(self.chunks_path / f"{number}.pickle")
            expected = self.row_keys[number * CHUNK:(number + 1) * CHUNK]
            self._loaded[number] = found if isinstance(found, list) and [e[0] for e in found] == expected else None
        return self._loaded[number]

    def at(self, position: int) -> Entry | None:
        """The kept entry of the article at this position."""
        entries = self.chunk(position // CHUNK)
        return entries[position % CHUNK] if entries else None

    def find(self, row_key: str) -> Entry | None:
        """The kept entry with this row key, wherever it was."""
        if self._where is None:
            self._where = {key: position for position, key in enumerate(self.row_keys)}
        position = self._where.get(row_key)
        return None if position is None else self.at(position)

    def save_chunk(self, number: int, entries: list[Entry], whole: bool) -> None:
        """Keep a chunk's entries (call `save` after the bundle is written). `whole`: the bucket is
        being indexed whole, and its old chunks may still be read, so the new ones go beside them."""
        folder = self.chunks_path.with_name(self.chunks_path.name + ".new") if whole else self.chunks_path
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_pickle(folder / f"{number}.pickle", entries)
        except OSError:
            pass  # only a cache: the next build indexes these articles from the model again

    def save(self, digest: str, row_keys: list[str], lengths: list[int], whole: bool) -> None:
        """Keep the summary of the bundle just written (`whole`: and its chunks, `save_chunk`'s)."""
        try:
            if whole:
                shutil.rmtree(self.chunks_path, ignore_errors=True)
                self.chunks_path.with_name(self.chunks_path.name + ".new").rename(self.chunks_path)
            self.folder.mkdir(parents=True, exist_ok=True)
            write_pickle(self.summary_path, (self.base, digest, row_keys, lengths))
        except OSError:
            pass

    def forget(self) -> None:
        """Drop the summary before the chunks change, so that a build stopped half-way leaves none
        that does not match them."""
        self.summary_path.unlink(missing_ok=True)

    @staticmethod
    def prune(root: Path, names: set[str]) -> None:
        """Remove the kept state of buckets that are gone."""
        folder = root / CACHE_FOLDER / "search"
        if not folder.is_dir():
            return
        for path in folder.iterdir():
            name = path.name.removesuffix(".pickle").removesuffix(".new")
            if name not in names:
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
