"""Interface strings and date formats for each site language."""

from __future__ import annotations

from datetime import date, datetime

from .model import Byline

STRINGS: dict[str, dict[str, str]] = {
    "zh-CN": {
        "page": "第{label}版",
        "number": "第{number}期",
        "editor": "责任编辑",
        "page_photo_credit": "本版图片",
        "pages": "版面导航",
        "page_list": "本版稿件",
        "prev_page": "上一版",
        "next_page": "下一版",
        "prev_article": "上一篇",
        "next_article": "下一篇",
        "prev_edition": "前一期",
        "next_edition": "后一期",
        "back_to_page": "返回{page}",
        "pdf": "下载本版PDF",
        "page_full_size": "查看版面大图（{width}×{height}）",
        "continued_from": "上接{page}",
        "continued_on": "转{page}",
        "column": "栏目",
        "columns": "栏目",
        "tags": "关键词",
        "corrections": "更正",
        "correction_on": "{date}更正",
        "archive": "往期回顾",
        "front": "本期要目",
        "today": "最新一期",
        "lead": "头条",
        "skip": "跳到正文",
        "page_image": "{page}版面图",
        "no_articles": "本版暂无稿件",
        "published": "发布时间",
        "articles_in_column": "本栏目稿件",
        "edition_of": "{date}",
        "photo_credit": "{credit}",
        "site_nav": "网站导航",
        "colon": "：",
        "list_sep": "、",
        "search": "搜索",
        "search_label": "搜索本报稿件",
        "search_button": "搜索",
        "search_found": "找到 {count} 篇稿件",
        "search_found_at_least": "已找到 {count} 篇稿件，还有更多",
        "search_none": "没有找到包含“{query}”的稿件。",
        "search_loading": "正在检索……",
        "search_more": "显示更多结果",
        "search_hint": "输入词语，如标题或正文中的两个字以上的词，按回车检索。",
        "search_offline": "从本地文件打开时无法检索：请通过网站服务器访问本页（本地预览可运行 python build.py serve）。",
        "search_unavailable": "检索索引暂不可用。",
        "search_noscript": "检索需要浏览器启用 JavaScript。",
        "month": "{year}年{month}月",
        "year": "{year}年",
        "calendar_nav": "月份",
        "editions_in_month": "本月各期",
        "recent_editions": "最近各期",
        "paging_nav": "分页",
        "newest": "最新",
        "newer": "较新",
        "older": "较早",
        "oldest": "最早",
        "listing_page": "第{number}页",
        "edition_count": "{count}期",
        "article_count": "{count}篇",
        "people": "作者",
        "feed_atom": "Atom 订阅",
        "feed_rss": "RSS 订阅",
        "column_feed": "订阅本栏目",
        "footer_nav": "网站索引",
        "none_yet": "暂无",
        "short_month": "{month}月",
    },
    "en": {
        "page": "Page {label}",
        "number": "No. {number}",
        "editor": "Page editor",
        "page_photo_credit": "Photos on this page",
        "pages": "Pages",
        "page_list": "On this page",
        "prev_page": "Previous page",
        "next_page": "Next page",
        "prev_article": "Previous article",
        "next_article": "Next article",
        "prev_edition": "Earlier edition",
        "next_edition": "Later edition",
        "back_to_page": "Back to {page}",
        "pdf": "Download this page (PDF)",
        "page_full_size": "Full-size page ({width} × {height} px)",
        "continued_from": "Continued from {page}",
        "continued_on": "Continued on {page}",
        "column": "Column",
        "columns": "Columns",
        "tags": "Topics",
        "corrections": "Corrections",
        "correction_on": "Correction, {date}",
        "archive": "Past editions",
        "front": "In this edition",
        "today": "Latest edition",
        "lead": "Lead story",
        "skip": "Skip to content",
        "page_image": "Picture of {page}",
        "no_articles": "No articles on this page",
        "published": "Published",
        "articles_in_column": "Articles in this column",
        "edition_of": "{date}",
        "photo_credit": "Photo: {credit}",
        "site_nav": "Site",
        "colon": ": ",
        "list_sep": ", ",
        "search": "Search",
        "search_label": "Search the paper",
        "search_button": "Search",
        "search_found": "{count} articles found",
        "search_found_one": "1 article found",
        "search_found_at_least": "{count} articles found so far, and more",
        "search_none": "No articles found for “{query}”.",
        "search_loading": "Searching…",
        "search_more": "More results",
        "search_hint": "Type a word from a headline or story and press Enter.",
        "search_offline": "Search does not work on a page opened from disk: open the site through a web server (for a preview on this computer, run python build.py serve).",
        "search_unavailable": "The search index is not available.",
        "search_noscript": "Search needs JavaScript.",
        "month": "{month_name} {year}",
        "year": "{year}",
        "calendar_nav": "Months",
        "editions_in_month": "Editions this month",
        "recent_editions": "Recent editions",
        "paging_nav": "Pages",
        "newest": "Newest",
        "newer": "Newer",
        "older": "Older",
        "oldest": "Oldest",
        "listing_page": "Page {number}",
        "edition_count": "{count} editions",
        "edition_count_one": "1 edition",
        "article_count": "{count} articles",
        "article_count_one": "1 article",
        "people": "Authors",
        "feed_atom": "Atom feed",
        "feed_rss": "RSS feed",
        "column_feed": "Follow this column (Atom)",
        "footer_nav": "Site index",
        "none_yet": "None yet",
        "short_month": "{month_abbr}",
    },
}

_WEEKDAYS_ZH = "一二三四五六日"
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAY_NAMES_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Interface:
    """Formats interface text for one language; templates get it as `t`."""

    def __init__(self, language: str):
        self.language = language
        self.strings = STRINGS[language]

    def __call__(self, key: str, **values) -> str:
        """The interface string `key`, with `{placeholders}` filled in."""
        return self.strings[key].format(**values)

    def page(self, label: str) -> str:
        """第01版 / Page A1."""
        return self("page", label=label)

    def number(self, number: int) -> str:
        """第8801期 / No. 8801."""
        return self("number", number=number)

    def date(self, day: date) -> str:
        """2026年11月27日 星期五 / Friday, November 27, 2026."""
        if self.language == "zh-CN":
            return f"{day.year}年{day.month}月{day.day}日 星期{_WEEKDAYS_ZH[day.weekday()]}"
        return f"{day:%A}, {day:%B} {day.day}, {day.year}"

    def short_date(self, day: date) -> str:
        """2026年11月27日 / Nov. 27, 2026."""
        if self.language == "zh-CN":
            return f"{day.year}年{day.month}月{day.day}日"
        return f"{day:%b}. {day.day}, {day.year}" if day.month != 5 else f"May {day.day}, {day.year}"

    def time(self, moment: datetime) -> str:
        """2026年11月27日 07:30 / Nov. 27, 2026, 7:30 a.m. (00:00 shows the date alone)."""
        day = self.short_date(moment.date())
        if (moment.hour, moment.minute) == (0, 0):
            return day
        if self.language == "zh-CN":
            return f"{day} {moment:%H:%M}"
        hour = moment.hour % 12 or 12
        return f"{day}, {hour}:{moment:%M} {'a.m.' if moment.hour < 12 else 'p.m.'}"

    def count(self, key: str, count: int) -> str:
        """A count with its noun: 3篇 / 3 articles, 1 article (`key_one` where the language has it)."""
        if count == 1 and f"{key}_one" in self.strings:
            return self(f"{key}_one", count=count)
        return self(key, count=count)

    def month(self, year: int, month: int) -> str:
        """2026年11月 / November 2026."""
        return self("month", year=year, month=month, month_name=_MONTHS_EN[month - 1])

    def short_month(self, month: int) -> str:
        """11月 / Nov: a month in a year's row of the archive."""
        return self("short_month", month=month, month_abbr=_MONTHS_EN[month - 1][:3])

    @property
    def first_weekday(self) -> int:
        """The weekday a calendar week starts on (0 = Monday): Monday in China, Sunday in English."""
        return 0 if self.language == "zh-CN" else 6

    def weekdays(self) -> list[tuple[str, str]]:
        """(short, full) weekday names in calendar order: (一, 星期一) … / (Sun, Sunday) …."""
        order = [(self.first_weekday + i) % 7 for i in range(7)]
        if self.language == "zh-CN":
            return [(_WEEKDAYS_ZH[d], "星期" + _WEEKDAYS_ZH[d]) for d in order]
        return [(_WEEKDAYS_EN[d], _WEEKDAY_NAMES_EN[d]) for d in order]

    def byline_parts(self, byline: Byline) -> list[tuple[str, bool]]:
        """A byline as (text, is_a_name) pieces, for linking each name: the same text as `byline`."""
        if byline.text is not None:
            return [(byline.text, False)]
        names = list(byline.names)
        parts: list[tuple[str, bool]] = []
        if self.language == "zh-CN":
            for index, name in enumerate(names):
                if index or byline.role:
                    parts.append((" " if index else byline.role + " ", False))
                parts.append((name, True))
            return parts or [(byline.role or "", False)]
        parts.append(("By ", False))
        for index, name in enumerate(names):
            if index:
                parts.append((" and " if index == len(names) - 1 else ", ", False))
            parts.append((name, True))
        role = english_role(byline.role, len(names))
        if role:
            parts.append((f", {role}", False))
        return parts

    def byline(self, byline: Byline) -> str:
        """本报记者 张三 李四 / By Ann Lee and Bob Ray, Staff Writers."""
        if byline.text is not None:
            return byline.text
        if self.language == "zh-CN":
            return " ".join(([byline.role] if byline.role else []) + list(byline.names))
        return "".join(text for text, _ in self.byline_parts(byline))


_FUNCTION_WORDS = frozenset({"of", "to", "for", "in", "at", "and", "the", "on", "from", "with"})


def english_role(role: str | None, names: int) -> str | None:
    """The role after an English byline's names: none for `By`, in the plural for several names
    when it ends in a plain noun ("Staff Writer" → "Staff Writers"); else as written."""
    if not role or role.strip().lower() == "by":
        return None
    words = role.split()
    if names < 2 or not all(w.isalpha() for w in words) or _FUNCTION_WORDS & {w.lower() for w in words}:
        return role  # "Special to The Times", "Editor-in-Chief" stay as written
    return " ".join(words[:-1] + [_plural(words[-1])])


def _plural(word: str) -> str:
    lower = word.lower()
    if lower in ("staff", "press") or (lower.endswith("s") and not lower.endswith("ss")):
        return word  # a plural or a mass noun already
    if lower.endswith(("man", "woman")):
        return word[:-2] + ("EN" if word.isupper() else "en")
    if lower.endswith(("ss", "x", "z", "ch", "sh")):
        suffix = "es"
    elif lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return word[:-1] + ("IES" if word.isupper() else "ies")
    else:
        suffix = "s"
    return word + (suffix.upper() if word.isupper() else suffix)
