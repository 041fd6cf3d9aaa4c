"""The listing pages' part of the build state, kept by value: what a listing-field edit of an old
article (its headline, kicker, subtitle, dateline, summary) reads instead of the whole kept model.

The site shard names the editions' articles by key (`saving._ByKey`), so it is read only joined
to every edition shard. Beside it, the outputs of the site shard that list articles (tag, person
and column pages: a `paging` in their context) are kept by value in `BUCKETS` side shards by
their URL, each with its outputs' coverage and the digests (without bodies) of the articles
they show; and the outputs with nothing in their context (the list of columns, which shows the
columns through the renderer's `columns`) in one more, with the columns, whose articles are
light copies (`LIGHT` fields). Each edition shard keeps which outputs of other shards mention
each of its articles, and in which side shard each is (`mentioned_elsewhere`): an edit of an
article whose mentions are all in side shards reads those, its edition's shard and the index.
The side shards an edit changes are written again from the model (`parts`).
"""

from __future__ import annotations

import zlib
from typing import Any

from jinja2 import meta, nodes

from .cache import Built
from .digests import EVERY_BODY
from .model import Article, Column, stable_key

PREFIX = "listed-"
BUCKETS = 256
COLUMNS_PART = PREFIX + "columns"
#: what a light copy of a column's article keeps (the list of columns shows its count and date)
LIGHT = ("source", "edition", "page", "slug", "url", "title", "date", "corrections", "draft")
HEAVY = frozenset(Article.__dataclass_fields__) - frozenset(LIGHT)
#: the digest with bodies of a light copy, which a partial model cannot know: a column's digest
#: with bodies made from it is never kept (`saving._edited`)
UNKNOWN = "?"


def is_side(name: str) -> bool:
    """Whether a shard's name is one of the side shards'."""
    return name.startswith(PREFIX)


def part_of(output) -> str | None:
    """The side shard that keeps an output of the site shard by value (None: none does)."""
    if "paging" in output.context:
        return f"{PREFIX}{zlib.crc32(output.url.encode()) % BUCKETS:03d}"
    return COLUMNS_PART if not output.context else None


def light(article: Article) -> Article:
    """A copy of an article with its `LIGHT` fields alone (what the list of columns shows); a
    light copy already (read from a side shard: a partial model's columns) is its own."""
    if len(article.__dict__) == len(LIGHT):  # (a whole article has every field of the dataclass)
        return article
    copy = object.__new__(Article)
    copy.__dict__.update((name, getattr(article, name)) for name in LIGHT)
    return copy


def light_column(column: Column) -> Column:
    """A column whose articles are light copies."""
    return Column(column.name, column.slug, column.url, column.description, tuple(map(light, column.articles)))


def parts(built: Built, names: set[str] | None) -> dict[str, dict]:
    """The side shards (all of them, or those named) made from a model, whole or partial (whose
    outputs are then those of the side shards read)."""
    found: dict[str, dict] = {}
    shallow = built.digests[1]
    for output in built.outputs:
        if output.context.get("edition") is not None:
            continue
        name = part_of(output)
        if name is None or (names is not None and name not in names):
            continue
        part = found.setdefault(name, {"outputs": [], "covers": {}, "mentions": {}, "shallow": {}})
        part["outputs"].append(output)
        part["covers"][output.url] = built.covers[output.url]
        part["mentions"][output.url] = built.mentions[output.url]
        for article in output.context.get("articles", ()):
            key = stable_key(article)
            part["shallow"][key] = shallow[key]
    if names is None or COLUMNS_PART in names:
        part = found.setdefault(COLUMNS_PART, {"outputs": [], "covers": {}, "mentions": {}, "shallow": {}})
        part["columns"] = tuple(map(light_column, built.site.columns))
        part["shallow"].update((key, shallow[key]) for column in built.site.columns
                               for key in map(stable_key, column.articles))
    return found


def mentioned_elsewhere(built: Built, shard: dict[str, str], own: dict[str, str]) -> dict[str, dict | None]:
    """By edition shard, each of its articles' mentions by outputs of other shards: {article URL:
    ((output URL, its side shard or None), ...)}; None for every shard when an output may mention
    any article. `shard`: each article's shard by URL; `own`: each output's shard by URL."""
    found: dict[str, dict | None] = {name: {} for name in set(shard.values())}
    seen: dict[tuple[int, str], list[str]] = {}
    for output in built.outputs:
        mine, mentioned = own[output.url], built.mentions[output.url]
        if EVERY_BODY in mentioned:
            return {name: None for name in found}
        key = (id(mentioned), mine)
        if key not in seen:
            seen[key] = [url for url in mentioned if shard.get(url, mine) != mine]
        where = part_of(output) if mine == "site" else None
        for url in seen[key]:
            found[shard[url]].setdefault(url, []).append((output.url, where))  # type: ignore[union-attr]
    return {name: {url: tuple(entries) for url, entries in urls.items()} for name, urls in found.items()
            if urls is not None}


def needed(listed: dict | None, urls: set[str]) -> set[str] | None:
    """The side shards that hold every output of other shards mentioning these articles; None
    when one is not kept by value."""
    if listed is None:
        return None
    names: set[str] = set()
    for url in urls:
        for _, where in listed.get(url, ()):
            if where is None:
                return None
            names.add(where)
    return names


def join(built: Built, read: dict[str, dict], edited: set[str]) -> None:
    """Add the side shards read to a partial model: their outputs, coverage and digests, with
    the edited articles' copies there replaced by the model's own (so that setting their new
    fields in place reaches them, `replace.set_into`)."""
    by_source = built.site.by_source
    live = {article.url: article for article in built.site.articles if article.url in edited}
    objects, shallow = built.digests[0], built.digests[1]
    for part in read.values():
        for output in part["outputs"]:
            _take_live(output.context, live, built.refs)
        built.outputs.extend(part["outputs"])
        built.covers.update(part["covers"])
        built.mentions.update(part["mentions"])
        for key, digest in part["shallow"].items():
            shallow.setdefault(key, digest)
            objects.setdefault(key, UNKNOWN)
        if "columns" in part:
            columns = tuple(Column(c.name, c.slug, c.url, c.description,
                                   tuple(by_source.get(a.source, a) if a.url in live else a for a in c.articles))
                            for c in part["columns"])
            object.__setattr__(built.site, "columns", columns)
    built.__dict__.pop("positions", None)


def _take_live(context: dict[str, Any], live: dict[str, Article], refs: dict) -> None:
    """One listing page's copies of the edited articles replaced: its articles by the model's,
    its references by one per article (`refs`, which `replace.set_into` sets in place)."""
    if "articles" in context:
        context["articles"] = tuple(live.get(a.url, a) for a in context["articles"])
    term = context.get("term")
    if term is not None and any(ref.url in live for ref in term.articles):
        articles = tuple(refs.setdefault(ref.url, ref) if ref.url in live else ref for ref in term.articles)
        context["term"] = type(term)(term.name, term.slug, term.url, articles, term.roles)


def shows_light_only(env, name: str, seen: set[str] | None = None) -> bool:
    """Whether a template's closure names no field that a light copy of an article lacks (by
    attribute or by string: what it may read of the columns' articles)."""
    seen = set() if seen is None else seen
    seen.add(name)
    tree = env.parse(env.loader.get_source(env, name)[0])
    named = {n.attr for n in tree.find_all(nodes.Getattr)}
    named |= {n.value for n in tree.find_all(nodes.Const) if isinstance(n.value, str)}
    referenced = list(meta.find_referenced_templates(tree))
    if named & HEAVY or None in referenced:
        return False
    return all(shows_light_only(env, other, seen) for other in referenced if other is not None and other not in seen)
