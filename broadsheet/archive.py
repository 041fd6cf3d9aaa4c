"""The past-editions calendar (往期回顾): one page per month that has editions.

Every day of the month is shown; a day with an edition links to its front, the
others are plain dates. The months come from the editions alone (no build date),
so the same content always gives the same calendar.
"""

from __future__ import annotations

import calendar
from itertools import groupby

from .i18n import Interface
from .model import CalendarDay, CalendarMonth, Site

#: editions listed on the overview (archive/index.html); the older ones are on their months' calendars
RECENT = 30


def month_url(month_id: str) -> str:
    """`archive/2026-11.html`: the calendar page of a month (YYYY-MM)."""
    return f"archive/{month_id}.html"


def months(site: Site, t: Interface) -> list[CalendarMonth]:
    """Every month that has an edition, oldest first, laid out in weeks."""
    weeks_of = calendar.Calendar(firstweekday=t.first_weekday)
    oldest_first = sorted(site.editions, key=lambda e: e.date)
    found: list[CalendarMonth] = []
    for (year, month), group in groupby(oldest_first, key=lambda e: (e.date.year, e.date.month)):
        refs = tuple(e.ref for e in group)
        by_day = {ref.date: ref for ref in refs}
        weeks = tuple(
            tuple(CalendarDay(day, by_day.get(day)) if day.month == month else None for day in week)
            for week in weeks_of.monthdatescalendar(year, month)
        )
        month_id = f"{year:04d}-{month:02d}"
        found.append(CalendarMonth(month_id, year, month, month_url(month_id), weeks, refs))
    return found


def years(months_found: list[CalendarMonth]) -> tuple[tuple[int, tuple[tuple[int, CalendarMonth | None], ...]], ...]:
    """The archive's overview: each year with editions, newest first, and its twelve months
    (a month without editions is None)."""
    by_year: dict[int, dict[int, CalendarMonth]] = {}
    for month in months_found:
        by_year.setdefault(month.year, {})[month.month] = month
    return tuple(
        (year, tuple((m, by_year[year].get(m)) for m in range(1, 13)))
        for year in sorted(by_year, reverse=True)
    )
