"""Splitting a page's copy into stories: titles, bylines, datelines, sub-heads, captions, credits, jumps.

`split(lines)` is pure: lines in, `Story` records out, each part remembering its source lines
and what the importer guessed about it (`notes`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import recognise as rc
from .copy import Line, Picture

COLUMN_MAX = 12


@dataclass
class Block:
    """A piece of an article body: a paragraph, a sub-head, an editor's note, or a comment keeping a caption."""

    kind: str  # "text", "subhead", "note" or "comment"
    text: str
    lines: tuple[int, ...]  # its lines in the source
    notes: list[tuple[str, str]] = field(default_factory=list)  # (level, message): "warning" or "repaired"
    bold: bool = False  # a Word paragraph set wholly in bold: a sub-head when inside a story


@dataclass
class Photo:
    """A photo of a story: caption and credit as the copy gives them, the picture when there is one."""

    caption: str
    credit: str | None
    line: int
    picture: Picture | None = None


@dataclass
class Story:
    """One story of the page as the copy gives it."""

    line: int  # where it starts in the source
    title: str | None = None
    kicker: str | None = None
    subtitle: str | None = None
    bylines: list = field(default_factory=list)
    dateline: str | None = None
    column: str | None = None
    jumps: list[tuple[str, str, int]] = field(default_factory=list)  # ('to'/'from', page number, line)
    blocks: list[Block] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (front-matter key, level, message)


@dataclass
class Page:
    """What the copy of one page holds: its stories and a credit for all its photos."""

    stories: list[Story]
    credit: str | None = None


@dataclass
class _Item:
    kind: str  # title display head text byline caption credit picture jump note
    line: Line
    value: Any = None  # what the recognising function found


def split(lines: tuple[Line, ...]) -> Page:
    """The stories of a page's copy, in the order the copy gives them."""
    items = [_classify(line) for line in lines if line.text.strip() or line.picture]
    column = _column_line(items)
    heads = _heads(items) or [(0, 0)]
    lead = items[:heads[0][0]]  # captions or credits above the first headline go to the first story
    if any(item.kind in ("text", "display", "head") for item in lead):
        heads, lead = [(0, 0)] + heads, []  # text above it is a story of its own (a continuation, say)
    page = Page([])
    for n, (start, body) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(items)
        story = _titled(items[start:body], items[start].line.number if start < len(items) else 1)
        _fill(story, (lead if n == 0 else []) + items[body:end], page)
        page.stories.append(story)
    if column:
        last = page.stories[-1]
        last.column = column.line.text.strip()
        last.notes.append(("column", "warning", (f"the page's last line “{last.column}” taken as the column "
                                                 f"of its last story (line {column.line.number}): check it")))
    return page


def _classify(line: Line) -> _Item:
    text = line.text.strip()
    if line.picture:
        return _Item("picture", line)
    if line.heading == 1:
        return _Item("title", line)
    if line.heading > 1:
        return _Item("head", line)
    if line.style.lower() in ("caption", "题注"):
        return _Item("caption", line, rc.caption(text) or (rc.plain(text), None, None))
    found = rc.page_credit(text)
    if found and not found[1]:
        return _Item("credit", line, found[0])
    for kind, test in (("caption", rc.caption), ("byline", rc.byline), ("jump", rc.jump)):
        value = test(text)
        if value is not None and (kind != "jump" or not value[2]):
            return _Item(kind, line, value)
    if rc.is_editor_note(text):
        return _Item("note", line)
    if rc.is_numbered_head(text):
        return _Item("head", line)
    return _Item("display" if rc.is_display(text) else "text", line)


def _column_line(items: list[_Item]) -> _Item | None:
    """The page's last line, when it is a short name with no punctuation after text: the column (栏目)."""
    if len(items) < 2 or items[-1].kind != "display" or items[-2].kind in ("display", "title"):
        return None
    text = rc.plain(items[-1].line.text)
    if len(text) > COLUMN_MAX or not all(ch.isalnum() or ch in " ·" for ch in text):
        return None
    return items.pop()


def _heads(items: list[_Item]) -> list[tuple[int, int]]:
    """(first title line, first body line) of each story: title lines followed by a byline, a dateline,
    captions and text, or at the top of the page."""
    heads: list[tuple[int, int]] = []
    i = 0
    while i < len(items):
        if items[i].kind not in ("display", "title"):
            i += 1
            continue
        j = i
        while j < len(items) and items[j].kind in ("display", "title"):
            j += 1
        if _starts_story(items, i, j, not heads):
            start = _title_start(items, i, j)
            while start > (heads[-1][1] if heads else 0) and items[start - 1].kind == "note":
                start -= 1  # an editor's note above the headline belongs to its story
            heads.append((start, j))
        i = j
    return heads


def _starts_story(items: list[_Item], i: int, j: int, first: bool) -> bool:
    if any(item.kind == "title" for item in items[i:j]):
        return True
    k = j
    while k < len(items) and items[k].kind in ("caption", "picture", "credit"):
        k += 1
    after = items[j] if j < len(items) else None
    if after is not None and (after.kind == "byline" or (after.kind == "text" and rc.dateline(after.line.text))):
        return True
    if k > j and k < len(items) and items[k].kind in ("text", "byline"):
        return True
    return first and all(item.kind in ("note", "credit", "caption", "picture") for item in items[:i])


def _title_start(items: list[_Item], i: int, j: int) -> int:
    """Where the title lines of a story start within the run i..j: kicker, headline, subtitles."""
    end = j
    while end - 1 > i and rc.is_subtitle(items[end - 1].line.text):
        end -= 1
    headline = end - 1
    if any(item.kind == "title" for item in items[i:j]):
        return min(k for k in range(i, j) if items[k].kind == "title")
    if headline > i and not rc.run_in_kicker(items[headline].line.text):
        return headline - 1
    return headline


def _titled(title_items: list[_Item], line: int) -> Story:
    """A story from its title lines: kicker, headline and subtitle, with what was guessed."""
    story = Story(line)
    texts = [rc.plain(item.line.text) for item in title_items]
    while texts and rc.is_subtitle(texts[-1]):
        story.subtitle = " ".join(filter(None, [rc.plain(texts.pop()).lstrip("—-－ "), story.subtitle]))
    if not texts:
        return story
    story.title = texts[-1]
    if len(texts) > 1:
        story.kicker = rc.kicker_line(texts[0]) or texts[0]
        if not rc.kicker_line(texts[0]):
            story.notes.append(("kicker", "warning", ("of the two title lines, the first is taken as the kicker "
                                                     "(引题) and the second as the headline: check them")))
    else:
        run_in = rc.run_in_kicker(texts[-1])
        if run_in:
            story.kicker, story.title = run_in
    return story


def _fill(story: Story, items: list[_Item], page: Page) -> None:
    """The body of a story from its items: bylines, dateline, photos, jumps, paragraphs, sub-heads."""
    seen_text = False
    for n, item in enumerate(items):
        line, text = item.line.number, item.line.text.strip()
        if item.kind == "byline":
            story.bylines += item.value
        elif item.kind == "credit":
            _page_credit(page, story, item.value, line)
        elif item.kind == "caption":
            _caption(story, page, item, items[n - 1] if n else None)
        elif item.kind == "picture":
            story.photos.append(Photo("", None, line, item.line.picture))
        elif item.kind == "jump":
            story.jumps.append((item.value[0], item.value[1], line))
        else:
            if item.kind == "text" and not seen_text:
                text = _dateline(story, text)
            found = rc.jump(text) if item.kind == "text" else None
            if found:
                story.jumps.append((found[0], found[1], line))
                text = found[2]
            kind = {"head": "subhead", "note": "note", "display": "display"}.get(item.kind, "text")
            story.blocks.append(Block(kind, text, (line,), bold=item.line.bold))
            seen_text = True
    _decide_subheads(story)


def _dateline(story: Story, text: str) -> str:
    found = rc.dateline(text)
    if not found:
        return text
    story.dateline, bylines, rest = found
    story.bylines += bylines
    return rest


def _caption(story: Story, page: Page, item: _Item, before: _Item | None) -> None:
    caption, credit, wide = item.value
    if wide:
        _page_credit(page, story, wide, item.line.number)
    if not caption and not credit:
        return
    last = story.photos[-1] if story.photos else None
    if before is not None and before.kind == "picture" and last and not last.caption and not last.credit:
        last.caption, last.credit, last.line = caption, credit, item.line.number
    else:
        story.photos.append(Photo(caption, credit, item.line.number))


def _page_credit(page: Page, story: Story, credit: str, line: int) -> None:
    if page.credit and page.credit != credit:
        story.notes.append(("photos", "warning", (f"a second page-wide credit “{credit}” (line {line}) differs "
                                                 f"from “{page.credit}”: only the first goes into page.yaml")))
        story.blocks.append(Block("comment", f"另一版面图片署名：{credit}", (line,)))
        return
    page.credit = credit


def _decide_subheads(story: Story) -> None:
    """Short lines without closing punctuation inside the body are sub-heads when there are two or
    more of them before more text; a lone one stays a paragraph (warned, unless the next paragraph
    carries it on: cut by a column break), and so does one ending the story (warned)."""
    blocks = story.blocks
    followed = [i for i, b in enumerate(blocks) if b.kind == "display" and any(x.kind == "text" for x in blocks[i + 1:])]
    if len(followed) == 1 and blocks[followed[0] + 1].kind == "text":
        block, following = blocks[followed[0]], blocks[followed[0] + 1]
        if not block.bold and rc.continues(block.text, following.text):
            block.kind, followed = "text", []  # the start of a paragraph cut by a column break: repairs join it
    for i, block in enumerate(blocks):
        if block.kind != "display":
            continue
        if i in followed and (len(followed) >= 2 or block.bold):
            block.kind = "subhead"
            continue
        block.kind = "text"
        if i in followed:
            block.notes.append(("warning", ("a short line without closing punctuation, kept as a paragraph: "
                                           "a sub-head (make it “### …”) or text cut at a column break?")))
        else:
            block.notes.append(("warning", ("a title-like line ends the story, kept as its last paragraph: "
                                           "a headline whose story is missing, or a line cut off?")))
