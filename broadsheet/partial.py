"""An edit read from the build state's shards of its editions alone, not from the whole kept model.

An edit of old articles' bodies, their listing fields (headline, kicker, subtitle, dateline,
summary) as they were, changes the outputs whose digest covers those bodies (`replace`). When
the index says that no output outside the shards of the articles' editions covers them (its
summary, `state._foreign`: the feeds show the newest articles' bodies, nothing shows an old
one's) and the templates of the outputs that do use none of the renderer's site-wide values
(every edition, the latest, the columns, the helpers that reach any article), those shards are
all that the build reads of the kept model: their editions, outputs, coverage and digests
(`state.read_editions`), with the index. The search bundle of the edited editions is patched
from the rows its indexer kept (`search.plan`, `SearchInput.layout`). Anything else (a listing
field changed, an article a feed shows, a template that lists every edition) reads the whole
kept model; and a build that finds half-way that it needs more of it (`ModelNeeded`: a search
bundle whose kept rows do not describe it, an output missing from the old output) starts again
from the whole model, having written nothing.
"""

from __future__ import annotations

import jinja2

from . import state
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


def alone(cache: BuildCache, edited: list, env: jinja2.Environment, config: SiteConfig) -> bool:
    """Whether these edits (`replace.Edited`) change the bodies of articles of the partial model
    alone, which no output of another shard shows, and whose outputs' templates use nothing
    site-wide (the template analyses are `digests.analyses`')."""
    built = cache.built
    assert built is not None and built.partial
    foreign, by_source = cache.summary["foreign"], built.site.by_source
    urls = set()
    for edit in edited:
        article = by_source.get(edit.source)
        if article is None or article.url in foreign or any(getattr(article, name) != value
                                                            for name, value in edit.fields.items()):
            return False
        urls.add(article.url)
    digests = Digests(env, built.site, config, cache.key, state=built.digests)
    templates = {output.template for output in built.outputs if not built.covers[output.url].isdisjoint(urls)}
    return all(not digests.template(name)[0] & SITE_WIDE for name in templates)


def forget_columns(built: Built, articles: list) -> None:
    """Drop the digest with bodies of the edited articles' columns, which the partial model cannot
    make (it holds no column): `Digests` makes it again from the whole model when an output shows it."""
    for article in articles:
        if article.column is not None:
            built.digests[2].pop("column:" + article.column.slug, None)


def renderer(renderer: Renderer) -> Renderer:
    """The renderer of a partial model, without the site-wide variables it cannot give (`alone`
    made sure that no output rendered uses them)."""
    for name in SITE_WIDE:
        renderer.common.pop(name, None)
    return renderer
