"""Tags (关键词) and people (作者): a page for every tag and every byline name.

A tag page lists the articles carrying the tag, a person's page the articles
whose bylines name them (a plain-text byline such as 本报评论员 names no one),
newest first. Page names are pinyin slugs like the columns' (`tags/qing-xi-xian.html`,
`people/ning-jiang-dong.html`); two names with the same slug get `-2`, `-3` in the
order of the names, so the same content always gives the same URLs.

Transliteration loads pypinyin's dictionaries (about 0.2 s), so the caller
passes `slug_of`, which keeps the slugs already made in the build state
(`cache.BuildCache.slugs`, beside the columns' slugs).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable

from .model import Article, ArticleRef, EditionRef, PageRef, Site, Term
from .slugs import RESERVED

def unique_slugs(names: list[str], slug_of) -> dict[str, str]:
    """Each name's slug, made unique: by name order, the second `x` becomes `x-2`."""
    taken: set[str] = set(RESERVED)
    result: dict[str, str] = {}
    for name in sorted(names, key=lambda n: (slug_of(n), n)):
        base = slug_of(name) or "n-" + hashlib.blake2b(name.encode("utf-8"), digest_size=4).hexdigest()
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        result[name] = slug
    return result


@dataclass(frozen=True)
class Taxonomy:
    """The site's tags and people, each with its page, and each article's links to them."""

    tags: tuple[Term, ...]  # by slug: alphabetical in pinyin
    people: tuple[Term, ...]  # by slug
    tag_links: dict[str, tuple[tuple[str, str], ...]]  # article URL -> ((tag, URL), ...)
    person_links: dict[str, dict[str, str]]  # article URL -> {name: URL}


def article_ref(article: Article, edition: EditionRef, page: PageRef) -> ArticleRef:
    """The few fields a listing shows of an article."""
    modified = article.modified if article.corrections else article.date
    return ArticleRef(article.url, article.title, article.kicker, article.summary, article.date, modified, edition, page)


def names_of(article: Article) -> list[tuple[str, str | None]]:
    """(name, role) for every person an article's bylines name, in byline order."""
    return [(name, byline.role) for byline in article.bylines if byline.text is None for name in byline.names]


def build(site: Site, slug_of: Callable[[str], str]) -> Taxonomy:
    """Collect every tag and byline name of the published articles, newest articles first; `slug_of`
    gives a name's slug before it is made unique."""
    tagged: dict[str, list[ArticleRef]] = {}
    written: dict[str, list[ArticleRef]] = {}
    roles: dict[str, list[str]] = {}
    names: dict[str, list[str]] = {}  # article URL -> the names its bylines give
    for edition in site.editions:  # newest first
        edition_ref = edition.ref
        for page in edition.pages:
            page_ref = page.ref
            for article in page.articles:
                ref = None
                if article.tags:
                    ref = article_ref(article, edition_ref, page_ref)
                    for tag in dict.fromkeys(article.tags):
                        tagged.setdefault(tag, []).append(ref)
                people = names_of(article) if article.bylines else ()
                if people:
                    ref = ref or article_ref(article, edition_ref, page_ref)
                    mine = names[article.url] = []
                    for name, role in people:
                        if name not in mine:
                            mine.append(name)
                            written.setdefault(name, []).append(ref)
                        if role and role not in roles.setdefault(name, []):
                            roles[name].append(role)
    tag_slugs = unique_slugs(list(tagged), slug_of)
    person_slugs = unique_slugs(list(written), slug_of)
    tag_urls = {name: f"tags/{slug}.html" for name, slug in tag_slugs.items()}
    person_urls = {name: f"people/{slug}.html" for name, slug in person_slugs.items()}
    tags = tuple(Term(n, tag_slugs[n], tag_urls[n], tuple(tagged[n])) for n in sorted(tagged, key=tag_slugs.get))
    people = tuple(
        Term(n, person_slugs[n], person_urls[n], tuple(written[n]), tuple(roles.get(n, ())))
        for n in sorted(written, key=person_slugs.get)
    )
    tag_links = {a.url: tuple((tag, tag_urls[tag]) for tag in a.tags) for a in site.articles if a.tags}
    person_links = {url: {name: person_urls[name] for name in found} for url, found in names.items()}
    return Taxonomy(tags, people, tag_links, person_links)
