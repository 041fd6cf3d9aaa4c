"""The edition model: Site → Edition → Page → Article, immutable, built after validation.

URLs are '/'-separated paths relative to the output root; templates prefix
them with `root` (the way back to the root from the page being rendered). A picture's
derivatives are `pictures.published`'s values.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import cast, overload

from .pictures.published import Picture, PictureSource

_LABEL = re.compile(r"^([A-Z]?)(\d{1,3})$")


def label_key(label: str) -> tuple[str, int, str]:
    """Sort key for page labels: by letter, then by number (`A2` before `A10`, `B1`)."""
    match = _LABEL.match(label)
    if not match:
        return ("~", 0, label)
    return (match.group(1), int(match.group(2)), label)


def same_page(label: str, labels) -> str | None:
    """The label among `labels` that names the same page as `label` (`2` and `02`), or None."""
    key = label_key(label)[:2]
    return next((known for known in labels if label_key(known)[:2] == key), None)


def is_label(text: str) -> bool:
    """True for a page label: one to three digits, optionally after one capital letter."""
    return bool(_LABEL.match(text))


@dataclass(frozen=True)
class Reference:
    """A local image or link in a body: its token in the HTML, what was written, and where."""

    token: str
    tag: str  # "img" or "a"
    target: str
    line: int
    sized: bool  # the writer gave the image its own width


@dataclass(frozen=True)
class BodyText:
    """An article's body: the key of its HTML in the body store and what its references resolve
    to. Plain data: the renderer fetches the HTML (`render.BodyHtml`)."""

    key: str
    resolved: tuple[tuple[str, str, tuple[int, int] | None], ...]  # (token, URL, image size)
    references: tuple[Reference, ...] = field(repr=False, compare=False)
    source: tuple = field(repr=False, compare=False)  # (path as text, rel, language, trust) to render it again


@dataclass(frozen=True)
class Byline:
    """One byline entry: a role with names (本报记者 张三 李四), or a text shown as written."""

    role: str | None
    names: tuple[str, ...]
    text: str | None = None


@dataclass(frozen=True)
class Photo:
    """A photo of an article; `url`, `width` and `height` are its fallback's and its upright
    size, for templates that show one `<img>`."""

    url: str
    caption: str | None
    credit: str | None
    alt: str
    width: int | None
    height: int | None
    picture: Picture | None = None


@dataclass(frozen=True)
class Correction:
    """A published correction (更正)."""

    date: date
    text: str


@dataclass(frozen=True)
class Area:
    """A rectangle on a page picture, in percent of its width and height."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Jump:
    """A page an article continues on (转版), with its areas there."""

    page: str
    areas: tuple[Area, ...] = ()


@dataclass(frozen=True)
class ColumnRef:
    """The recurring column (栏目) an article runs under."""

    name: str
    slug: str
    url: str


@dataclass(frozen=True)
class Article:
    """One story, as a reader sees it."""

    source: str  # path relative to the site, for messages
    edition: str  # the edition's date, YYYY-MM-DD
    page: str  # the page label
    slug: str
    url: str
    title: str
    kicker: str | None
    subtitle: str | None
    bylines: tuple[Byline, ...]
    dateline: str | None
    column: ColumnRef | None
    columns: int
    order: int | None
    photos: tuple[Photo, ...]
    summary: str
    tags: tuple[str, ...]
    date: datetime
    draft: bool
    areas: tuple[Area, ...]
    continued_on: tuple[Jump, ...]
    corrections: tuple[Correction, ...]
    title_breaks: tuple[int, ...]  # where the editor broke the headline (`|`), as offsets in `title`
    body: BodyText  # templates show it as `article.body_html`, which the renderer fetches
    text_length: int  # characters of body text, for summaries and lists

    @property
    def modified(self) -> datetime:
        """When it last changed: its date, or its latest correction's (at 00:00, in its time zone)."""
        latest = self.date
        for correction in self.corrections:
            moment = datetime.combine(correction.date, time(0), tzinfo=self.date.tzinfo)
            latest = max(latest, moment)
        return latest


@dataclass(frozen=True)
class Continuation:
    """An article continued on this page from the page it starts on (上接)."""

    article: Article
    from_page: str
    areas: tuple[Area, ...]


@dataclass(frozen=True)
class PageRef:
    """Enough of a page to link to it: a neighbour in navigation."""

    edition: str
    label: str
    name: str | None
    url: str


@dataclass(frozen=True)
class EditionRef:
    """Enough of an edition to link to it: a neighbour in navigation."""

    date: date
    id: str
    url: str
    number: int | None
    label: str | None


@dataclass(frozen=True)
class Page:
    """A printed page (版) of an edition with its articles in page order."""

    edition: str
    label: str
    url: str
    name: str | None
    editors: tuple[str, ...]
    image: str | None  # URL of the page picture (its fallback derivative)
    image_size: tuple[int, int] | None
    pdf: str | None  # URL of the page PDF
    photo_credit: str | None
    articles: tuple[Article, ...]
    continued: tuple[Continuation, ...] = ()
    picture: Picture | None = None  # the page picture's derivatives

    @property
    def lead(self) -> Article | None:
        """The page's lead article: its first."""
        return self.articles[0] if self.articles else None

    @property
    def ref(self) -> PageRef:
        """A link-sized reference to this page."""
        return PageRef(self.edition, self.label, self.name, self.url)


@dataclass(frozen=True)
class Edition:
    """One day's edition, with its pages in label order."""

    date: date
    id: str  # YYYY-MM-DD
    url: str
    number: int | None
    label: str | None
    pages: tuple[Page, ...]

    @property
    def lead(self) -> Article | None:
        """The lead story: the lead of the first page that has one."""
        for page in self.pages:
            if page.articles:
                return page.articles[0]
        return None

    @functools.cached_property
    def articles(self) -> tuple[Article, ...]:
        """Every article of the edition, in page order (made once: the dev server's rebuilds ask often)."""
        return tuple(a for p in self.pages for a in p.articles)

    def __getstate__(self) -> dict:
        """Its fields, without what is made from them."""
        return {name: value for name, value in self.__dict__.items() if name != "articles"}

    @property
    def ref(self) -> EditionRef:
        """A link-sized reference to this edition."""
        return EditionRef(self.date, self.id, self.url, self.number, self.label)


@dataclass(frozen=True)
class Column:
    """A recurring column (栏目) with its articles across editions, newest first."""

    name: str
    slug: str
    url: str
    description: str | None
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Site:
    """Everything a build renders: editions newest first, columns by name."""

    editions: tuple[Edition, ...]
    columns: tuple[Column, ...]
    assets: tuple[tuple[str, str], ...] = field(default=())  # (source path, output URL)
    unpublished: tuple[str, ...] = ()  # editions left out because all their articles are drafts
    pictures: tuple[PictureSource, ...] = ()  # the sources of every derivative published (pictures/)
    located: frozenset[str] = frozenset()  # articles whose areas depend on a page PDF's text (replica)

    @functools.cached_property
    def articles(self) -> tuple[Article, ...]:
        """Every published article of every edition (made once: the dev server's rebuilds ask often)."""
        return tuple(a for e in self.editions for a in e.articles)

    @functools.cached_property
    def by_source(self) -> dict[str, Article]:
        """Every published article by its source file (made once, like `articles`)."""
        return {a.source: a for a in self.articles}

    @functools.cached_property
    def page_at(self) -> dict[tuple[str, str], Page]:
        """Every page by its edition and label (made once, like `articles`)."""
        return {(p.edition, p.label): p for e in self.editions for p in e.pages}

    def __getstate__(self) -> dict:
        """Its fields, without what is made from them."""
        return {name: value for name, value in self.__dict__.items() if name not in ("articles", "by_source", "page_at")}


@overload
def stable_key(value: Article | Page | Edition | Column) -> str: ...
@overload
def stable_key(value: object) -> str | None: ...
def stable_key(value: object) -> str | None:
    """The stable name of a model value, the same in every build of the same content:
    `article:<source>`, `page:<date>/<label>`, `edition:<date>`, `column:<slug>`; None for
    any other value."""
    kind = type(value)
    if kind is Article:
        return "article:" + cast(Article, value).source
    if kind is Page:
        page = cast(Page, value)
        return f"page:{page.edition}/{page.label}"
    if kind is Edition:
        return "edition:" + cast(Edition, value).id
    if kind is Column:
        return "column:" + cast(Column, value).slug
    return None


# Listings: light references for index pages ------------------------------------------
#
# Tag, people and calendar pages show a few fields of many articles and editions. They
# get these small values instead of the model objects, so that the incremental build
# (digests.Digests) re-renders them only when something they show changes, not when a
# body they do not show is edited.


@dataclass(frozen=True, repr=False)
class ArticleRef:
    """Enough of an article to list it: headline, standfirst, date, edition and page.

    Its repr (what the build's digests read) is made once: a ref is listed on many pages."""

    url: str
    title: str
    kicker: str | None
    summary: str
    date: datetime
    modified: datetime  # its date, or its latest correction's
    edition: EditionRef
    page: PageRef

    def __repr__(self) -> str:
        text = self.__dict__.get("_repr")
        if text is None:
            e, p = self.edition, self.page
            text = (f"ArticleRef({self.url!r}, {self.title!r}, {self.kicker!r}, {self.summary!r}, "
                    f"{self.date.isoformat()}, {self.modified.isoformat()}, {e.id}, {e.number!r}, {e.label!r}, "
                    f"{p.label!r}, {p.name!r})")
            object.__setattr__(self, "_repr", text)
        return text

    def __getstate__(self) -> dict:
        """Its fields, without the repr made from them (kept in the build state, it would be most of it)."""
        state = self.__dict__.copy()  # (copied in C: the build state pickles thousands of refs)
        state.pop("_repr", None)
        return state


@dataclass(frozen=True)
class Term:
    """A tag (关键词) or a byline name (作者) with its page and articles, newest first."""

    name: str
    slug: str
    url: str
    articles: tuple[ArticleRef, ...]
    roles: tuple[str, ...] = ()  # for a person: the byline roles they wrote under (本报记者)


@dataclass(frozen=True)
class CalendarDay:
    """One day in a month's calendar: its date and the edition of that day, if there is one."""

    date: date
    edition: EditionRef | None


@dataclass(frozen=True)
class CalendarMonth:
    """A month of the past-editions calendar (往期回顾), as weeks of seven days."""

    id: str  # YYYY-MM
    year: int
    month: int
    url: str
    weeks: tuple[tuple[CalendarDay | None, ...], ...]  # None: a day of the next or previous month
    editions: tuple[EditionRef, ...]  # this month's editions, oldest first
