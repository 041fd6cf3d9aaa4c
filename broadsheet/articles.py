"""Reading one article file: its front matter validated into values, a pure function of its text.

What an article says about *other* files (photos, links) is checked later by
`content`, because the answer changes when those files do; what is here depends
only on the text, the file's place and the configuration, so it is cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path

from yaml.nodes import Node, ScalarNode, SequenceNode

from . import phrases
from .cache import hash_parts
from .markup import body_key, smart_quotes
from .model import Area, Byline, Correction, Jump, is_label
from .problems import Problem, Problems
from .schema import Reader, is_blank, kind
from .slugs import RESERVED, SLUG, slugify
from .sources import MAX_ARTICLE, Document, Unreadable, decode, split_front_matter

ARTICLE_KEYS = (
    "title", "kicker", "subtitle", "byline", "dateline", "column", "columns", "order",
    "photos", "summary", "tags", "slug", "date", "draft", "area", "continued_on", "corrections",
)
PHOTO_KEYS = ("src", "caption", "credit", "alt")
#: what an article shows of itself in lists and on its page, without changing where it is listed
LISTING_KEYS = ("title", "kicker", "subtitle", "dateline", "summary")
BYLINE_KEYS = ("role", "names")
CORRECTION_KEYS = ("date", "text")
JUMP_KEYS = ("page", "area")
MAX_DAYS_FROM_EDITION = 31


@dataclass(frozen=True)
class ArticleRecord:
    """What an article file says, validated; `values` is None when it could not be read."""

    values: dict | None
    lines: dict  # key -> file line (photos: a list of lines, one per photo)
    body_line: int
    body_key: str
    switches: dict  # file line -> text, for lines carrying a `lint:` switch
    problems: tuple[Problem, ...]
    front: str = ""  # digest of the file's text before the body: equal means equal `values` and `lines`
    structure: str = ""  # digest of `values` and `lines` but LISTING_KEYS: what places the article
    phrases: tuple = ()  # (text, phrase boundaries) of its Chinese headline, kicker and subtitle


@dataclass(frozen=True)
class Settings:
    """The configuration an article's reading depends on."""

    zone: tzinfo
    language: str
    trust_raw_html: bool


def read_body(path: Path, rel: str) -> Document | None:
    """Read an article file again for its body (None if it no longer reads)."""
    try:
        text = decode(path.read_bytes())
    except (OSError, Unreadable):
        return None
    return split_front_matter(text, rel, Problems())


def read_article(data: bytes, rel: str, stem: str, day: date, settings: Settings) -> tuple[ArticleRecord, Document | None]:
    """Validate an article's bytes into an ArticleRecord, every problem kept in it; and the document
    read (for its body), None when there is none."""
    problems = Problems()
    empty = ArticleRecord(None, {}, 0, "", {}, ())
    if len(data) > MAX_ARTICLE:
        problems.error(rel, 0, f"{len(data) / 1024 / 1024:.1f} MB is larger than the 2 MB limit for an article")
        return _with(empty, problems), None
    try:
        text = decode(data)
    except Unreadable as exc:
        problems.error(rel, exc.line, exc.message)
        return _with(empty, problems), None
    document = split_front_matter(text, rel, problems)
    if document is None:
        return _with(empty, problems), None
    read = Reader(rel, problems, offset=document.meta_line - 1)
    keys = read.mapping(document.meta, ARTICLE_KEYS, required=("title",), what="the front matter")
    if keys is None:
        return _with(empty, problems), document
    zone = settings.zone
    values: dict = {
        "title": read.string("title", keys.get("title")),
        "kicker": read.string("kicker", keys.get("kicker")),
        "subtitle": read.string("subtitle", keys.get("subtitle")),
        "dateline": read.string("dateline", keys.get("dateline")),
        "column": read.string("column", keys.get("column")),
        "columns": read.integer("columns", keys.get("columns"), 1, 4) or 1,
        "order": read.integer("order", keys.get("order")),
        "summary": read.string("summary", keys.get("summary")),
        "tags": read.string_list("tags", keys.get("tags")),
        "draft": bool(read.boolean("draft", keys.get("draft"))),
        "bylines": _bylines(read, keys.get("byline")),
        "photos": _photos(read, keys.get("photos")),
        "areas": read_areas(read, "area", keys.get("area")),
        "continued_on": _jumps(read, keys.get("continued_on")),
        "corrections": _corrections(read, keys.get("corrections"), zone),
    }
    if settings.language == "en":
        _curl_english(values)
    values["title"], values["title_breaks"] = phrases.split_breaks(values["title"])
    values["date"] = _date(read, keys.get("date"), day, zone)
    values["slug"] = _slug(read, keys.get("slug"), stem, rel, problems)
    if not document.body.strip():
        problems.warn(rel, document.body_line - 1, "article has no body text")
    lines = {key: read.line(node) for key, node in keys.items()}
    lines.setdefault("slug", 1)
    lines["photos"] = [line for _, line in values["photos"]]
    values["photos"] = tuple(photo for photo, _ in values["photos"])
    switches = {n: line for n, line in enumerate(text.split("\n"), 1) if "lint:" in line} if "lint:" in text else {}
    key = body_key(settings.language, settings.trust_raw_html, document.body, document.body_line)
    front = hash_parts(stem, str(day), *text.split("\n", document.body_line - 1)[: document.body_line - 1])
    # `lint:` switches in the front matter silence warnings about it (a photo without caption)
    front_switches = {n: line for n, line in switches.items() if n < document.body_line}
    structure = hash_parts(stem, str(day), repr(front_switches),
                           *(repr({k: v for k, v in found.items() if k not in LISTING_KEYS}) for found in (values, lines)))
    found = phrases.of(values["title"], values["kicker"], values["subtitle"])  # BudouX here: on all cores, cached
    return ArticleRecord(values, lines, document.body_line, key, switches, tuple(problems.items), front, structure,
                         found), document


def _curl_english(values: dict) -> None:
    """Typographer's quotes in an English article's headline, kicker, subtitle, summary and captions."""
    for key in ("title", "kicker", "subtitle", "summary"):
        values[key] = curl_quotes(values[key])
    values["photos"] = [(dict(p, caption=curl_quotes(p["caption"])), line) for p, line in values["photos"]]


def _date(read: Reader, node: Node | None, day: date, zone: tzinfo) -> datetime:
    """The article's moment: `date` when given (warned when far from its edition), else the edition's midnight."""
    moment = read.moment("date", node, zone)
    if moment is None:
        return datetime.combine(day, datetime.min.time(), tzinfo=zone)
    if node is not None and abs((moment.date() - day).days) > MAX_DAYS_FROM_EDITION:
        read.warn(node, f"date {moment.date()} is {abs((moment.date() - day).days)} days from its edition's "
                        f"date {day}: check the year and month (an article is dated within a month of its edition)")
    return moment


def curl_quotes(text: str | None) -> str | None:
    """English typographer's quotes, as the body gets them: "a" → “a”, it's → it’s, '90s → ’90s."""
    return smart_quotes(text) if text else text


def _with(record: ArticleRecord, problems: Problems) -> ArticleRecord:
    return ArticleRecord(record.values, record.lines, record.body_line, record.body_key, record.switches, tuple(problems.items))


def _slug(read: Reader, node: Node | None, stem: str, rel: str, problems: Problems) -> str | None:
    slug = read.string("slug", node)
    if slug is not None:
        if slug in RESERVED:
            read.error(node, f"slug '{slug}' is reserved for the page's own index.html")
            return None
        if not SLUG.match(slug):
            read.error(node, f"slug '{slug}' may contain only lowercase letters, digits and '-'")
            return None
        return slug
    slug = slugify(stem)
    if not slug:
        problems.error(rel, 1, f"no slug can be made from the file name '{stem}.md': add a 'slug'")
        return None
    if slug in RESERVED:
        problems.error(rel, 1, f"file name '{stem}.md' gives the reserved slug '{slug}': add a 'slug'")
        return None
    return slug


def _bylines(read: Reader, node: Node | None) -> tuple[Byline, ...]:
    if isinstance(node, ScalarNode) and not is_blank(node):
        read.error(node, "'byline' must be a list, e.g. [{role: 本报记者, names: [张三]}], got text")
        return ()
    bylines = []
    for item in read.sequence("byline", node):
        if isinstance(item, ScalarNode):
            text = read.string("byline", item)
            if text:
                bylines.append(Byline(None, (), text))
            continue
        keys = read.mapping(item, BYLINE_KEYS, required=("names",), what="a byline entry")
        if keys is None:
            continue
        names = read.string_list("names", keys.get("names"), allow_single=True)
        bylines.append(Byline(read.string("role", keys.get("role")), names))
    return tuple(bylines)


def _photos(read: Reader, node: Node | None) -> list[tuple[dict, int]]:
    photos = []
    for item in read.sequence("photos", node):
        keys = read.mapping(item, PHOTO_KEYS, required=("src",), what="a photo")
        if not keys or "src" not in keys:
            continue
        src = read.string("src", keys["src"])
        if not src:
            continue
        photos.append(({
            "src": src,
            "src_line": read.line(keys["src"]),
            "caption": read.string("caption", keys.get("caption")),
            "credit": read.string("credit", keys.get("credit")),
            "alt": read.string("alt", keys.get("alt")),
        }, read.line(item)))
    return photos


def read_areas(read: Reader, key: str, node: Node | None) -> tuple[Area, ...]:
    """`[x, y, w, h]` or a list of them, in percent of the page picture."""
    items = read.sequence(key, node)
    if not items:
        return ()
    groups = items if isinstance(items[0], SequenceNode) else [node]
    areas = []
    for group in groups:
        if not isinstance(group, SequenceNode):
            read.error(group, f"'{key}' must be [x, y, w, h] or a list of them, got {kind(group)}")
            continue
        numbers = [read.number(key, n) for n in group.value]
        if len(numbers) != 4:
            read.error(group, f"'{key}' must have four numbers [x, y, w, h] in percent, got {len(numbers)}")
            continue
        if None in numbers:
            continue
        x, y, w, h = numbers
        if min(numbers) < 0 or w <= 0 or h <= 0 or x + w > 100.0001 or y + h > 100.0001:
            read.error(group, f"'{key}' [{x:g}, {y:g}, {w:g}, {h:g}] must lie within the page: 0-100 percent")
            continue
        areas.append(Area(x, y, w, h))
    return tuple(areas)


def _jumps(read: Reader, node: Node | None) -> tuple[tuple[Jump, int], ...]:
    if node is None or is_blank(node):
        return ()
    items = [node] if isinstance(node, ScalarNode) else read.sequence("continued_on", node)
    jumps = []
    for item in items:
        if isinstance(item, ScalarNode):
            label, areas = read.string("continued_on", item), ()
        else:
            keys = read.mapping(item, JUMP_KEYS, required=("page",), what="a 'continued_on' entry")
            if not keys or "page" not in keys:
                continue
            label = read.string("page", keys["page"])
            areas = read_areas(read, "area", keys.get("area"))
        if label is None:
            continue
        if not is_label(label):
            read.error(item, f"'continued_on' page '{label}' is not a page label like 02 or A2")
            continue
        jumps.append((Jump(label, areas), read.line(item)))
    return tuple(jumps)


def _corrections(read: Reader, node: Node | None, zone: tzinfo) -> tuple[Correction, ...]:
    corrections = []
    for item in read.sequence("corrections", node):
        keys = read.mapping(item, CORRECTION_KEYS, required=("date", "text"), what="a correction")
        if not keys or "date" not in keys or "text" not in keys:
            continue
        moment = read.moment("date", keys["date"], zone, date_only=True)
        text = read.string("text", keys["text"])
        if moment and text:
            corrections.append(Correction(moment.date(), text))
    return tuple(corrections)
