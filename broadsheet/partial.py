"""An edit read from the build state's shards of its editions alone, not from the whole kept model.

An edit of old articles' bodies, their listing fields (headline, kicker, subtitle, dateline,
summary) as they were, changes the outputs whose digest covers those bodies (`replace`). When
the index says that no output outside the shards of the articles' editions covers them (its
summary, `saving._foreign`: the feeds show the newest articles' bodies, nothing shows an old
one's) and the templates of the outputs that do use none of the renderer's site-wide values
(every edition, the latest, the columns, the helpers that reach any article), those shards are
all that the build reads of the kept model: their editions, outputs, coverage and digests
(`state.read_editions`), with the index. The search bundle of the edited editions is patched
from the rows its indexer kept (`search.plan`, `SearchInput.layout`). A listing field changed
reads also the side shards of the listing pages that show the article (`listed.py`), when
every output of another shard that mentions it is kept there. Anything else (an article a
feed or the archive page shows, a template that lists every edition) reads the whole kept
model; and a build that finds half-way that it needs more of it (`ModelNeeded`: a search bundle
whose kept rows do not describe it, an output missing from the old output) starts again from
the whole model, having written nothing.
"""

from __future__ import annotations

import jinja2

from . import listed, replace, state
from .cache import BuildCache, Built, ModelNeeded
from .config import SiteConfig
from .digests import EVERY_BODY, Digests
from .render import Renderer

#: the renderer's variables made from the whole model (`render.Renderer.common`): an output
#: whose template uses one is not rendered from its edition's shard alone
SITE_WIDE = frozenset({"editions", "latest", "columns", "page_of", "edition_of"})

__all__ = ["SITE_WIDE", "ModelNeeded", "alone", "read", "renderer", "forget_columns"]


def read(cache: BuildCache, shards: state.Shards, names: set[str], notes: list[str]) -> bool:
    """Read the shards of these editions alone into `cache.built` (a partial model), when the
    index says an edit of their articles may need no more of it; False when it may."""
    summary = cache.summary
    if (EVERY_BODY in summary.get("foreign", {EVERY_BODY}) or not {"search", "located"} <= summary.keys()
            or "other" in names):
        return False
    built = state.read_editions(cache, shards, names, notes)
    cache.built = built
    return built is not None


def alone(cache: BuildCache, shards: state.Shards, edited: list, env: jinja2.Environment, config: SiteConfig,
          notes: list[str]) -> bool:
    """Whether these edits (`replace.Edited`) change articles of the partial model alone, which
    no output of another shard shows the body of, and whose listing fields, when changed, only
    outputs kept by value in side shards show (`listed`: those are read into the model here);
    and whether the templates of the outputs they touch use nothing site-wide but the columns,
    of whose articles the side shards' copies hold all they read (the template analyses are
    `digests.analyses`')."""
    built = cache.built
    assert built is not None and built.partial
    foreign, by_source = cache.summary["foreign"], built.site.by_source
    urls, listing = set(), set()
    for edit in edited:
        article = by_source.get(edit.source)
        if article is None or article.url in foreign:
            return False
        if any(getattr(article, name) != value for name, value in edit.fields.items()):
            listing.add(article.url)
        urls.add(article.url)
    if listing and not _read_listed(cache, shards, listing, notes):
        return False
    digests = Digests(env, built.site, config, cache.key, state=built.digests)
    affected = built.outputs_at(replace.affected(built, urls, listing))
    if any(built.covers[o.url] and listed.part_of(o) and o.context.get("edition") is None for o in affected):
        return False  # a body its copies may hold as it was
    for name in {output.template for output in affected}:
        used = digests.template(name)[0] & SITE_WIDE
        if used - {"columns"} or (used and not (built.site.columns and listed.shows_light_only(env, name))):
            return False
    return True


def _read_listed(cache: BuildCache, shards: state.Shards, urls: set[str], notes: list[str]) -> bool:
    """Read into the partial model the side shards holding every output of other shards that
    mentions these articles; False when one is not kept by value, or a side shard is unreadable."""
    built = cache.built
    assert built is not None
    names: set[str] = set()
    for article in built.site.articles:
        if article.url in urls:
            found = listed.needed(shards.parts[state.shard_of(article.source)].get("listed"), {article.url})
            if found is None:
                return False
            names |= found
    try:
        read = {name: shards.read(name) for name in sorted(names)}
    except state.UNREADABLE:
        notes.append("a side shard of the build state is damaged or missing: the whole kept model is read")
        return False
    listed.join(built, read, urls)
    return True


def forget_columns(built: Built, articles: list) -> None:
    """Drop the digest with bodies of the edited articles' columns, which the partial model cannot
    make (it holds no column): `Digests` makes it again from the whole model when an output shows it."""
    for article in articles:
        if article.column is not None:
            built.digests[2].pop("column:" + article.column.slug, None)


def renderer(renderer: Renderer, built: Built) -> Renderer:
    """The renderer of a partial model, without the site-wide variables it cannot give (`alone`
    made sure that no output rendered uses them), but the columns when side shards gave them."""
    for name in SITE_WIDE - ({"columns"} if built.site.columns else set()):
        renderer.common.pop(name, None)
    return renderer
