"""The plan: every output of the site, with the template and variables that render it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from . import archive, feeds, listing, search, taxonomy
from .config import SiteConfig
from .i18n import Interface
from .model import ColumnRef, Site, Term


@dataclass(frozen=True)
class Output:
    """One file to render: where it goes, with which template and variables."""

    url: str  # path relative to the output root
    template: str
    context: dict[str, Any]


def plan(site: Site, config: SiteConfig, slug_of: Callable[[str], str]) -> list[Output]:
    """Every output of the site, in a fixed order; `slug_of` makes tags' and people's slugs."""
    outputs: list[Output] = []
    editions = site.editions
    t = Interface(config.language)
    terms = taxonomy.build(site, slug_of)
    for index, edition in enumerate(editions):
        older = editions[index + 1] if index + 1 < len(editions) else None
        newer = editions[index - 1] if index > 0 else None
        front = {"edition": edition, "prev_edition": older and older.ref, "next_edition": newer and newer.ref}
        if index == 0:
            outputs.append(Output("index.html", "front.html", front))
        outputs.append(Output(edition.url, "front.html", front))
        articles = edition.articles
        position = {a.url: i for i, a in enumerate(articles)}
        for page_index, page in enumerate(edition.pages):
            outputs.append(
                Output(page.url, "page.html", {
                    "edition": edition, "page": page,
                    "prev_page": edition.pages[page_index - 1].ref if page_index > 0 else None,
                    "next_page": edition.pages[page_index + 1].ref if page_index + 1 < len(edition.pages) else None,
                })
            )
            for article in page.articles:
                i = position[article.url]
                outputs.append(
                    Output(article.url, "article.html", {
                        "edition": edition, "page": page, "article": article,
                        "prev_article": articles[i - 1] if i > 0 else None,
                        "next_article": articles[i + 1] if i + 1 < len(articles) else None,
                        "tag_links": terms.tag_links.get(article.url, ()),
                        "person_links": terms.person_links.get(article.url, {}),
                    })
                )
    months = archive.months(site, t)
    overview = {"calendar_years": archive.years(months), "recent_editions": editions[:archive.RECENT]}
    if not editions:
        outputs.append(Output("index.html", "archive.html", overview))  # nothing published yet
    outputs.extend(_column_pages(site))
    outputs.append(Output("columns/index.html", "columns.html", {}))
    outputs.append(Output("archive/index.html", "archive.html", overview))
    for index, month in enumerate(months):
        outputs.append(Output(month.url, "calendar.html", {
            "month": month,
            "prev_month": months[index - 1] if index > 0 else None,
            "next_month": months[index + 1] if index + 1 < len(months) else None,
        }))
    for kind, found in (("tag", terms.tags), ("person", terms.people)):
        index_url = "tags/index.html" if kind == "tag" else "people/index.html"
        listing = tuple((term.name, term.url, len(term.articles)) for term in found)
        outputs.append(Output(index_url, f"{'tags' if kind == 'tag' else 'people'}.html", {"terms": listing}))
        outputs.extend(_term_pages(kind, found))
    outputs.append(Output("search/index.html", "search.html", {"bundles": tuple(b.url for b in search.buckets(site))}))
    outputs.append(Output("search/search.js", "search.js", {}))
    if config.base_url:
        outputs.extend(_machine_outputs(site, config, outputs))
    return outputs


# A listing page's variables hold only its own articles, and its count only on the first page,
# so that an edit re-renders the pages that show it (listing.paginate).

def _column_pages(site: Site) -> list[Output]:
    """Every column's pages; with each article, the edition and page it stands in (`places`: so
    that a page's digest covers what it shows of them, not the whole site through a helper)."""
    made: list[Output] = []
    places = {(p.edition, p.label): (e.ref, p.ref) for e in site.editions for p in e.pages}
    for column in site.columns:
        head = ColumnRef(column.name, column.slug, column.url)
        for url, articles, paging in listing.paginate(column.url, column.articles):
            made.append(Output(url, "column.html", {
                "column": head, "description": column.description, "articles": articles, "paging": paging,
                "places": tuple(places[(a.edition, a.page)] for a in articles)}))
    return made


def _term_pages(kind: str, found: tuple[Term, ...]) -> list[Output]:
    """Every tag's or person's pages (`kind`: tag, person)."""
    made: list[Output] = []
    for term in found:
        total = len(term.articles)
        for url, refs, paging in listing.paginate(term.url, term.articles):
            made.append(Output(url, f"{kind}.html", {
                "term": Term(term.name, term.slug, term.url, refs, term.roles),
                "total": None if paging.number else total, "paging": paging}))
    return made


def _iso(entries) -> tuple[tuple[str, str], ...]:
    """(URL, W3C datetime with its UTC offset): plain text, quick to digest."""
    return tuple((url, moment.isoformat()) for url, moment in entries)


def _machine_outputs(site: Site, config: SiteConfig, pages: list[Output]) -> list[Output]:
    """Feeds, sitemaps and robots.txt: they need absolute URLs, so only with a base_url."""
    made: list[Output] = []
    subtitle = config.description
    feed_sets = [(feeds.Feed(config.title, subtitle, "atom.xml", "index.html"),
                  feeds.Feed(config.title, subtitle, "rss.xml", "index.html"), site.articles)]
    for column in site.columns:
        title = f"{config.title} · {column.name}"
        stem = column.url[: -len(".html")]
        feed_sets.append((feeds.Feed(title, column.description, f"{stem}.atom.xml", column.url),
                          feeds.Feed(title, column.description, f"{stem}.rss.xml", column.url), column.articles))
    for atom, rss, articles in feed_sets:
        entries = feeds.newest(articles)
        for feed, template in ((atom, "atom.xml"), (rss, "rss.xml")):
            made.append(Output(feed.url, template, {"feed": feed, "entries": entries, "updated": feeds.updated(entries)}))
    entries = []
    for output in pages:
        moment = feeds.lastmod(output.template, output.context, site)
        if moment is not None:
            entries.append((output.url, moment))
    chunks = feeds.chunks(entries)
    if len(chunks) == 1:
        made.append(Output("sitemap.xml", "sitemap.xml", {"entries": _iso(chunks[0])}))
    else:
        parts = []
        for number, chunk in enumerate(chunks, start=1):
            url = f"sitemap-{number}.xml"
            made.append(Output(url, "sitemap.xml", {"entries": _iso(chunk)}))
            parts.append((url, max(lastmod for _, lastmod in chunk).isoformat()))
        made.append(Output("sitemap.xml", "sitemap-index.xml", {"sitemaps": tuple(parts)}))
    made.append(Output("news-sitemap.xml", "news-sitemap.xml", {"articles": feeds.news_articles(site)}))
    made.append(Output("robots.txt", "robots.txt", {"sitemaps": ("sitemap.xml", "news-sitemap.xml")}))
    return made

