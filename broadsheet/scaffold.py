"""`new DATE/PAGE/SLUG`: an article file with its front matter filled in."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from .model import is_label, same_page

TEMPLATE = {
    "zh-CN": """---
title: 在此填写主题
kicker: 引题（可删）
subtitle: 副题（可删）
byline:
  - {{role: 本报记者, names: [记者姓名]}}
dateline: 本报讯
date: {date} 08:00
tags: []
draft: true
---

正文从这里开始。写完后删去 `draft: true` 一行即可发布。
""",
    "en": """---
title: Headline goes here
kicker: Kicker (optional)
subtitle: Subtitle (optional)
byline:
  - {{role: Staff writer, names: [Reporter Name]}}
dateline: CITY —
date: {date} 08:00
tags: []
draft: true
---

The story starts here. Remove the line `draft: true` to publish it.
""",
}


class BadTarget(Exception):
    """The DATE/PAGE/SLUG argument is malformed (a command-line error)."""


def parse_target(target: str) -> tuple[str, str, str]:
    """Split and check `DATE/PAGE/SLUG`."""
    parts = target.strip("/").split("/")
    if len(parts) != 3:
        raise BadTarget(f"'{target}' must be DATE/PAGE/SLUG, e.g. 2026-11-27/01/qingxi-chaye")
    day, label, slug = parts
    if slug.endswith(".md"):
        slug = slug[:-3]
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            raise ValueError
        date.fromisoformat(day)
    except ValueError:
        raise BadTarget(f"'{day}' is not a date in the form YYYY-MM-DD") from None
    if not is_label(label):
        raise BadTarget(f"'{label}' is not a page label like 01, 2, A1 or B03")
    if not slug or slug.startswith(".") or "\\" in slug or "\x00" in slug:
        raise BadTarget(f"'{slug}' is not a usable file name")
    return day, label, slug


def create_article(content: Path, target: str, language: str) -> Path:
    """Write the new article file and return its path; refuse to overwrite one."""
    day, label, slug = parse_target(target)
    edition = content / day
    pages = [p.name for p in edition.iterdir() if p.is_dir() and is_label(p.name)] if edition.is_dir() else []
    label = same_page(label, sorted(pages)) or label  # `1` is the page in folder 01
    path = edition / label / f"{slug}.md"
    if path.exists():
        raise FileExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATE[language].format(date=day), encoding="utf-8")
    return path
