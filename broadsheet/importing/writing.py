"""The import's plan — every file it will write, decided before any is — and writing it all or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import is_label, label_key, same_page
from ..slugs import RESERVED, slugify
from . import recognise as rc
from .articles import COMMENT, Article, PhotoEntry, article_text, scalar
from .copy import Picture
from .stories import Block, Page, Story

SLUG_WORDS = 8  # syllables: a file name to recognise the story by, not the whole headline
SLUG_MAX = 40


@dataclass
class Plan:
    """The files an import writes (relative to the page folder) and what to tell the user."""

    page_dir: Path
    files: dict[str, bytes] = field(default_factory=dict)
    page_yaml: bytes | None = None  # page.yaml's new text, when the photo credit goes into it
    made: list[tuple[str, str]] = field(default_factory=list)  # (file, what it holds)
    notes: list[tuple[str, int, str, str]] = field(default_factory=list)  # (file, line, level, message)


def slug_for(story: Story, taken: set[str]) -> str:
    """A file name from the headline in pinyin, a few words long, not among `taken`."""
    slug = ""
    for word in slugify(story.title or "").split("-")[:SLUG_WORDS]:
        if slug and len(slug) + 1 + len(word) > SLUG_MAX:
            break
        slug = f"{slug}-{word}" if slug else word
    slug = slug or "article"
    if slug in RESERVED:
        slug += "-1"
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


def edition_pages(edition_dir: Path) -> list[str]:
    """The page labels an edition folder has."""
    if not edition_dir.is_dir():
        return []
    return sorted((p.name for p in edition_dir.iterdir() if p.is_dir() and is_label(p.name)), key=label_key)


def plan(pages: list[tuple[str, Page]], page_dir: Path, language: str, pictures: list[Picture]) -> Plan:
    """Every file the import of these pages would write into `page_dir`, with its notes."""
    result = Plan(page_dir)
    labels = [x for x in edition_pages(page_dir.parent) if x != page_dir.name]
    order = len(list(page_dir.glob("*.md"))) if page_dir.is_dir() else 0  # after the page's articles
    taken: set[str] = set()  # names this import gives; a file already there is a conflict, never renamed around
    spare = list(pictures)
    credit = None
    for source, page in pages:
        credit = credit or page.credit
        for story in page.stories:
            order += 1
            article = _article(story, order, taken, language)
            _photos(article, spare, result, language)
            _jumps(article, labels, language, source)
            _add(result, article, language)
    for picture in spare:
        result.notes.append((picture.origin, 0, "warning", "no caption is left for this picture: not imported"))
    if credit:
        _credit(result, credit, pages)
    return result


def _article(story: Story, order: int, taken: set[str], language: str) -> Article:
    draft = False
    if not story.title:
        opening = next((rc.plain(b.text) for b in story.blocks if b.kind == "text"), "")
        story.title = (opening[:20] + "…") if len(opening) > 20 else opening or COMMENT[language]["untitled"]
        story.notes.append(("title", "warning", ("no headline found: the opening words stand in for it and the "
                                                "article stays a draft; write the headline and remove `draft: true`")))
        draft = True
    return Article(story, slug_for(story, taken), order, draft=draft)


def _photos(article: Article, spare: list[Picture], result: Plan, language: str) -> None:
    for photo in article.story.photos:
        picture = photo.picture or (spare.pop(0) if spare else None)
        if picture is not None and picture.suffix:
            name = f"images/{article.slug}-{len(article.photos) + 1}{picture.suffix}"
            result.files[name] = picture.data
            article.photos.append(PhotoEntry(name, photo.caption, photo.credit))
            if not photo.caption:
                article.story.notes.append(("photos", "warning", f"{name} ({picture.origin}) has no caption: add one"))
            continue
        text = photo.caption + (COMMENT[language]["credit"] + photo.credit if photo.credit else "")
        why = "its picture is not given" if picture is None else f"{picture.origin} cannot be shown on the web"
        block = Block("comment", COMMENT[language]["photo"] + text, (photo.line,))
        block.notes.append(("warning", (f"a photo caption whose picture is missing, kept as a comment ({why}); "
                                       "pass the pictures with --images DIR, or add the photo by hand")))
        article.comments.append(block)


def _jumps(article: Article, labels: list[str], language: str, source: str) -> None:
    for way, number, line in article.story.jumps:
        label = same_page(number, labels)
        written = ("下转" if way == "to" else "上接") + f"第{number}版"
        if way == "to" and label:
            article.continued_on.append(label)
            continue
        block = Block("comment", COMMENT[language]["jump"] + written, (line,))
        if way == "to":
            block.notes.append(("warning", (f"the story jumps to page {number}, which this edition does not have yet: "
                                           f"add `continued_on: {number.zfill(2)}` once it has")))
        else:
            block.notes.append(("warning", (f"the story is continued from page {number} ({source}:{line}): a jumped "
                                           "story is one article on its first page; move this text there")))
        article.comments.append(block)


def _add(result: Plan, article: Article, language: str) -> None:
    name = f"{article.slug}.md"
    text, notes = article_text(article, language)
    result.files[name] = text.encode("utf-8")
    story = article.story
    held = [f"kicker {story.kicker}"] if story.kicker else []
    held += [f"{len(story.bylines)} byline{'s' * (len(story.bylines) != 1)}"] if story.bylines else []
    heads = sum(b.kind == "subhead" for b in story.blocks)
    held += [f"{heads} sub-head{'s' * (heads != 1)}"] if heads else []
    held += [f"{len(article.photos)} photo{'s' * (len(article.photos) != 1)}"] if article.photos else []
    held += [f"column {story.column}"] if story.column else []
    result.made.append((name, (story.title or "") + (f" ({', '.join(held)})" if held else "")))
    result.notes += [(name, line, level, message) for line, level, message in notes]


def _credit(result: Plan, credit: str, pages: list[tuple[str, Page]]) -> None:
    """The page-wide photo credit goes into page.yaml, added to it, never replacing one it has."""
    path = result.page_dir / "page.yaml"
    old = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    has = re.search(r"^photo_credit:\s*(.*)$", old, re.MULTILINE)
    if has:
        if has.group(1).strip().strip("'\"") != credit:
            result.notes.append(("page.yaml", old[:has.start()].count("\n") + 1, "warning",
                                 f"page.yaml already has a photo_credit; the copy's “{credit}” is not written"))
        return
    text = old + ("" if not old or old.endswith("\n") else "\n") + f"photo_credit: {scalar(credit)}\n"
    result.page_yaml = text.encode("utf-8")
    result.made.append(("page.yaml", f"photo_credit {credit}"))


def conflicts(result: Plan) -> list[str]:
    """The files of the plan that exist already (the import refuses to overwrite any)."""
    return [name for name in result.files if (result.page_dir / name).exists()]


def write(result: Plan) -> None:
    """Write every file of the plan, or, if one cannot be written, none (what was made is removed)."""
    made: list[Path] = []
    folders = [d for d in (result.page_dir.parent, result.page_dir, result.page_dir / "images") if not d.exists()]
    yaml_path = result.page_dir / "page.yaml"
    old_yaml = yaml_path.read_bytes() if yaml_path.exists() else None
    try:
        for name, data in result.files.items():
            path = result.page_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as handle:  # x: never replace a file that appeared meanwhile
                made.append(path)
                handle.write(data)
        if result.page_yaml is not None:
            yaml_path.write_bytes(result.page_yaml)
    except BaseException:
        for path in made:
            path.unlink(missing_ok=True)
        if result.page_yaml is not None:
            yaml_path.write_bytes(old_yaml) if old_yaml is not None else yaml_path.unlink(missing_ok=True)
        for folder in reversed(folders):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        raise
