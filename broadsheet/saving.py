"""Writing the build state (`state.py` says what it holds and reads it): every shard after a full
build, an edit's shards alone after an edit, then the index, each file whole or not at all; and
the `committing` mark while the output is replaced."""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import secrets
import shutil
from pathlib import Path
from typing import Callable

from . import listed
from .cache import FOLDER, BuildCache, Built, write_pickle
from .changes import COMMITTING, FORMAT, HEAD, INDEX, STATE
from .digests import EVERY_BODY
from .model import Article, ArticleRef, Edition, Page
from .parallel import in_background
from .state import COLUMNS, IN_INDEX, PICKLED, RETIRED, SITE, Shards, shard_of


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
                for name in IN_INDEX if name not in head}
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
