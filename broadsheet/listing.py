"""Listing pages in pages of their own: a tag's, a person's or a column's articles, newest first.

A listing of a five-year archive runs to thousands of articles, so it is cut
into pages of `PER_PAGE`. The first page keeps the listing's URL
(`tags/qing-xi-xian.html`) and shows the newest articles; the older ones are on
numbered pages beside it (`tags/qing-xi-xian/1.html` …), numbered from the
oldest, so that a numbered page keeps showing the same articles as the
archive grows: a new article changes the first page only, and every
`PER_PAGE` articles one more numbered page appears. The first page holds
between `PER_PAGE` and twice as many (all of them, when there are fewer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence, TypeVar

PER_PAGE = 30
WINDOW = 2  # numbered links shown on each side of the current page

T = TypeVar("T")


@dataclass(frozen=True)
class Paging:
    """Where one page of a listing stands: the links its navigation shows (URLs from the root)."""

    number: int  # 0: the first page (the newest articles); else its number, counted from the oldest
    newest: str | None  # the first page, from any other page
    newer: str | None
    older: str | None
    oldest: str | None  # page 1, from a page that neither is it nor links it as `older`
    numbers: tuple[tuple[int, str | None], ...]  # (number, URL) near this page, newest first; None: this page

    @property
    def shown(self) -> bool:
        """Whether the listing has more than one page (else no navigation at all)."""
        return bool(self.newest or self.older)


def page_url(url: str, number: int) -> str:
    """The URL of page `number` of the listing at `url` (0: the listing's own URL)."""
    return url if number == 0 else f"{url[:-len('.html')]}/{number}.html"


def paginate(url: str, items: Sequence[T], per_page: int = 0) -> list[tuple[str, tuple[T, ...], Paging]]:
    """The pages of a listing at `url` of `items` (newest first): (URL, items, paging), the first
    page first; `per_page` defaults to `PER_PAGE`."""
    per_page = per_page or PER_PAGE
    count = len(items)
    numbered = max(0, count // per_page - 1)
    pages = [(page_url(url, 0), tuple(items[:count - numbered * per_page]), _paging(url, 0, numbered))]
    for number in range(numbered, 0, -1):
        start = count - number * per_page
        pages.append((page_url(url, number), tuple(items[start:start + per_page]), _paging(url, number, numbered)))
    return pages


def _paging(url: str, number: int, numbered: int) -> Paging:
    """The navigation of page `number` of a listing with `numbered` numbered pages."""
    if number == 0:
        newer = None
        older = numbered or None
        middle = numbered + 1
    else:
        newer = number + 1 if number < numbered else 0
        older = number - 1 or None
        middle = number
    near = range(min(numbered, middle + WINDOW), max(0, middle - WINDOW - 1), -1)
    numbers = tuple((n, None if n == number else page_url(url, n)) for n in near)
    return Paging(
        number,
        newest=page_url(url, 0) if number else None,
        newer=None if newer is None else page_url(url, newer),
        older=None if older is None else page_url(url, older),
        oldest=page_url(url, 1) if numbered and 1 not in near else None,
        numbers=numbers,
    )
