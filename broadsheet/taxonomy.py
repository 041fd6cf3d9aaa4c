"""Tags (关键词) and people (作者): a page for every tag and every byline name.

A tag page lists the articles carrying the tag, a person's page the articles
whose bylines name them (a plain-text byline such as 本报评论员 names no one),
newest first. Page names are pinyin slugs like the columns' (`tags/qing-xi-xian.html`,
`people/ning-jiang-dong.html`); two names with the same slug get `-2`, `-3` in the
order of the names, so the same content always gives the same URLs.

Transliteration loads pypinyin's dictionaries (about 0.2 s), and the plan of a
build in which nothing changed must stay fast: the slugs already made are kept
in `.broadsheet-cache/taxonomy-slugs.json`, read here and written after a build
(`postbuild.py`), never by `check`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig
from .model import Article, ArticleRef, EditionRef, PageRef, Site, Term
from .slugs import RESERVED, slugify

MEMO_FILE = Path(".broadsheet-cache") / "taxonomy-slugs.json"


class SlugMemo:
    """Transliterations made once and kept between builds."""

    def __init__(self, config: SiteConfig):
        self.path = config.root / MEMO_FILE
        self.version = "1"
        self.slugs: dict[str, str] = {}
        self.dirty = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == self.version and isinstance(data.get("slugs"), dict):
                self.slugs = {str(k): str(v) for k, v in data["slugs"].items()}
        except (OSError, ValueError, AttributeError):
            pass

    def slug(self, name: str) -> str:
        """The slug of a name, `''` when it has no letters or digits to make one from."""
        if name not in self.slugs:
            self.slugs[name] = slugify(name)
            self.dirty = True
        return self.slugs[name]

    def save(self) -> None:
        """Write the memo when it learned something (after a build that wrote the output)."""
        if not self.dirty or not self.path.parent.is_dir():
            return
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps({"version": self.version, "slugs": self.slugs}, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        temporary.replace(self.path)
        self.dirty = False


_MEMOS: dict[Path, SlugMemo] = {}


def memo(config: SiteConfig) -> SlugMemo:
    """The slug memo of a site, one per process (the dev server keeps it between rebuilds)."""
    found = _MEMOS.get(config.root)
    if found is None:
        found = _MEMOS[config.root] = SlugMemo(config)
    return found


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


def _ref(article: Article, edition: EditionRef, page: PageRef) -> ArticleRef:
    """The few fields a listing shows of an article."""
    modified = article.modified if article.corrections else article.date
    return ArticleRef(article.url, article.title, article.kicker, article.summary, article.date, modified, edition, page)


def names_of(article: Article) -> list[tuple[str, str | None]]:
    """(name, role) for every person an article's bylines name, in byline order."""
    return [(name, byline.role) for byline in article.bylines if byline.text is None for name in byline.names]


def build(site: Site, config: SiteConfig) -> Taxonomy:
    """Collect every tag and byline name of the published articles, newest articles first."""
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
                    ref = _ref(article, edition_ref, page_ref)
                    for tag in dict.fromkeys(article.tags):
                        tagged.setdefault(tag, []).append(ref)
                people = names_of(article) if article.bylines else ()
                if people:
                    ref = ref or _ref(article, edition_ref, page_ref)
                    mine = names[article.url] = []
                    for name, role in people:
                        if name not in mine:
                            mine.append(name)
                            written.setdefault(name, []).append(ref)
                        if role and role not in roles.setdefault(name, []):
                            roles[name].append(role)
    slug_memo = memo(config)
    tag_slugs = unique_slugs(list(tagged), slug_memo.slug)
    person_slugs = unique_slugs(list(written), slug_memo.slug)
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
