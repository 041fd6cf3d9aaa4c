"""The build state on disk: `.broadsheet-cache/state/`, an index and one shard per edition.

The index holds what every build looks at first: its head (`changes.HEAD`: the fingerprint of
the inputs and the last report, all that a build with nothing changed reads), then the size and
time of every input file, the digest of every output on disk, slugs, template analyses and
compiled templates. Each edition's shard holds what was read and made of that edition: its
articles' records and bodies' metadata, and (after a good build) its part of the model, its
outputs with their digests' coverage: a second pickle in the file, which a build that assembles
the model anew (a template edited, an article added) does not read. The `site` shard holds the rest of the model and plan,
naming the editions' articles, pages and editions by key, so that it is joined to the edition
shards when it is read. An edit of one article's body rewrites its edition's shard and the
index, not the archive. The listing pages are kept a second time, by value, in side shards
(`listed.py`), which the whole kept model never reads: what a headline edit reads instead.

Each shard carries a token the index names: a state whose shards do not match its index (a
build killed while saving), of another format, or unreadable, is ignored with a note, and the
build starts from nothing. While a build replaces the output, a `committing` mark says the
output is not the one the index describes. This module reads the state; `saving.py` writes it.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any, Callable

from . import listed
from .cache import FOLDER, BuildCache, Built
from .changes import COMMITTING, INDEX, STATE, usable_index
from .model import Site
from .taxonomy import article_ref

SITE = "site"
COLUMNS = "(columns)"  # not a shard: the columns' digests go in the index
#: what older Broadsheets kept in the cache folder: removed when this state is saved
RETIRED = ("build.pickle", "taxonomy-slugs.json", "snapshot-head.pickle", "snapshot-model.pickle",
           "snapshot-edits.pickle", "jinja")
UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, KeyError,
               TypeError, ValueError)
IN_INDEX = ("key", "outputs", "files", "stats", "folders", "fingerprint", "report", "slugs",
             "analyses", "bytecode", "output_folder", "replicas", "summary")
#: the index's members with an entry per output, copied file or input (at 50,000 articles, 17 MB
#: of pickle), each kept in it pickled on its own: unpickled only when a build asks for it, and
#: written back as read when none did (`BuildCache.pickled`)
PICKLED = ("outputs", "files", "stats", "folders")


class Shards:
    """The shards the index names ({name: token}), read when a build needs more than the index."""

    def __init__(self, folder: Path, tokens: dict[str, str], columns: tuple):
        self.folder = folder
        self.tokens = tokens
        self.columns = columns  # the columns' digests, kept in the index: a body edit changes them
        self.parts: dict[str, dict] = {}  # the edition shards read so far, by name
        self.failed = False

    def read(self, name: str, unpickler: Callable[[Any], pickle.Unpickler] = pickle.Unpickler,
             model: bool = False) -> Any:
        """A shard's content, checked against the index's token, with `model` an edition shard's
        part of the kept model too (its second pickle, which is not unpickled, nor even read
        from the file, without it); KeyError or ValueError when missing or stale."""
        with (self.folder / f"{name}.pickle").open("rb") as handle:
            reader = unpickler(handle)
            token, content = reader.load()
            if token != self.tokens[name]:
                raise ValueError(f"{name} is not the shard the index names")
            if model:
                content.update(reader.load())
        return content


def load(site_root: Path, key: str, clean: bool = False, notes: list[str] | None = None) -> tuple[BuildCache, Shards | None]:
    """The index of the state for this code and configuration (empty when there is none, or with
    `clean`), and its shards to read; one found but not usable adds why to `notes`, for `--verbose`."""
    notes = [] if notes is None else notes
    folder = site_root / FOLDER / STATE
    path = folder / INDEX
    if clean or not path.exists():
        return BuildCache(key=key), None
    try:
        with path.open("rb") as handle:
            found = pickle.load(handle)
            ok = usable_index(found)
            if ok:
                rest, tokens = pickle.load(handle)  # the index past its head: its second pickle
                index = {**found[1], **rest}
    except UNREADABLE:
        ok = False
    if not ok:
        notes.append(f"{FOLDER}/{STATE} is damaged or from another version of Broadsheet: ignored, everything is built")
        return BuildCache(key=key), None
    if index.get("key") != key:
        notes.append("Broadsheet, site.yaml or --drafts changed since the last build: everything is built")
        # keyed by what they depend on (a PDF's digest), so kept
        return BuildCache(key=key, replicas=index.get("replicas", {})), None
    cache = BuildCache(**{name: index[name] for name in IN_INDEX if name not in PICKLED})
    cache.keep_pickled({name: index[name] for name in PICKLED})
    if (folder / COMMITTING).exists():
        notes.append("the last build stopped while replacing the output: every output is written again")
        cache.outputs, cache.files, cache.fingerprint = {}, {}, None
        tokens.pop(SITE, None)  # nor is the model kept for that output to be trusted
    cache.dirty = False
    return cache, Shards(folder, tokens, index["columns"])


def read_shards(cache: BuildCache, shards: Shards | None, model: bool, notes: list[str],
                records: set[str] | None = None) -> bool:
    """Read the edition shards: into the cache the records and bodies of their articles (of the
    shards named in `records`, None: all), and with `model` the model the last good build made
    (`cache.built`, None when there is none); False, with the cache emptied of them and a note,
    when a shard is missing, damaged or stale. Without `model`, only the shards named in
    `records` are read (None: all), with their parts of the model when named (what
    `read_editions` needs) and without when not (the model is assembled anew)."""
    if shards is None or shards.failed:
        return not (shards and shards.failed)
    # the records alone when the model is assembled anew: the old one's parts (some 300 MB at
    # 50,000 articles) are not even read then
    parts = model or records is not None
    try:
        for name in shards.tokens:
            if name == SITE or listed.is_side(name) or not (model or records is None or name in records):
                continue
            read = shards.parts.get(name)
            if read is None:
                shards.parts[name] = shards.read(name, model=parts)
            elif parts and "edition" not in read:  # its records read before, by a build that assembled the model
                read.update((key, value) for key, value in shards.read(name, model=True).items() if key != "records")
        for name in shards.parts if records is None else records & shards.parts.keys():
            blob = shards.parts[name].pop("records", None)  # unpickled only when asked for
            if blob is not None:
                sources, bodies = shards.parts[name]["sources"], shards.parts[name]["bodies"] = pickle.loads(blob)
                cache.sources.update(sources)
                cache.bodies.update(bodies)
        if model and (cache.built is None or cache.built.partial) and SITE in shards.tokens:
            cache.built = _join(shards, shards.parts)
    except UNREADABLE:
        notes.append(f"{FOLDER}/{STATE} has a damaged or missing shard: ignored, everything is built")
        cache.sources, cache.bodies, cache.built, cache.outputs, cache.fingerprint = {}, {}, None, {}, None
        shards.failed = True
        return False
    return True


def read_editions(cache: BuildCache, shards: Shards, names: set[str], notes: list[str]) -> Built | None:
    """The part of the kept model that the shards of these editions hold (their editions, outputs,
    coverage and digests, with the columns' digests), read with their records and nothing else
    of the state: what an edit of their articles' bodies alone needs (`partial.py`). None when
    there is no kept model, or a shard is missing or damaged (with a note)."""
    if SITE not in shards.tokens or not names <= shards.tokens.keys() or not read_shards(cache, shards, False, notes, names):
        return None
    parts = [shards.parts[name] for name in sorted(names)]
    for part in parts:  # (kept pickled in the shard: only an edit of its articles reads it)
        if type(part.get("listed")) is bytes:
            part["listed"] = pickle.loads(part["listed"])
    editions = sorted((part["edition"] for part in parts if part["edition"] is not None), key=lambda e: e.id, reverse=True)
    outputs, covers, mentions, digests, own = _gathered(parts, shards.columns)
    site = Site(tuple(editions), (), located=cache.summary["located"])
    return Built(site, outputs, digests, covers, mentions, {}, own, partial=True)


def _join(shards: Shards, parts: dict[str, dict]) -> Built:
    """The kept model: the site shard, whose editions, pages and articles are the edition shards' own."""
    by_key = _Keyed()
    for part in parts.values():
        edition = part["edition"]
        if edition is not None:
            by_key[("e", edition.id)] = edition
            for page in edition.pages:
                by_key[("p", page.edition, page.label)] = page
                for article in page.articles:
                    by_key[("a", article.source)] = article
                    by_key[("u", article.url)] = article
    outputs, covers, mentions, digests, own = _gathered(list(parts.values()), shards.columns)
    site = shards.read(SITE, lambda handle: _joined(handle, by_key))
    outputs.extend(site["outputs"])
    covers.update(site["covers"])
    mentions.update(site["mentions"])
    return Built(site["site"], outputs, digests, covers, mentions, site["refs"], own)


def _gathered(parts: list[dict], columns: tuple) -> tuple[list, dict, dict, tuple[dict, dict, dict], dict]:
    """The edition shards' outputs, coverage, mentions, digests (with the columns', which the
    index keeps) and articles' own problems, joined in the shards' order."""
    outputs: list = []
    covers: dict = {}
    mentions: dict = {}
    digests: tuple[dict, dict, dict] = ({}, {}, {})
    own: dict = {}
    for part in parts:
        outputs.extend(part["outputs"])
        covers.update(part["covers"])
        mentions.update(part["mentions"])
        own.update(part["own_problems"])
        for mine, theirs in zip(digests, part["digests"]):
            mine.update(theirs)
    for mine, theirs in zip(digests, columns):
        mine.update(theirs)
    return outputs, covers, mentions, digests, own


class _Keyed(dict):
    """The model's values by key; a listing's reference missing is made again from its article."""

    def __missing__(self, key: tuple) -> Any:
        if key[0] == "er":  # an edition's reference, made once for all of its articles' (50,000 at 50,000 articles)
            self[key] = found = self[("e", key[1])].ref
            return found
        article = self[("u", key[1])]
        self[key] = found = article_ref(article, self[("er", article.edition)],
                                        self[("p", article.edition, article.page)].ref)
        return found


def _joined(handle, by_key: _Keyed) -> pickle.Unpickler:
    """An unpickler of the site shard that finds the values it names by key in `by_key` (a
    lookup made in C: the site shard names every article several times)."""
    unpickler = pickle.Unpickler(handle)
    unpickler.persistent_load = by_key.__getitem__  # type: ignore[method-assign]  # pickle's hook
    return unpickler


def shard_of(source: str) -> str:
    """The shard an article's record goes in: its edition folder's (`content/<edition>/…`)."""
    parts = source.split("/")
    return parts[1] if len(parts) > 2 else "other"
