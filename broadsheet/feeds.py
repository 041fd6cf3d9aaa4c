"""Feeds (Atom 1.0 and RSS 2.0), sitemaps (sitemaps.org and Google News) and robots.txt.

Each needs absolute URLs, so they are made only when the site has a `base_url`
(README, "What a publisher gets"). Every date comes from the content — an
article's date, its latest correction — never from the clock, so the same
content gives the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, Iterable

from .model import Article, Edition, Site

FEED_SIZE = 50  # entries in a feed: the newest articles
SITEMAP_LIMIT = 50_000  # URLs in one sitemap file (sitemaps.org); more make a sitemap index
NEWS_DAYS = 2  # Google News sitemaps list the articles of the last two days
NEWS_LIMIT = 1_000  # and at most 1,000 of them


@dataclass(frozen=True)
class Feed:
    """What a feed is about: its title, its own URL and the page it follows."""

    title: str
    subtitle: str | None
    url: str  # the feed file, relative to the output root
    html_url: str  # the page it is the feed of


def newest(articles: Iterable[Article], count: int | None = None) -> tuple[Article, ...]:
    """The newest articles by date (ties: by URL), newest first: FEED_SIZE of them unless told."""
    return tuple(sorted(articles, key=lambda a: (a.date, a.url), reverse=True)[:count or FEED_SIZE])


def updated(articles: Iterable[Article]) -> datetime | None:
    """The latest change among articles: a date or a correction."""
    return max((a.modified for a in articles), default=None)


def news_articles(site: Site) -> tuple[Article, ...]:
    """The articles for a Google News sitemap: dated on the newest edition's day or the
    day before (the two days up to the newest edition), newest first, at most 1,000."""
    if not site.editions:
        return ()
    latest = site.editions[0]
    zone = latest.articles[0].date.tzinfo if latest.articles else None
    start = datetime.combine(latest.date - timedelta(days=NEWS_DAYS - 1), time(0), tzinfo=zone)
    return newest((a for a in site.articles if a.date >= start), NEWS_LIMIT)


def lastmod(template: str, context: dict[str, Any], site: Site) -> datetime | None:
    """When what an HTML output shows last changed, from its content; None: not in the sitemap."""
    if template == "article.html":
        return context["article"].modified
    if template == "front.html":
        return _edition_modified(context["edition"])
    if template == "page.html":
        page = context["page"]
        return updated([*page.articles, *(c.article for c in page.continued)]) or _midnight(context["edition"])
    if template == "column.html":
        return updated(context["articles"])
    if template == "columns.html":
        return updated(a for c in site.columns for a in c.articles) or updated(site.articles)
    if template in ("tag.html", "person.html"):
        return max(ref.modified for ref in context["term"].articles)
    if template == "calendar.html":
        ids = {ref.id for ref in context["month"].editions}
        return max(_edition_modified(e) for e in site.editions if e.id in ids)
    if template in ("archive.html", "tags.html", "people.html"):
        return updated(site.articles)
    return None  # the search page, feeds and other files


def _midnight(edition: Edition) -> datetime | None:
    articles = edition.articles
    return datetime.combine(edition.date, time(0), tzinfo=articles[0].date.tzinfo) if articles else None


def _edition_modified(edition: Edition) -> datetime | None:
    return updated(edition.articles) or _midnight(edition)


def chunks(entries: list[tuple[str, datetime]], size: int = 0) -> list[tuple[tuple[str, datetime], ...]]:
    """Sitemap entries in files of at most `size` (default SITEMAP_LIMIT) URLs."""
    size = size or SITEMAP_LIMIT
    return [tuple(entries[i:i + size]) for i in range(0, len(entries), size)] or [()]
