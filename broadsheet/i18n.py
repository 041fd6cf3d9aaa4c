"""Interface strings and date formats for each site language."""

from __future__ import annotations

from datetime import date, datetime

from .model import Byline

STRINGS: dict[str, dict[str, str]] = {
    "zh-CN": {
        "page": "第{label}版",
        "number": "第{number}期",
        "editor": "责任编辑",
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
        "home": "首页",
        "colon": "：",
        "list_sep": "、",
    },
    "en": {
        "page": "Page {label}",
        "number": "No. {number}",
        "editor": "Page editor",
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
        "home": "Home",
        "colon": ": ",
        "list_sep": ", ",
    },
}

_WEEKDAYS_ZH = "一二三四五六日"


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

    def byline(self, byline: Byline) -> str:
        """本报记者 张三 李四 / Ann Lee and Bob Ray, Staff writers."""
        if byline.text is not None:
            return byline.text
        if self.language == "zh-CN":
            return " ".join(([byline.role] if byline.role else []) + list(byline.names))
        names = list(byline.names)
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"{joined}, {byline.role}" if byline.role else joined
