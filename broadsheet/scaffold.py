"""`new DATE/PAGE/SLUG`: an article file with its front matter filled in; `init DIR`: a new paper."""

from __future__ import annotations

import json
import re
import string
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from . import theme
from .importing.writing import edition_pages
from .model import is_label, same_page

#: the files `init` writes: `common/` and the language's folder, `EDITION` named by today's date
STARTER = Path(__file__).resolve().parent / "starter"
TITLES = {"zh-CN": "我的日报", "en": "The Daily Paper"}
ZONES = {"zh-CN": "Asia/Shanghai", "en": "UTC"}  # as the starter's site.yaml says

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
    label = same_page(label, edition_pages(edition)) or label  # `1` is the page in folder 01
    path = edition / label / f"{slug}.md"
    if path.exists():
        raise FileExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATE[language].format(date=day), encoding="utf-8")
    return path


class NotEmpty(Exception):
    """The folder for a new paper already holds one, or a file `init` would write."""


def create_paper(folder: Path, title: str | None, language: str, today: date | None = None) -> list[str]:
    """Write a new paper into `folder` (made when missing) and return the files written, relative
    to it; refuse, writing nothing, a folder that holds a paper or any file it would write."""
    day = (today or datetime.now(ZoneInfo(ZONES[language])).date()).isoformat()
    values = {"title": json.dumps(title or TITLES[language], ensure_ascii=False), "date": day,
              "theme": str(theme.FOLDER)}
    files = {}
    for top in (STARTER / "common", STARTER / language):
        for path in sorted(p for p in top.rglob("*") if p.is_file()):
            rel = path.relative_to(top).as_posix().replace("EDITION", day)
            rel = ".gitignore" if rel == "gitignore" else rel
            files[rel] = string.Template(path.read_text(encoding="utf-8")).safe_substitute(values)
    if folder.exists() and not folder.is_dir():
        raise NotEmpty("is a file, not a folder")
    for held in ("site.yaml", "content"):
        if (folder / held).exists():
            raise NotEmpty(f"already holds a paper ({held})")
    clash = next((rel for rel in files if (folder / rel).exists()), None)
    if clash is not None:
        raise NotEmpty(f"already has {clash}")
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    order = ("site.yaml", "content/", "templates/", ".gitignore")
    return sorted(files, key=lambda rel: (next(i for i, start in enumerate(order) if rel.startswith(start)), rel))
