"""Edited articles set into the kept model, when the site's structure did not change.

The build's third step assembles the model from what was read; when the only inputs changed
since the last good build are articles whose front matter places them as before (everything
but the LISTING_KEYS — headline, kicker, subtitle, dateline, summary — is as it was, line for
line) and whose bodies link to no file, it replaces those articles' entries in the model that
build kept instead (`state.py`), and only the outputs whose digest covers them are digested
again. Anything else — a file added or removed, a moved article, a template, site.yaml, an
error — is assembled from everything read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from itertools import compress
from operator import ne

from . import state
from .articles import LISTING_KEYS, ArticleRecord, Settings, read_article
from .bodies import body_warnings
from .cache import BuildCache, Built
from .config import SiteConfig
from .digests import EVERY_BODY
from .markup import Body, render_body
from .problems import Problem


@dataclass
class Edited:
    """An article read again: its record, its body, and all of its problems now."""

    source: str
    stat: tuple[int, int]
    record: ArticleRecord
    body: Body
    problems: tuple[Problem, ...]
    fields: dict  # LISTING_KEYS -> the article's value now


def changed_files(cache: BuildCache, scanned: tuple) -> list[str] | None:
    """The input files changed since the last good build; None when a file or folder was added or removed."""
    stats, folders = scanned
    old = cache.stats
    if folders != cache.folders or stats.keys() != old.keys():
        return None
    if list(stats) == list(old):  # in the same order (the folders' on disk, the same while nothing moves): compared in C
        return sorted(compress(stats, map(ne, stats.values(), old.values())))
    return sorted(path for path, stat in stats.items() if old[path] != stat)


def articles_only(cache: BuildCache, shards: state.Shards, changed: list[str], notes: list[str]) -> bool:
    """Whether every changed file is an article the build state has a record of, from their
    editions' shards alone (which an edit reads first in any case): a template or a picture
    changed reads no more of the kept model."""
    names = {state.shard_of(path) for path in changed}
    return state.read_shards(cache, shards, False, notes, names) and all(path in cache.sources for path in changed)


def read_edited(config: SiteConfig, cache: BuildCache, source: str, stat: tuple[int, int]) -> Edited | None:
    """An edited article read again; None when it is not an article, when more than its body and
    listing fields changed (its place, its links to files) or it has errors: then the model is assembled."""
    if source not in cache.sources or (cache.built is not None and source in cache.built.site.located):
        return None  # not an article; or one whose text places hotspots on a page PDF (replica): assembled
    if cache.built is None or source not in cache.built.site.by_source:
        return None  # not in the kept model (a draft): nothing there to replace
    old = cache.sources[source][2]
    meta = cache.bodies.get(old.body_key)
    if old.values is None or meta is None or meta.references:
        return None
    path = config.root / source
    try:
        data = path.read_bytes()
        day = date.fromisoformat(path.parent.parent.name)
    except (OSError, ValueError):
        return None
    record, document = read_article(data, source, path.stem, day, Settings(config.zone, config.language, config.trust_raw_html))
    if record.values is None or document is None or record.structure != old.structure:
        return None
    if record.front != old.front and any(not (p["alt"] or p["caption"]) for p in old.values["photos"]):
        return None  # the headline stands in for a photo's alt text
    if any(not problem.warning for problem in record.problems):
        return None
    try:
        body = render_body(config.language, document.body, document.body_line, config.trust_raw_html)
    except RecursionError:
        return None
    if body.meta.references:
        return None
    own = cache.built.own_problems.get(source, ()) if cache.built else ()
    problems = (*record.problems, *own, *body_warnings(source, record.switches, body.meta))
    fields = {name: record.values[name] for name in LISTING_KEYS}
    if fields["summary"] is None:
        fields["summary"] = body.meta.summary
    return Edited(source, stat, record, body, tuple(sorted(set(problems))), fields)


def read_all(config: SiteConfig, cache: BuildCache, changed: list[str], stats: dict) -> list[Edited] | None:
    """The changed articles read again (`read_edited`); None when one of them cannot be replaced."""
    edited = []
    for source in changed:
        edit = read_edited(config, cache, source, stats[source])
        if edit is None:
            return None
        edited.append(edit)
    return edited


def problems_now(cache: BuildCache, edited: list[Edited]) -> list[Problem]:
    """Every problem of the site after these edits: the last build's, those of the edited
    articles replaced by what they have now."""
    assert cache.report is not None
    problems: dict[str, list] = {}
    for problem in cache.report[0]:
        problems.setdefault(problem.path, []).append(problem)
    problems.update((edit.source, list(edit.problems)) for edit in edited)
    return [problem for found in problems.values() for problem in found]


def set_into(built: Built, edited: list[Edited]) -> tuple[list, set[str]]:
    """Give the kept articles (and the references listings hold of them) their new bodies and
    fields, in place, so that everything holding them sees the new ones; return those articles
    and the URLs of the outputs whose digest may cover them."""
    by_source = built.site.by_source
    articles, listing = [], set()
    for edit in edited:
        article = by_source[edit.source]
        if any(getattr(article, name) != value for name, value in edit.fields.items()):
            listing.add(article.url)
        # The model's classes are frozen so that templates cannot change them; this is the one
        # place that sets a field, on the model just read from the build state.
        object.__setattr__(article, "body", replace(article.body, key=edit.record.body_key,
                                                    references=edit.body.meta.references))
        object.__setattr__(article, "text_length", edit.body.meta.text_length)
        for name, value in edit.fields.items():
            object.__setattr__(article, name, value)
        ref = built.refs.get(article.url)
        if ref is not None and article.url in listing:
            for name in ("title", "kicker", "summary"):
                object.__setattr__(ref, name, getattr(article, name))
            ref.__dict__.pop("_repr", None)  # its repr, made once, showed the old ones
        articles.append(article)
    return articles, affected(built, {a.url for a in articles}, listing)


def affected(built: Built, urls: set[str], listing: set[str]) -> set[str]:
    """The outputs whose digest covers these articles' bodies, or, for those in `listing`, them at all."""
    found = set()
    for output, covered in built.covers.items():
        if EVERY_BODY in covered or not covered.isdisjoint(urls):
            found.add(output)
    if listing:
        for output, mentioned in built.mentions.items():
            if EVERY_BODY in mentioned or not mentioned.isdisjoint(listing):
                found.add(output)
    return found


def take_in(cache: BuildCache, edited: list[Edited], store) -> None:
    """Keep the edited articles' records and bodies in the build state."""
    for edit in edited:
        cache.sources[edit.source] = (*edit.stat, edit.record)
        cache.bodies[edit.record.body_key] = edit.body.meta
        store.put(edit.record.body_key, edit.body.html)

