"""A bundle's postings (index key → the numbers of the articles holding it) while the bundle is
written: held in memory up to `SPILL` (key, article) pairs, then spilled to a temporary file,
so that indexing a year of real copy (millions of pairs) stays within a bounded memory.

Spilled runs are kept by key group (`ord(key[0]) % MAX_GROUPS`); a bundle's shard count is a
power of two dividing `MAX_GROUPS`, so shard N gathers the groups that are N modulo it, and
reads back only its own postings."""

from __future__ import annotations

import pickle
import tempfile
from typing import IO, Iterable, Iterator

SPILL = 4_000_000  # (key, article) pairs held in memory before a run goes to the temporary file
MAX_GROUPS = 256  # bundle.MAX_SHARDS: the most shards a bundle has


class Postings:
    """The postings of one bundle being written: `add` each article's keys in article order,
    then `shards(count)` gives each shard's keys, sorted, with their article numbers ascending."""

    def __init__(self, spill: int | None = None):
        self.spill = SPILL if spill is None else spill
        self.held: dict[str, list[int]] = {}
        self.held_pairs = 0
        self.total = 0  # pairs added in all
        self.file: IO[bytes] | None = None
        self.runs: list[list[tuple[int, int]]] = []  # per run, per group: (offset, length) in `file`

    def add(self, number: int, keys: Iterable[str]) -> None:
        """Article `number` (numbers come in ascending order) holds these keys."""
        held = self.held
        count = 0
        for key in keys:
            listed = held.get(key)
            if listed is None:
                held[key] = [number]
            else:
                listed.append(number)
            count += 1
        self.held_pairs += count
        self.total += count
        if self.held_pairs > self.spill:
            self._spill()

    def _spill(self) -> None:
        """Write the held postings as one run, by key group, and forget them."""
        if self.file is None:
            self.file = tempfile.TemporaryFile(prefix="broadsheet-postings-")
        groups: list[dict[str, list[int]]] = [{} for _ in range(MAX_GROUPS)]
        for key, numbers in self.held.items():
            groups[ord(key[0]) % MAX_GROUPS][key] = numbers
        self.held, self.held_pairs = {}, 0
        places = []
        for group in groups:
            data = pickle.dumps(group, pickle.HIGHEST_PROTOCOL) if group else b""
            places.append((self.file.tell(), len(data)))
            self.file.write(data)
        self.runs.append(places)

    def shards(self, count: int) -> Iterator[dict[str, list[int]]]:
        """Each of `count` shards (a power of two dividing MAX_GROUPS): its keys in sorted order,
        each with its article numbers ascending. The postings are given away as they go."""
        if not self.runs:  # all in memory: one pass
            grouped: list[dict[str, list[int]]] = [{} for _ in range(count)]
            for key in sorted(self.held):
                grouped[ord(key[0]) % count][key] = self.held.pop(key)
            for number in range(count):
                part, grouped[number] = grouped[number], {}
                yield part
            return
        if self.held:
            self._spill()
        for shard in range(count):
            merged: dict[str, list[int]] = {}
            for places in self.runs:  # runs in article order: each run's numbers follow the last's
                for group in range(shard, MAX_GROUPS, count):
                    offset, length = places[group]
                    if length:
                        self.file.seek(offset)  # type: ignore[union-attr]
                        for key, numbers in pickle.loads(self.file.read(length)).items():  # type: ignore[union-attr]
                            merged.setdefault(key, []).extend(numbers)
            yield {key: merged[key] for key in sorted(merged)}

    def close(self) -> None:
        """Remove the temporary file."""
        if self.file is not None:
            self.file.close()
            self.file = None
