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
output is not the one the index describes.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import secrets
import shutil
from pathlib import Path
from typing import Any, Callable

from . import listed
from .cache import FOLDER, BuildCache, Built, write_pickle
from .changes import COMMITTING, FORMAT, HEAD, INDEX, STATE, usable_index
from .digests import EVERY_BODY
from .model import Article, ArticleRef, Edition, Page, Site
from .parallel import in_background
from .taxonomy import article_ref

SITE = "site"
COLUMNS = "(columns)"  # not a shard: the columns' digests go in the index
#: what older Broadsheets kept in the cache folder: removed when this state is saved
RETIRED = ("build.pickle", "taxonomy-slugs.json", "snapshot-head.pickle", "snapshot-model.pickle",
           "snapshot-edits.pickle", "jinja")
UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, KeyError,
               TypeError, ValueError)
_IN_INDEX = ("key", "outputs", "files", "stats", "folders", "fingerprint", "report", "slugs",
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
    cache = BuildCache(**{name: index[name] for name in _IN_INDEX if name not in PICKLED})
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


def mark_committing(site_root: Path) -> bool:
    """Say that the output is being replaced, before it is (False when that cannot be written)."""
    try:
        folder = site_root / FOLDER / STATE
        folder.mkdir(parents=True, exist_ok=True)
        (folder / COMMITTING).touch()
    except OSError:
        return False
    return True


def save(site_root: Path, cache: BuildCache, rewrite: set[str] | None = None, shards: Shards | None = None,
         keep: bool = False, jobs: int = 1, beside: Callable[[], None] | None = None) -> Shards | None:
    """Write the state: every shard, or those named in `rewrite` (an edit's, made from what was
    read of them: `shards`, whose others stand), then the index; give the shards now on disk,
    with `keep` as if read back (what the dev server keeps for its next build), None when the
    state could not be written (only a slower next build). `beside`: what else is saved with it
    (the body store); with `jobs`, while a forked child writes the site and side shards."""
    folder = site_root / FOLDER / STATE
    whole = rewrite is None or shards is None
    others = None if rewrite is None or shards is None else shards.parts  # the shards not rewritten, as read
    names = None if rewrite is None or shards is None else {name for name in rewrite if listed.is_side(name)}
    side: Callable[[], dict[str, str]] | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if rewrite is None or shards is None:  # (spelled out, not `whole`: so the types narrow)
            tokens: dict[str, str] = {}
            parts = _split(cache)
            columns = parts.pop(COLUMNS, {"digests": ({}, {}, {})})["digests"]
        else:
            tokens, (parts, columns) = dict(shards.tokens), _edited(cache, shards, rewrite)
        # A full save's side shards and site shard are half of it: written by a child while this
        # process saves the body store and writes the edition shards (the second core is idle then).
        site = {SITE: parts.pop(SITE)} if SITE in parts else {}
        side = in_background(functools.partial(_write_side, folder, cache.built, names, site, keep),
                             jobs if whole and not keep else 1)
        if beside is not None:
            beside()
        tokens.update(_write_parts(folder, parts, keep))
        written_side, side = side(), None
        tokens.update(written_side)
        if cache.built is None:
            tokens = {name: token for name, token in tokens.items() if name != SITE and not listed.is_side(name)}
            cache.summary = {}  # of no kept model
        if rewrite is None:
            tokens = {name: tokens[name] for name in (*parts, *written_side)}
        head = {name: getattr(cache, name) for name in HEAD}
        rest = {name: cache.pickled_member(name) if name in PICKLED else getattr(cache, name)
                for name in _IN_INDEX if name not in head}
        rest["columns"] = columns
        write_pickle(folder / INDEX, (FORMAT, head), (rest, tokens))
        (folder / COMMITTING).unlink(missing_ok=True)
        _tidy(site_root, folder, tokens)
    except OSError:
        return None
    finally:
        if side is not None:  # stopped before the child was waited for: waited for all the same
            with contextlib.suppress(Exception):
                side()
    cache.dirty = False
    written = Shards(folder, tokens, columns)
    if keep:
        written.parts = {**(others or {}), **parts}
        written.parts.pop(SITE, None)  # (the side shards are not in `parts`: read again when asked)
    return written


def _tidy(site_root: Path, folder: Path, tokens: dict[str, str]) -> None:
    """Remove the shards the index no longer names, and what older Broadsheets kept."""
    for name in os.listdir(folder):  # (not `glob`: 2,000 Path objects at 50,000 articles)
        if name.endswith(".pickle") and name[:-7] not in tokens and name != INDEX:
            (folder / name).unlink(missing_ok=True)
    for name in RETIRED:
        old = site_root / FOLDER / name
        shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)


def _write_parts(folder: Path, parts: dict[str, dict], keep: bool) -> dict[str, str]:
    """Write the edition shards and the site's (`_write`): their new tokens."""
    tokens: dict[str, str] = {}
    for name, content in parts.items():
        tokens[name] = secrets.token_hex(8)
        content["records"] = pickle.dumps((content.pop("sources"), content.pop("bodies")), pickle.HIGHEST_PROTOCOL)
        if "listed" in content and type(content["listed"]) is not bytes:
            content["listed"] = pickle.dumps(content["listed"], pickle.HIGHEST_PROTOCOL)
        _write(folder / f"{name}.pickle", tokens[name], content, name == SITE)
        if not keep:
            content.clear()  # written: its pickled records need not stay in memory till the last shard
    return tokens


def _write_side(folder: Path, built: Built | None, names: set[str] | None, site: dict[str, dict],
                keep: bool) -> dict[str, str]:
    """Write the site shard (`site`: it, or nothing; `keep` as `_write_parts`) and the side
    shards of a model (those named; None: all): their tokens."""
    tokens = _write_parts(folder, site, keep)
    if built is None or names is not None and not names:
        return tokens
    for name, content in listed.parts(built, names).items():
        tokens[name] = secrets.token_hex(8)
        write_pickle(folder / f"{name}.pickle", (tokens[name], content))
    return tokens


def _write(path: Path, token: str, content: dict, by_key: bool) -> None:
    """Pickle a shard whole or not at all; the site shard names the model's editions, pages and
    articles by key (the edition shards hold them). An edition shard is two pickles: its token
    and records, then its part of the model (`Shards.read`), which a build that assembles the
    model anew does not read."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}")
    with temporary.open("wb") as handle:
        if by_key:
            _ByKey(handle, pickle.HIGHEST_PROTOCOL).dump((token, content))
        else:
            pickler = pickle.Pickler(handle, pickle.HIGHEST_PROTOCOL)
            pickler.dump((token, {"records": content["records"]}))
            # (one pickler, read by one unpickler: the second pickle may name what the first memoised)
            pickler.dump({key: value for key, value in content.items() if key != "records"})
    os.replace(temporary, path)


class _ByKey(pickle.Pickler):
    def persistent_id(self, obj):  # pickle's hook
        kind = type(obj)
        if kind is Article:
            return ("a", obj.source)
        if kind is Page:
            return ("p", obj.edition, obj.label)
        if kind is Edition:
            return ("e", obj.id)
        if kind is ArticleRef:
            return ("r", obj.url)
        return None


def shard_of(source: str) -> str:
    """The shard an article's record goes in: its edition folder's (`content/<edition>/…`)."""
    parts = source.split("/")
    return parts[1] if len(parts) > 2 else "other"


def _edited(cache: BuildCache, shards: Shards, names: set[str]) -> tuple[dict[str, dict], tuple]:
    """The shards an edit rewrites, made from what was read of them (an edit keeps their keys),
    and the columns' digests."""
    built, parts = cache.built, {}
    for name in names - {name for name in names if listed.is_side(name)}:
        read = shards.parts[name]
        sources = {source: cache.sources[source] for source in read["sources"]}
        bodies = {entry[2].body_key: cache.bodies[entry[2].body_key] for entry in sources.values()
                  if entry[2].body_key in cache.bodies}
        digests = read["digests"] if built is None else tuple({key: now[key] for key in kept}
                                                              for now, kept in zip(built.digests, read["digests"]))
        parts[name] = dict(read, sources=sources, bodies=bodies, digests=digests)
    # (a column's digest with its bodies, which an edit of the editions alone cannot make, is
    # left out: `Digests` makes it again from the whole model when an output shows it)
    # (nor one made by a partial model from light copies: `listed.UNKNOWN`)
    columns = shards.columns if built is None else tuple(
        {key: now[key] for key in kept if key in now and not (built.partial and number == 2 and built.site.columns)}
        for number, (now, kept) in enumerate(zip(built.digests, shards.columns)))
    return parts, columns


def _split(cache: BuildCache) -> dict[str, dict]:
    """The state's content by shard."""
    parts: dict[str, dict] = {}

    def part(name: str) -> dict:
        if name not in parts:
            parts[name] = {"sources": {}, "bodies": {}, "edition": None, "outputs": [], "covers": {}, "mentions": {},
                           "digests": ({}, {}, {}), "own_problems": {}}
        return parts[name]

    for source, entry in cache.sources.items():
        found = part(shard_of(source))
        found["sources"][source] = entry
        meta = cache.bodies.get(entry[2].body_key)
        if meta is not None:
            found["bodies"][entry[2].body_key] = meta
    built = cache.built
    if built is None:
        return parts
    _split_model(built, part)
    shard = {article.url: shard_of(article.source) for article in built.site.articles}
    own = {output.url: output.context["edition"].id if output.context.get("edition") is not None else SITE
           for output in built.outputs}
    for name, mentions in listed.mentioned_elsewhere(built, shard, own).items():
        part(name)["listed"] = mentions
    cache.summary = {**cache.summary, "foreign": _foreign(built), "located": built.site.located}
    parts[SITE] = site = part(SITE)
    site["site"], site["refs"] = built.site, built.refs
    return parts


def _foreign(built: Built) -> frozenset[str]:
    """The articles whose bodies an output of another shard than their edition's shows (and
    EVERY_BODY when an output may show any): an edit of another article's body touches the
    outputs of its edition's shard alone."""
    shard = {article.url: shard_of(article.source) for article in built.site.articles}
    found: set[str] = set()
    for output in built.outputs:
        edition = output.context.get("edition")
        mine = edition.id if edition is not None else SITE
        found.update(url for url in built.covers[output.url] if url == EVERY_BODY or shard.get(url) != mine)
    return frozenset(found)


def _split_model(built: Built, part: Callable[[str], dict]) -> None:
    for edition in built.site.editions:
        part(edition.id)["edition"] = edition
    for output in built.outputs:
        edition = output.context.get("edition")
        found = part(edition.id if edition is not None else SITE)
        found["outputs"].append(output)
        found["covers"][output.url] = built.covers[output.url]
        found["mentions"][output.url] = built.mentions[output.url]
    for digests, kept in zip(built.digests, range(3)):
        for key, value in digests.items():
            kind, _, name = key.partition(":")
            where = COLUMNS if kind == "column" else shard_of(name) if kind == "article" else name.split("/")[0]
            part(where)["digests"][kept][key] = value
    for source, problems in built.own_problems.items():
        part(shard_of(source))["own_problems"][source] = problems
