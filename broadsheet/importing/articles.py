"""A story as an article file: YAML front matter in the contract's keys, a Markdown body, and the
line of the written file each note belongs to. Pure: text in, text out."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import yaml

from . import recognise as rc
from .stories import Block, Story

COMMENT = {
    "zh-CN": {"photo": "图片说明（未附图片）：", "credit": "　署名：", "jump": "转版：", "untitled": "（无标题）"},
    "en": {"photo": "photo caption (no picture given): ", "credit": " Credit: ", "jump": "jump line: ",
           "untitled": "(untitled)"},
}


@dataclass
class PhotoEntry:
    """A photo as the front matter lists it."""

    src: str
    caption: str
    credit: str | None


@dataclass
class Article:
    """What goes into one article file besides the story itself."""

    story: Story
    slug: str
    order: int
    photos: list[PhotoEntry] = field(default_factory=list)
    continued_on: list[str] = field(default_factory=list)
    comments: list[Block] = field(default_factory=list)  # captions without a picture, jump lines kept
    draft: bool = False


def scalar(text: str) -> str:
    """A YAML scalar that reads back as exactly `text`: plain where it can be, else double-quoted."""
    if text and text == text.strip() and "\n" not in text:
        try:
            if yaml.load(f"k: {text}", Loader=yaml.BaseLoader) == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(_flow_scalar(x) for x in items) + "]"


def _flow_scalar(text: str) -> str:
    plain = scalar(text)
    return plain if plain.startswith('"') or not any(c in text for c in ",[]{}") else json.dumps(text, ensure_ascii=False)


def _byline(entry) -> str:
    if isinstance(entry, str):
        return f"  - {scalar(entry)}"
    role = f"role: {_flow_scalar(entry['role'])}, " if entry.get("role") else ""
    return f"  - {{{role}names: {_flow(entry['names'])}}}"


def front_matter(article: Article) -> tuple[list[str], dict[str, int]]:
    """The front matter's lines (without the --- fences) and the line (1-based, in the file) of each key."""
    story = article.story
    lines: list[str] = []
    where: dict[str, int] = {}

    def key(name: str, value: str | None) -> None:
        where[name] = len(lines) + 2
        lines.append(f"{name}: {value}" if value is not None else f"{name}:")

    key("title", scalar(story.title or ""))
    for name in ("kicker", "subtitle"):
        if getattr(story, name):
            key(name, scalar(getattr(story, name)))
    if story.bylines:
        key("byline", None)
        lines.extend(_byline(entry) for entry in story.bylines)
    for name in ("dateline", "column"):
        if getattr(story, name):
            key(name, scalar(getattr(story, name)))
    key("order", str(article.order))
    if article.photos:
        key("photos", None)
        for photo in article.photos:
            lines.append(f"  - src: {scalar(photo.src)}")
            for name in ("caption", "credit"):
                if getattr(photo, name):
                    lines.append(f"    {name}: {scalar(getattr(photo, name))}")
    if article.continued_on:
        key("continued_on", _flow(article.continued_on) if len(article.continued_on) > 1 else scalar(article.continued_on[0]))
    if article.draft:
        key("draft", "true")
    return lines, where


def body(blocks: list[Block]) -> tuple[list[str], list[int]]:
    """The Markdown body's lines and the line (0-based, in the body) where each block starts."""
    lines: list[str] = []
    starts: list[int] = []
    for block in blocks:
        if lines:
            lines.append("")
        starts.append(len(lines))
        if block.kind == "subhead":
            lines.append("### " + rc.plain(block.text))
        elif block.kind == "note":
            lines.append("> " + block.text)
        elif block.kind == "comment":
            lines.append("<!-- " + block.text.replace("-->", "--&gt;") + " -->")
        else:
            lines.append(block.text)
    return lines, starts


def article_text(article: Article, language: str) -> tuple[str, list[tuple[int, str, str]]]:
    """The article file's text and its notes as (line in the file, level, message)."""
    front, where = front_matter(article)
    blocks = sorted(article.story.blocks + article.comments, key=lambda b: b.lines[0])
    lines, starts = body(blocks)
    first_body = len(front) + 4  # ---, the front matter, ---, an empty line
    notes = [(where.get(name, where["title"]), level, message) for name, level, message in article.story.notes]
    for block, start in zip(blocks, starts):
        notes += [(first_body + start, level, message) for level, message in block.notes]
    text = "---\n" + "\n".join(front) + "\n---\n\n" + "\n".join(lines) + "\n"
    return text, sorted(notes)
