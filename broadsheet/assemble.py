"""The content as read (mutable, one record per edition, page and article), checked across the
site and assembled into the model."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from . import lint
from .articles import ArticleRecord
from .cache import BuildCache
from .model import (
    Article,
    Column,
    ColumnRef,
    Continuation,
    Edition,
    Page,
    Photo,
    Site,
    label_key,
    same_page,
)
from .problems import Problems
from .references import References
from .slugs import slugify


@dataclass
class SourceArticle:
    """An article as read, before the model is assembled (mutable on purpose)."""

    path: Path
    rel: str
    edition: str
    page: str
    fields: dict
    record: ArticleRecord

    @property
    def lines(self) -> dict:
        """Key -> file line, for messages found after reading."""
        return self.record.lines

    def report(self, problems: Problems, line: int, rule: str, message: str) -> None:
        """A lint warning at a line, unless that line silences the rule."""
        if not lint.silenced(self.record.switches.get(line, ""), rule):
            problems.warn(self.rel, line, message)


@dataclass
class SourcePage:
    label: str
    rel: str
    name: str | None = None
    editors: tuple[str, ...] = ()
    image: str | None = None
    image_size: tuple[int, int] | None = None
    pdf: str | None = None
    photo_credit: str | None = None
    articles: list[SourceArticle] = field(default_factory=list)


@dataclass
class SourceEdition:
    id: str
    day: date
    number: int | None = None
    label: str | None = None
    pages: dict[str, SourcePage] = field(default_factory=dict)



class Assembler:
    """Checks what spans articles (slugs on a page, jumps to other pages, column slugs) and
    builds the `Site` from the records."""

    def __init__(self, problems: Problems, cache: BuildCache, files: References, drafts: bool,
                 columns_yaml: dict[str, tuple[str | None, str | None, int]]):
        self.problems = problems
        self.cache = cache
        self.files = files
        self.rel = files.rel
        self.drafts = drafts
        self.columns_yaml = columns_yaml

    def check_jumps(self, editions: list[SourceEdition]) -> None:
        for edition in editions:
            for page in edition.pages.values():
                slugs: dict[str, SourceArticle] = {}
                for article in page.articles:
                    jumps = article.fields["continued_on"] = tuple(
                        (replace(jump, page=same_page(jump.page, edition.pages) or jump.page), line)
                        for jump, line in article.fields["continued_on"])  # `2` is the page in folder 02
                    for jump, line in jumps:
                        if jump.page not in edition.pages:
                            self.problems.error(
                                article.rel, line,
                                f"'continued_on' names page {jump.page}, which edition {edition.id} does not have",
                            )
                        elif jump.page == page.label:
                            self.problems.error(article.rel, line, f"'continued_on' names the article's own page {jump.page}")
                        elif jump.areas and not edition.pages[jump.page].image:
                            self.problems.warn(article.rel, line, f"'area' on page {jump.page}, which has no page image")
                    if article.fields["areas"] and not page.image:
                        self.problems.warn(article.rel, article.lines["area"], "'area' given but the page has no 'image'")
                    slug = article.fields["slug"]
                    if slug is None:
                        continue
                    if slug in slugs:
                        other = slugs[slug]
                        self.problems.error(
                            article.rel, article.lines["slug"],
                            f"slug '{slug}' is also used by {other.rel}:{other.lines['slug']}; "
                            f"both would be written to {edition.id}/{page.label}/{slug}.html",
                        )
                    else:
                        slugs[slug] = article

    def assemble(self, editions: list[SourceEdition]) -> Site:
        built: list[Edition] = []
        column_articles: dict[str, list[Article]] = {}
        column_refs: dict[str, ColumnRef] = {}
        unpublished: list[str] = []
        for name in sorted({a.fields["column"] for e in editions for p in e.pages.values() for a in p.articles if a.fields["column"]}):
            slug = (self.columns_yaml.get(name) or (None,))[0] or self.cache.slug(name, slugify) or "column"
            column_refs[name] = ColumnRef(name, slug, f"columns/{slug}.html")
        self._check_column_slugs(column_refs)
        for edition in sorted(editions, key=lambda e: e.id, reverse=True):
            pages = []
            continued: dict[str, list[Continuation]] = {}
            for label in sorted(edition.pages, key=label_key):
                page = edition.pages[label]
                articles = [a for a in page.articles if self.drafts or not a.fields["draft"]]
                articles.sort(key=lambda a: (a.fields["order"] is None, a.fields["order"] or 0, a.path.name))
                made = tuple(self._make_article(a, page, column_refs) for a in articles)
                for article in made:
                    for jump in article.continued_on:
                        continued.setdefault(jump.page, []).append(Continuation(article, label, jump.areas))
                    if article.column:
                        column_articles.setdefault(article.column.name, []).append(article)
                pages.append(
                    Page(
                        edition=edition.id, label=label, url=f"{edition.id}/{label}/index.html",
                        name=page.name, editors=page.editors, image=page.image,
                        image_size=page.image_size, pdf=page.pdf, photo_credit=page.photo_credit,
                        articles=made,
                    )
                )
            pages = [replace(p, continued=tuple(continued.get(p.label, ()))) for p in pages]
            if not any(p.articles for p in pages):
                if any(p.articles for p in edition.pages.values()):
                    unpublished.append(edition.id)  # an edition of drafts only is not published yet
                continue
            built.append(
                Edition(
                    date=edition.day, id=edition.id, url=f"{edition.id}/index.html",
                    number=edition.number, label=edition.label, pages=tuple(pages),
                )
            )
        columns = tuple(
            Column(
                name=name, slug=ref.slug, url=ref.url,
                description=(self.columns_yaml.get(name) or (None, None))[1],
                articles=tuple(column_articles.get(name, ())),
            )
            for name, ref in sorted(column_refs.items(), key=lambda item: item[1].slug)
            if column_articles.get(name)
        )
        assets = tuple(sorted([(self.rel(p), self.files.url(p)) for p in self.files.assets]
                              + [(self.rel(p), url) for url, p in self.files.made.items()]))
        return Site(editions=tuple(built), columns=columns, assets=assets, unpublished=tuple(unpublished))

    def _check_column_slugs(self, refs: dict[str, ColumnRef]) -> None:
        seen: dict[str, str] = {}
        for name, ref in sorted(refs.items()):
            if ref.slug in seen:
                self.problems.error(
                    "content/columns.yaml", (self.columns_yaml.get(name) or (0, 0, 0))[2],
                    f"columns '{seen[ref.slug]}' and '{name}' would both be written to {ref.url}: give one a 'slug'",
                )
            seen[ref.slug] = name

    def _make_article(self, draft: SourceArticle, page: SourcePage, columns: dict[str, ColumnRef]) -> Article:
        f = draft.fields
        photos = tuple(
            Photo(
                url=p["url"], caption=p["caption"], credit=p["credit"] or page.photo_credit,
                alt=p["alt"] or p["caption"] or f["title"],
                width=p["size"][0] if p["size"] else None, height=p["size"][1] if p["size"] else None,
            )
            for p in f["photos"]
        )
        return Article(
            source=draft.rel, edition=draft.edition, page=draft.page, slug=f["slug"],
            url=f"{draft.edition}/{draft.page}/{f['slug']}.html",
            title=f["title"], kicker=f["kicker"], subtitle=f["subtitle"], bylines=f["bylines"],
            dateline=f["dateline"], column=columns.get(f["column"]) if f["column"] else None,
            columns=f["columns"], order=f["order"], photos=photos, summary=f["summary"],
            tags=f["tags"], date=f["date"], draft=f["draft"], areas=f["areas"],
            continued_on=tuple(j for j, _ in f["continued_on"]), corrections=f["corrections"],
            title_breaks=f["title_breaks"],
            body=f["body"], text_length=f["text_length"],
        )
