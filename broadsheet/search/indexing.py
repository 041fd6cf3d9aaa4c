"""The search index in the build: which bundles to index, indexing them (a few files patched
when a few articles changed, else the bundle written whole from the kept state), and what the
output's update must move in and delete."""

from __future__ import annotations

import functools
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..cache import ModelNeeded, code_key, hash_parts
from ..i18n import Interface
from ..model import Article, Edition, Page, Site
from ..parallel import fork_map
from .bundle import CHUNK, FOLDER, FORMAT, buckets, patch_shards, row, searched, shard_count, write_bundle, write_chunk
from .keys import plain_text, tokens
from .kept import Entry, KeptBucket

if TYPE_CHECKING:
    from ..output import Staging
    from ..problems import Problems

DIGEST_FILE = "broadsheet-digest.txt"
PATCH_LIMIT = 50  # changed articles up to which a bundle is patched rather than written whole


# The index in the build -----------------------------------------------------------------

#: each bucket of the site, newest first: (name, folder URL, its editions' ids)
Layout = tuple[tuple[str, str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class SearchInput:
    """What the index is made from: the site (or, after an edit read from the build state alone,
    the editions edited), each article's digest (which covers its body) and its body's HTML,
    every bucket with the digest and number of articles of each of its editions (`plan`), and
    where the rows last indexed are kept."""

    site: Site
    root: Path  # the site's folder, whose build cache keeps the rows
    language: str
    clean: bool  # the kept rows are not to be used
    article_digest: Callable[[Article], str]
    body_html: Callable[[Article], str]
    layout: Layout
    parts: dict[str, tuple[str, int]]  # edition id -> (digest of what it gives its bucket, its articles)
    edited: frozenset[str] | None = None  # the editions of the only articles replaced in this model (None: any)


def edition_part(edition: Edition, article_digest: Callable[[Article], str]) -> tuple[str, int]:
    """What an edition gives its bucket's digest (its URL, its pages, its articles by the build's
    digest of each, which covers the body), as one digest; and its number of articles."""
    parts = [f"{edition.id}|{edition.url}"]
    for page in edition.pages:
        parts.append(f"{page.label}|{page.name}|{page.url}")
        parts += [article_digest(a) for a in page.articles]
    return hash_parts(*parts), len(edition.articles)


def plan(site: Site, article_digest: Callable[[Article], str], kept: tuple[Layout, dict] | None = None,
         edited: frozenset[str] | None = None, whole: bool = True) -> tuple[Layout, dict[str, tuple[str, int]]]:
    """Every bucket, and each edition's part (`edition_part`); those of `kept` (the last build's)
    stand for the editions not `edited` (None: every edition is digested). Not `whole`: the site
    holds the edited editions alone, and the buckets are the kept ones (the site's structure
    did not change)."""
    if whole or kept is None:
        layout: Layout = tuple((b.name, b.url, tuple(e.id for e in b.editions)) for b in buckets(site))
    else:
        layout = kept[0]
    old = kept[1] if kept is not None and edited is not None else {}
    editions = {e.id: e for e in site.editions}
    parts = {}
    for _name, _url, ids in layout:
        for edition in ids:
            if edition in old and edition not in edited:  # type: ignore[operator]
                parts[edition] = old[edition]
            elif edition in editions:
                parts[edition] = edition_part(editions[edition], article_digest)
            else:
                raise ModelNeeded(f"the build state has no search digest of {edition}")
    return layout, parts


def digest(name: str, editions: tuple[str, ...], source: SearchInput, base: str) -> str:
    """What a bucket's bundle is made from: its editions' parts (`edition_part`) and the code."""
    return hash_parts(base, name, *(source.parts[edition][0] for edition in editions))


@dataclass
class Indexed:
    """What the indexing did (`index_bundles`, then `settle`), and what a file-by-file update must
    move in and delete."""

    fresh: list[str] = field(default_factory=list)  # the bundles indexed into the staging folder (URLs)
    kept: list[str] = field(default_factory=list)  # the unchanged bundles of the old output (URLs)
    moves: list[str] = field(default_factory=list)  # output URLs staged, for Staging.commit_into
    deletions: list[str] = field(default_factory=list)  # output URLs of old bundles' files now gone
    # what else `index_bundles` leaves to `settle`:
    current: list[str] = field(default_factory=list)  # every bucket's bundle (URLs)
    names: list[str] = field(default_factory=list)  # every bucket's name
    existing: dict[str, str] = field(default_factory=dict)  # the old output's bundles: {URL: digest}
    patched: dict[str, list[str]] = field(default_factory=dict)  # bundles of `fresh` patched: {URL: files written}
    read: int = 0  # articles read and tokenised (the others came from the kept state)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (bucket, why it could not be written)

    @property
    def indexed(self) -> int:
        """How many bundles were indexed."""
        return len(self.fresh)

    @property
    def reused(self) -> int:
        """How many bundles were kept from the old output."""
        return len(self.kept)


def index_bundles(source: SearchInput, staging: "Staging", old: Path | None, jobs: int = 1) -> Indexed:
    """Index the buckets whose bundle in the old output is missing or out of date into the staging
    folder; whether the others are staged whole or the new ones moved in is left to `settle`.
    Needs only the articles' digests, not the outputs': a build starts it before planning them."""
    done = Indexed()
    found = source.layout
    done.current = [url for _name, url, _ids in found]
    done.names = [name for name, _url, _ids in found]
    # after an edit in the kept model, the old output's bundles are those of its buckets (no others to find)
    done.existing = {} if old is None else _old_bundles(old, done.current if source.edited is not None else None)
    base = f"{FORMAT}\0{code_key()}\0{source.language}"
    todo: list[tuple[str, str, tuple[str, ...], str]] = []
    for name, url, ids in found:
        wanted = digest(name, ids, source, base)
        if done.existing.get(url) == wanted:
            done.kept.append(url)
        else:
            todo.append((name, url, ids, wanted))
    if todo:
        t = Interface(source.language)
        editions = {e.id: e for e in source.site.editions}
        # the biggest buckets first, so that the cores finish together
        order = sorted(todo, key=lambda item: -sum(source.parts[e][1] for e in item[2]))

        def index(number: int) -> tuple[str | None, list[str] | None, int]:  # a number: the model is not pickled
            name, url, ids, wanted = order[number]
            target = staging.target(url)
            was = done.existing.get(url)
            work = _Bucket(ids, editions, source, t, KeptBucket(source.root, name, base, source.clean))
            work.check(was)
            try:
                written = work.patch(old / url, was, target, wanted) if old is not None and was else None
                if written is None:
                    work.write_whole(target, wanted)
            except OSError as exc:
                return f"{exc.strerror or exc}: {exc.filename or target}", None, work.read
            return None, written, work.read

        for (name, url, _ids, _wanted), (failure, written, read) in zip(order, fork_map(index, range(len(order)), jobs, min_items=2)):
            done.read += read
            if failure:
                done.failures.append((name, failure))
            elif written is not None:
                done.patched[url] = written
        done.fresh = [url for _name, url, _ids, _wanted in todo]
    return done


def _keys(joined: str) -> list[str]:
    return joined.split("\n") if joined else []


@functools.lru_cache(maxsize=1 << 18)
def _row_key(*parts: str) -> str:
    """What an article's row shows, as one digest (kept per process: the dev server's rebuilds ask again)."""
    return hash_parts(*parts)


class _Bucket:
    """Indexing one bucket: its articles in result order, each with its row key (what its row
    shows: the article's digest and where it stands), and the bucket's kept state. An edition
    the model does not hold (an edit read from the build state alone) has the rows kept of it."""

    def __init__(self, ids: tuple[str, ...], editions: dict[str, Edition], source: SearchInput, t: Interface,
                 kept: KeptBucket):
        self.source, self.t, self.kept = source, t, kept
        self.places: dict[int, tuple[Article, Edition, Page]] = {}
        self.row_keys: list[str] = []
        self.partial = False
        for edition_id in ids:
            edition = editions.get(edition_id)
            if edition is None:
                self.partial = True
                start = len(self.row_keys)
                self.row_keys += kept.row_keys[start:start + source.parts[edition_id][1]]
                continue
            for page in edition.pages:
                for article in page.articles:
                    self.places[len(self.row_keys)] = (article, edition, page)
                    self.row_keys.append(_row_key(source.article_digest(article), edition.id, edition.url, page.label,
                                                  page.name or "", page.url))
        self.read = 0

    def check(self, was: str | None) -> None:
        """With editions the model does not hold, their rows are the kept state's: ModelNeeded
        unless it describes the old bundle (`was`, its digest) and has the rows of its articles."""
        kept = self.kept
        if self.partial and (was is None or kept.digest != was or len(kept.row_keys) != len(self.row_keys)):
            raise ModelNeeded("the search index's kept state is not that of the old bundle")

    def entry(self, position: int) -> tuple[Entry, set[str]]:
        """The article at this position read and tokenised now, and its keys (those the entry
        holds joined: given apart, they need not be split again)."""
        if position not in self.places:
            raise ModelNeeded("a search row of an article the model does not hold is not kept")
        a, e, p = self.places[position]
        self.read += 1
        made = row(a, e, p, self.t, plain_text(self.source.body_html(a)))
        keys = tokens(searched(made))
        return (self.row_keys[position], made, "\n".join(keys)), keys

    def patch(self, old: Path, was: str, target: Path, wanted: str) -> list[str] | None:
        """Write only the files of the old bundle (folder `old`, of digest `was`) that hold the
        changed articles, when their number and places stay; the files written, or None."""
        kept = self.kept
        if kept.digest != was or len(kept.row_keys) != len(self.row_keys):
            return None
        changed = [i for i, (new, before) in enumerate(zip(self.row_keys, kept.row_keys)) if new != before]
        try:
            manifest = json.loads((old / "index.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if len(changed) > PATCH_LIMIT or manifest.get("format") != FORMAT:
            return None
        lengths = list(kept.lengths)
        changes: dict[str, tuple[set[int], set[int]]] = {}
        chunks: dict[int, list[Entry]] = {}
        for position in changed:
            number = position // CHUNK
            if number not in chunks:
                entries = kept.chunk(number)
                if entries is None:
                    return None
                chunks[number] = list(entries)
            before, (now, after) = set(_keys(chunks[number][position % CHUNK][2])), self.entry(position)
            chunks[number][position % CHUNK] = now
            for key in before - after:
                changes.setdefault(key, (set(), set()))[0].add(position)
            for key in after - before:
                changes.setdefault(key, (set(), set()))[1].add(position)
            lengths[position] = len(after)
        if shard_count(sum(lengths)) != manifest.get("shards"):
            return None
        kept.forget()
        written = patch_shards(old, target, manifest["shards"], changes)
        for number, entries in sorted(chunks.items()):
            written.append(write_chunk(target, number, [e[1] for e in entries]))
            kept.save_chunk(number, entries, whole=False)
        (target / DIGEST_FILE).write_text(wanted + "\n", encoding="utf-8")
        kept.save(wanted, self.row_keys, lengths, whole=False)
        return [*written, DIGEST_FILE]

    def write_whole(self, target: Path, wanted: str) -> None:
        """Write the bundle whole, streamed: each article from the kept state where it is there
        (wherever it stood), else read and tokenised now."""
        kept = self.kept
        if self.partial and any(kept.at(p) is None for p in range(len(self.row_keys)) if p not in self.places):
            raise ModelNeeded("a search row of an article the model does not hold is not kept")
        kept.forget()
        lengths: list[int] = []
        chunk: list[Entry] = []

        def articles():
            for position, key in enumerate(self.row_keys):
                found = kept.at(position) if position not in self.places else kept.find(key)
                entry, keys = (found, _keys(found[2])) if found else self.entry(position)
                lengths.append(len(keys))
                chunk.append(entry)
                yield entry[1], keys
                if len(chunk) == CHUNK:
                    kept.save_chunk(position // CHUNK, chunk[:], whole=True)
                    chunk.clear()
            if chunk:
                kept.save_chunk((len(self.row_keys) - 1) // CHUNK, chunk[:], whole=True)

        write_bundle(articles(), target)
        (target / DIGEST_FILE).write_text(wanted + "\n", encoding="utf-8")
        kept.save(wanted, self.row_keys, lengths, whole=True)


def settle(done: Indexed, root: Path, staging: "Staging", old: Path | None, in_place: bool,
           problems: "Problems") -> None:
    """Report the bundles that could not be written; stage the unchanged ones (`in_place` false) or
    list what a file-by-file update moves in and deletes; forget the buckets that are gone."""
    for name, failure in done.failures:
        problems.error("search", 0, f"the search index of {name} could not be written: {failure}")
    KeptBucket.prune(root, set(done.names))
    if not in_place:
        for url in [*done.kept, *done.patched]:  # a patched bundle: its other files
            _link_tree(old / url, staging.target(url))
    elif not problems.errors:
        for url in done.fresh:
            new = _files(staging.target(url))
            done.moves += [url + name for name in new]
            if url in done.existing and url not in done.patched:
                done.deletions += [url + name for name in _files(old / url) if name not in new]
        for url in sorted(done.existing.keys() - set(done.current)):
            done.deletions += [url + name for name in _files(old / url)]


def _old_bundles(out: Path, urls: list[str] | None = None) -> dict[str, str]:
    """The bundles of an output folder (or those of these folder URLs): {folder URL: digest}."""
    found = {}
    markers = [out / url / DIGEST_FILE for url in urls] if urls is not None else [
        *out.glob(f"*/{FOLDER}/{DIGEST_FILE}"), *out.glob(f"{FOLDER}/*/{DIGEST_FILE}")]
    for marker in markers:
        digest_text = _read(marker)
        if digest_text:
            found[marker.parent.relative_to(out).as_posix() + "/"] = digest_text
    return found


def _files(folder: Path) -> list[str]:
    """Every file under a folder, as '/'-separated paths relative to it."""
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return None


def _link_tree(source: Path, target: Path) -> None:
    """Hard-link every file of an old bundle into the staging folder (copy where links fail), but
    those the staging folder has already."""
    for folder, _dirs, names in os.walk(source):
        destination = target / Path(folder).relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in names:
            if (destination / name).exists():
                continue
            try:
                os.link(Path(folder) / name, destination / name)
            except OSError:
                shutil.copyfile(Path(folder) / name, destination / name)
