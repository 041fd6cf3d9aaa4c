"""A bundle's files: which articles go into which bundle, and writing a bundle whole (streamed,
chunk by chunk) or patching the few files of it that hold an edited article."""

from __future__ import annotations

import bisect
import json
import operator
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..i18n import Interface
from ..model import Article, Edition, Page, Site
from .postings import MAX_GROUPS, Postings

RECENT = 7  # the newest editions, one bundle each
FORMAT = "broadsheet-search 2"  # bump when the files change shape
FOLDER = "search"  # the search page, and the month and year bundles
CHUNK = 20  # articles per d/K.json: what a page of results loads
SHARD_POSTINGS = 40_000  # about this many (key, article) pairs per shard
MAX_SHARDS = MAX_GROUPS  # a power of two: postings.Postings groups keys by it


@dataclass(frozen=True)
class Bucket:
    """Articles indexed together into one bundle."""

    name: str  # 2026-11-27 (an edition), 2026-10 (a month) or 2024 (a year)
    url: str  # the bundle's folder, relative to the output root, ending in '/'
    editions: tuple[Edition, ...]


def buckets(site: Site) -> list[Bucket]:
    """The site's buckets, newest first: the first is the one the browser loads first."""
    editions = [e for e in site.editions if e.articles]
    if not editions:
        return []
    found = [Bucket(e.id, f"{e.id}/{FOLDER}/", (e,)) for e in editions[:RECENT]]
    newest_year = editions[0].date.year
    grouped: dict[str, list[Edition]] = {}
    for edition in editions[RECENT:]:
        key = edition.id[:7] if edition.date.year >= newest_year - 1 else edition.id[:4]
        grouped.setdefault(key, []).append(edition)
    found += [Bucket(key, f"{FOLDER}/{key}/", tuple(group)) for key, group in grouped.items()]
    return found


def row(article: Article, edition: Edition, page: Page, t: Interface, text: str) -> list:
    """One article in a chunk: what a result shows, then the other fields the query may match;
    `text` is the body's plain text."""
    people = [b.text if b.text is not None else " ".join([b.role or "", *b.names]) for b in article.bylines]
    extra = [article.subtitle, article.dateline, article.column.name if article.column else None, *article.tags,
             *(p.caption for p in article.photos), *people]
    page_title = t.page(page.label) + (f" {page.name}" if page.name else "")
    return [article.url, article.title, article.kicker or "", t.short_date(edition.date), edition.url,
            page_title, page.url, text or article.summary or "", [x for x in extra if x]]


def searched(made: list) -> list[str]:
    """The fields of a chunk row that a query may match: headline, kicker, text and the others."""
    return [made[1], made[2], made[7], *made[8]]


def gaps(numbers: list[int]) -> list[int]:
    """Ascending numbers as the first and the gaps between them: shorter JSON."""
    return list(map(operator.sub, numbers, [0, *numbers]))


def numbers_of(gapped: list[int]) -> list[int]:
    """`gaps` undone."""
    total, numbers = 0, []
    for gap in gapped:
        total += gap
        numbers.append(total)
    return numbers


def write_json(path: Path, value) -> None:
    """One index file, as compact as JSON goes."""
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def write_chunk(target: Path, number: int, rows: list[list]) -> str:
    """Write chunk `number` of a bundle folder; its name in the folder."""
    name = f"d/{number}.json"
    (target / "d").mkdir(parents=True, exist_ok=True)
    write_json(target / name, rows)
    return name


def shard_count(postings: int) -> int:
    """How many shards a bundle of this many (key, article) pairs has: a power of two."""
    shards = 1
    while shards < MAX_SHARDS and postings > shards * SHARD_POSTINGS:
        shards *= 2
    return shards


def write_bundle(articles: Iterable[tuple[list, Iterable[str]]], target: Path, spill: int | None = None) -> None:
    """Index the articles, (row, keys) in result order, into a bundle folder, streamed: each chunk
    is written as soon as its rows are in, and the postings go to a temporary file beyond
    `spill` pairs (`postings.SPILL`), each shard read back alone."""
    postings = Postings(spill)
    try:
        target.mkdir(parents=True, exist_ok=True)
        chunk: list[list] = []
        count = 0
        for number, (made, keys) in enumerate(articles):
            postings.add(number, keys)
            chunk.append(made)
            count = number + 1
            if len(chunk) == CHUNK:
                write_chunk(target, number // CHUNK, chunk)
                chunk = []
        if chunk:
            write_chunk(target, (count - 1) // CHUNK, chunk)
        shards = shard_count(postings.total)
        (target / "s").mkdir(exist_ok=True)
        for number, keys in enumerate(postings.shards(shards)):
            write_json(target / "s" / f"{number}.json", {key: gaps(numbers) for key, numbers in keys.items()})
    finally:
        postings.close()
    write_json(target / "index.json", {"format": FORMAT, "docs": count, "shards": shards, "chunk": CHUNK})


def patch_shards(old: Path, target: Path, shards: int, changes: dict[str, tuple[set[int], set[int]]]) -> list[str]:
    """Write the shards of an old bundle (folder `old`) that the changes touch into `target`, as
    `write_bundle` would write them: `changes` gives each key's (article numbers that no longer
    hold it, those that now do). Returns the files written (`s/N.json`)."""
    by_shard: dict[int, list[str]] = {}
    for key in changes:
        by_shard.setdefault(ord(key[0]) % shards, []).append(key)
    (target / "s").mkdir(parents=True, exist_ok=True)
    written = []
    for shard, keys in sorted(by_shard.items()):
        name = f"s/{shard}.json"
        lists = {key: numbers_of(gapped) for key, gapped in json.loads((old / name).read_text(encoding="utf-8")).items()}
        for key in keys:
            gone, added = changes[key]
            numbers = [n for n in lists.get(key, ()) if n not in gone]
            for n in added:
                bisect.insort(numbers, n)
            if numbers:
                lists[key] = numbers
            else:
                lists.pop(key, None)
        write_json(target / name, {key: gaps(lists[key]) for key in sorted(lists)})
        written.append(name)
    return written
