"""Structured data: schema.org `NewsArticle` for every article, as JSON-LD.

The template writes it with Jinja's `tojson`, which escapes `<`, `>`, `&` and `'`,
so no text of an article (`</script>` in a headline) can end the script element.
URLs are absolute when the site has a `base_url`, else relative to the article's
page (JSON-LD resolves them against the page).
"""

from __future__ import annotations

from typing import Any, Callable

from .config import SiteConfig
from .i18n import Interface
from .model import Article, Edition, Page, Photo


def news_article(
    article: Article, page: Page, edition: Edition, *, config: SiteConfig, t: Interface,
    logo: dict[str, Any] | None, person_urls: dict[str, str], root: str, canonical: str | None,
) -> dict[str, Any]:
    """The `NewsArticle` of one article: headlines, people, dates, print position, corrections."""

    def url(path: str) -> str:
        return (config.base_url or root) + path

    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "inLanguage": config.language,
        "datePublished": article.date.isoformat(),
        "dateModified": article.modified.isoformat(),
        "isAccessibleForFree": True,
        "printEdition": " ".join(
            [t.short_date(edition.date)]
            + ([t.number(edition.number)] if edition.number is not None else [])
            + ([edition.label] if edition.label else [])
        ),
        "printPage": page.label,
    }
    if canonical:
        data["url"] = canonical
        data["mainEntityOfPage"] = {"@type": "WebPage", "@id": canonical}
    alternatives = [text for text in (article.kicker, article.subtitle) if text]
    if alternatives:
        data["alternativeHeadline"] = alternatives[0] if len(alternatives) == 1 else alternatives
    if article.summary:
        data["description"] = article.summary
    if page.name:
        data["printSection"] = page.name
    if article.column:
        data["articleSection"] = article.column.name
    if article.dateline:
        data["dateline"] = article.dateline
    if article.tags:
        data["keywords"] = list(article.tags)
    authors = _authors(article, person_urls, url)
    if authors:
        data["author"] = authors
    if article.photos:
        data["image"] = [_image(photo, url) for photo in article.photos]
    data["publisher"] = _publisher(config, logo, url)
    if article.corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": c.text, "datePublished": c.date.isoformat()}
            for c in article.corrections
        ]
    return data


def _authors(article: Article, person_urls: dict[str, str], url: Callable[[str], str]) -> list[dict[str, Any]]:
    """The people of the bylines (an organisation for a byline written as plain text)."""
    authors: list[dict[str, Any]] = []
    for byline in article.bylines:
        if byline.text is not None:  # a byline written as plain text (本报评论员) names no person
            authors.append({"@type": "Organization", "name": byline.text})
            continue
        for name in byline.names:
            person: dict[str, Any] = {"@type": "Person", "name": name}
            if byline.role:
                person["jobTitle"] = byline.role
            if name in person_urls:
                person["url"] = url(person_urls[name])
            authors.append(person)
    return authors


def _image(photo: Photo, url: Callable[[str], str]) -> dict[str, Any]:
    shared = photo.picture.fallback if photo.picture else photo  # the ~1200-px derivative
    image: dict[str, Any] = {"@type": "ImageObject", "url": url(shared.url)}
    if shared.width:
        image["width"], image["height"] = shared.width, shared.height
    if photo.caption:
        image["caption"] = photo.caption
    return image


def _publisher(config: SiteConfig, logo: dict[str, Any] | None, url: Callable[[str], str]) -> dict[str, Any]:
    publisher: dict[str, Any] = {"@type": "NewsMediaOrganization", "name": config.publisher.name or config.title}
    if config.publisher.url or config.base_url:
        publisher["url"] = config.publisher.url or config.base_url
    if logo:
        publisher["logo"] = {"@type": "ImageObject", "url": url(logo["url"])}
        if logo["width"]:
            publisher["logo"]["width"], publisher["logo"]["height"] = logo["width"], logo["height"]
    return publisher
