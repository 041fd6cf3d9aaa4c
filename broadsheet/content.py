"""Loading `content/`: every file read and validated, then the model assembled.

Nothing here writes. Every problem is collected in `Problems` with its file
and line; the model is built only from what validated.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from PIL import Image, UnidentifiedImageError
from yaml.nodes import Node, ScalarNode, SequenceNode

from .config import SiteConfig
from .markup import Renderer, Resolved, cut_summary
from .model import (
    Area, Article, Byline, Column, ColumnRef, Continuation, Correction, Edition, Jump, Page,
    Photo, Site, is_label, label_key,
)
from .problems import Problems
from .schema import Reader, is_blank, kind, read_mapping_file, read_yaml_file, suggest
from .slugs import RESERVED, SLUG, slugify
from . import lint, sanitize
from .sources import MAX_ARTICLE, Document, Unreadable, read_text, split_front_matter

ARTICLE_KEYS = (
    "title", "kicker", "subtitle", "byline", "dateline", "column", "columns", "order",
    "photos", "summary", "tags", "slug", "date", "draft", "area", "continued_on", "corrections",
)
EDITION_KEYS = ("number", "label")
PAGE_KEYS = ("name", "editor", "image", "pdf", "photo_credit")
PHOTO_KEYS = ("src", "caption", "credit", "alt")
BYLINE_KEYS = ("role", "names")
CORRECTION_KEYS = ("date", "text")
JUMP_KEYS = ("page", "area")
COLUMN_KEYS = ("slug", "description")
_EDITION_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YAML_SUFFIXES = (".yaml", ".yml")


def ignored(name: str) -> bool:
    """Hidden files and editor leftovers, which the build never reads."""
    return (
        name.startswith((".", "#", "~$"))
        or name.endswith(("~", ".swp", ".swo", ".swx", ".tmp", ".bak"))
        or name in ("Thumbs.db", "desktop.ini")
    )


@dataclass
class _Article:
    """An article as read, before the model is assembled (mutable on purpose)."""

    path: Path
    rel: str
    edition: str
    page: str
    fields: dict
    lines: dict  # key -> file line, for messages found after reading
    document: Document
    source: list[str]  # the file's lines, for `lint: ignore` switches

    def report(self, problems: Problems, line: int, rule: str, message: str) -> None:
        """A lint warning at a line, unless that line silences the rule."""
        text = self.source[line - 1] if 0 < line <= len(self.source) else ""
        if not lint.silenced(text, rule):
            problems.warn(self.rel, line, message)


@dataclass
class _Page:
    label: str
    rel: str
    name: str | None = None
    editors: tuple[str, ...] = ()
    image: str | None = None
    image_size: tuple[int, int] | None = None
    pdf: str | None = None
    photo_credit: str | None = None
    articles: list[_Article] = field(default_factory=list)


@dataclass
class _Edition:
    id: str
    day: date
    number: int | None = None
    label: str | None = None
    pages: dict[str, _Page] = field(default_factory=dict)


class Loader:
    """Reads a site's content folder into a `Site`, reporting every problem."""

    def __init__(self, config: SiteConfig, problems: Problems, drafts: bool = False):
        self.config = config
        self.problems = problems
        self.drafts = drafts
        self.root = config.root.resolve()
        self.content = config.content_dir
        self.renderer = Renderer(config.language)
        self.referenced: set[Path] = set()
        self.assets: set[Path] = set()
        self.others: list[Path] = []
        self.columns_yaml: dict[str, tuple[str | None, str | None, int]] = {}

    # -- paths -----------------------------------------------------------------

    def rel(self, path: Path) -> str:
        """A path relative to the site, '/'-separated, for messages."""
        try:
            return path.relative_to(self.config.root).as_posix()
        except ValueError:
            return path.as_posix()

    def url(self, path: Path) -> str:
        """The output URL of a file under content/: the same path relative to content/."""
        return path.relative_to(self.content).as_posix()

    def _entries(self, folder: Path) -> list[Path]:
        """The entries of a folder, sorted, without ignored names or links out of the site."""
        try:
            names = sorted(os.listdir(folder))
        except OSError as exc:
            self.problems.error(self.rel(folder), 0, f"cannot be read: {exc.strerror}")
            return []
        entries = []
        for name in names:
            path = folder / name
            if ignored(name):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(self.root):
                self.problems.error(self.rel(path), 0, "symbolic link to a path outside the site; not followed")
                continue
            entries.append(path)
        return entries

    # -- the walk ----------------------------------------------------------------

    def load(self) -> Site | None:
        """Read everything; return the site, or None when there were errors."""
        if not self.content.is_dir():
            self.problems.error("content", 0, "folder not found: the articles go in content/")
            return None
        editions: list[_Edition] = []
        for entry in self._entries(self.content):
            if entry.is_dir():
                if _EDITION_NAME.match(entry.name):
                    edition = self._edition(entry)
                    if edition:
                        editions.append(edition)
                else:
                    self.problems.error(
                        self.rel(entry), 0,
                        "folder is not an edition: editions are named by their date, YYYY-MM-DD",
                    )
            elif entry.name == "columns.yaml":
                self._columns_yaml(entry)
            elif entry.suffix == ".md":
                self.problems.error(self.rel(entry), 0, "Markdown file outside any edition/page folder")
            elif entry.suffix in _YAML_SUFFIXES:
                self.problems.error(
                    self.rel(entry), 0,
                    "YAML file not used here: content/ holds only columns.yaml and edition folders",
                )
            else:
                self.others.append(entry)
        self._check_jumps(editions)
        self._render_bodies(editions)
        for path in self.others:
            if path.resolve() not in self.referenced:
                self.problems.warn(self.rel(path), 0, "file is not referenced by any article or page; not copied")
        if self.problems.errors:
            return None
        return self._assemble(editions)

    def _edition(self, folder: Path) -> _Edition | None:
        try:
            day = date.fromisoformat(folder.name)
        except ValueError:
            self.problems.error(self.rel(folder), 0, f"edition folder '{folder.name}' is not a real date")
            return None
        edition = _Edition(folder.name, day)
        for entry in self._entries(folder):
            if entry.is_dir():
                if is_label(entry.name):
                    edition.pages[entry.name] = self._page(edition, entry)
                else:
                    self.problems.error(
                        self.rel(entry), 0,
                        "folder is not a page: pages are named by their label, like 01, 2, A1 or B03",
                    )
            elif entry.name == "edition.yaml":
                self._edition_yaml(edition, entry)
            elif entry.suffix == ".md":
                self.problems.error(
                    self.rel(entry), 0, "Markdown file outside any page folder: articles go in a page folder like 01/"
                )
            elif entry.suffix in _YAML_SUFFIXES:
                self.problems.error(
                    self.rel(entry), 0, f"YAML file not used here{suggest(entry.name, ['edition.yaml'])}"
                )
            else:
                self.others.append(entry)
        labels = {}
        for label in edition.pages:
            key = label_key(label)[:2]
            if key in labels:
                self.problems.error(
                    self.rel(folder / label), 0,
                    f"page {label} is the same page as {labels[key]}: use one label",
                )
            labels[key] = label
        return edition

    def _edition_yaml(self, edition: _Edition, path: Path) -> None:
        loaded = read_mapping_file(path, self.rel(path), self.problems, EDITION_KEYS, what="edition.yaml")
        if not loaded:
            return
        keys, read = loaded
        edition.number = read.integer("number", keys.get("number"), 0, None)
        edition.label = read.string("label", keys.get("label"))

    def _columns_yaml(self, path: Path) -> None:
        loaded = read_yaml_file(path, self.rel(path), self.problems)
        if not loaded:
            return
        node, read = loaded
        columns = read.mapping(node, (), what="columns.yaml", free_keys=True)
        for name, value in (columns or {}).items():
            keys = read.mapping(value, COLUMN_KEYS, what=f"column '{name}'")
            if keys is None:
                continue
            slug = read.string("slug", keys.get("slug"))
            if slug is not None and not SLUG.match(slug):
                read.error(keys["slug"], f"'slug' '{slug}' may contain only lowercase letters, digits and '-'")
                slug = None
            self.columns_yaml[name] = (slug, read.string("description", keys.get("description")), read.line(value))

    def _page(self, edition: _Edition, folder: Path) -> _Page:
        page = _Page(folder.name, self.rel(folder))
        for entry in self._entries(folder):
            if entry.is_dir():
                self._page_files(entry)
            elif entry.name == "page.yaml":
                self._page_yaml(page, entry)
            elif entry.suffix == ".md":
                article = self._article(edition, page, entry)
                if article:
                    page.articles.append(article)
            elif entry.suffix in _YAML_SUFFIXES:
                self.problems.error(self.rel(entry), 0, f"YAML file not used here{suggest(entry.name, ['page.yaml'])}")
            else:
                self.others.append(entry)
        return page

    def _page_files(self, folder: Path) -> None:
        for entry in self._entries(folder):
            if entry.is_dir():
                self._page_files(entry)
            elif entry.suffix == ".md" or entry.suffix in _YAML_SUFFIXES:
                self.problems.error(
                    self.rel(entry), 0,
                    "Markdown or YAML file in a page's sub-folder: articles and page.yaml go in the page folder itself",
                )
            else:
                self.others.append(entry)

    def _page_yaml(self, page: _Page, path: Path) -> None:
        loaded = read_mapping_file(path, self.rel(path), self.problems, PAGE_KEYS, what="page.yaml")
        if not loaded:
            return
        keys, read = loaded
        page.name = read.string("name", keys.get("name"))
        page.editors = read.string_list("editor", keys.get("editor"), allow_single=True)
        page.photo_credit = read.string("photo_credit", keys.get("photo_credit"))
        image = read.string("image", keys.get("image"))
        if image is not None:
            found = self._reference(read, keys["image"], path.parent, image, "page image")
            if found:
                page.image = self.url(found)
                page.image_size = self._image_size(read, keys["image"], found, image)
        pdf = read.string("pdf", keys.get("pdf"))
        if pdf is not None:
            found = self._reference(read, keys["pdf"], path.parent, pdf, "PDF")
            if found:
                page.pdf = self.url(found)

    # -- references to files ---------------------------------------------------------

    def _reference(self, read: Reader, node: Node | None, base: Path, target: str, what: str, line: int | None = None) -> Path | None:
        """Resolve a file named in a source; it must exist, exactly, inside content/."""

        def report(message: str) -> None:
            if line is not None:
                self.problems.error(read.rel, line, message)
            else:
                read.error(node, message)

        if re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|/|\\)", target) or "\\" in target or "\x00" in target:
            report(f"{what} '{target}' must be a path relative to the file, inside content/")
            return None
        candidate = Path(os.path.normpath(base / target))
        resolved = candidate.resolve()
        if not candidate.is_relative_to(self.content) or not resolved.is_relative_to(self.root):
            report(f"{what} '{target}' is outside content/")
            return None
        if not candidate.is_file() or not self._exact_case(candidate):
            hint = self._case_hint(candidate, target)
            report(f"{what} '{target}' not found{hint}")
            return None
        self.referenced.add(resolved)
        self.assets.add(candidate)
        return candidate

    def _exact_case(self, path: Path) -> bool:
        """True when every part of the path exists with exactly this spelling."""
        current = self.content
        for part in path.relative_to(self.content).parts:
            try:
                if part not in os.listdir(current):
                    return False
            except OSError:
                return False
            current = current / part
        return True

    def _case_hint(self, candidate: Path, target: str) -> str:
        try:
            names = os.listdir(candidate.parent)
        except OSError:
            return ""
        for name in names:
            if name.lower() == candidate.name.lower() and name != candidate.name:
                self.referenced.add((candidate.parent / name).resolve())  # named, if misspelt
                return f" (did you mean '{target[: len(target) - len(candidate.name)]}{name}'?)"
        return ""

    def _image_size(self, read: Reader, node: Node | None, path: Path, target: str, line: int | None = None) -> tuple[int, int] | None:
        try:
            with Image.open(path) as image:
                return image.size
        except (UnidentifiedImageError, OSError):
            message = f"'{target}' is not an image (PNG, JPEG, GIF or WebP)"
            if line is not None:
                self.problems.error(read.rel, line, message)
            else:
                read.error(node, message)
            return None

    # -- articles ------------------------------------------------------------------

    def _article(self, edition: _Edition, page: _Page, path: Path) -> _Article | None:
        rel = self.rel(path)
        try:
            if path.stat().st_size > MAX_ARTICLE:
                size = path.stat().st_size / 1024 / 1024
                self.problems.error(rel, 0, f"{size:.1f} MB is larger than the 2 MB limit for an article")
                return None
            text = read_text(path)
        except Unreadable as exc:
            self.problems.error(rel, exc.line, exc.message)
            return None
        document = split_front_matter(text, rel, self.problems)
        if document is None:
            return None
        read = Reader(rel, self.problems, offset=document.meta_line - 1)
        keys = read.mapping(document.meta, ARTICLE_KEYS, required=("title",), what="the front matter")
        if keys is None:
            return None
        zone = self.config.zone
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
            "bylines": self._bylines(read, keys.get("byline")),
            "photos": self._photos(read, keys.get("photos"), path.parent),
            "areas": self._areas(read, "area", keys.get("area")),
            "continued_on": self._jumps(read, keys.get("continued_on")),
            "corrections": self._corrections(read, keys.get("corrections")),
        }
        moment = read.moment("date", keys.get("date"), zone)
        values["date"] = moment or datetime.combine(edition.day, datetime.min.time(), tzinfo=zone)
        slug = read.string("slug", keys.get("slug"))
        if slug is not None and (not SLUG.match(slug) or slug in RESERVED):
            if slug in RESERVED:
                read.error(keys["slug"], f"slug '{slug}' is reserved for the page's own index.html")
            else:
                read.error(keys["slug"], f"slug '{slug}' may contain only lowercase letters, digits and '-'")
        elif slug is None:
            slug = slugify(path.stem)
            if not slug:
                self.problems.error(rel, 1, f"no slug can be made from the file name '{path.name}': add a 'slug'")
            elif slug in RESERVED:
                self.problems.error(rel, 1, f"file name '{path.name}' gives the reserved slug '{slug}': add a 'slug'")
        values["slug"] = slug

        if not document.body.strip():
            self.problems.warn(rel, document.body_line - 1, "article has no body text")
        lines = {key: read.line(node) for key, node in keys.items()}
        lines.setdefault("slug", 1)
        photo_lines = [read.line(item) for item in read.sequence("photos", keys.get("photos"))] if "photos" in keys else []
        lines["photos"] = photo_lines
        return _Article(path, rel, edition.id, page.label, values, lines, document, text.split("\n"))

    def _bylines(self, read: Reader, node: Node | None) -> tuple[Byline, ...]:
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

    def _photos(self, read: Reader, node: Node | None, base: Path) -> tuple[dict, ...]:
        photos = []
        for item in read.sequence("photos", node):
            keys = read.mapping(item, PHOTO_KEYS, required=("src",), what="a photo")
            if not keys or "src" not in keys:
                continue
            src = read.string("src", keys["src"])
            if not src:
                continue
            found = self._reference(read, keys["src"], base, src, "photo")
            size = self._image_size(read, keys["src"], found, src) if found else None
            if found is None:
                continue
            photos.append({
                "url": self.url(found),
                "caption": read.string("caption", keys.get("caption")),
                "credit": read.string("credit", keys.get("credit")),
                "alt": read.string("alt", keys.get("alt")),
                "size": size,
            })
        return tuple(photos)

    def _areas(self, read: Reader, key: str, node: Node | None) -> tuple[Area, ...]:
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
                read.error(group, f"'{key}' [{_num(x)}, {_num(y)}, {_num(w)}, {_num(h)}] must lie within the page: 0-100 percent")
                continue
            areas.append(Area(x, y, w, h))
        return tuple(areas)

    def _jumps(self, read: Reader, node: Node | None) -> tuple[tuple[Jump, int], ...]:
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
                areas = self._areas(read, "area", keys.get("area"))
            if label is None:
                continue
            if not is_label(label):
                read.error(item, f"'continued_on' page '{label}' is not a page label like 02 or A2")
                continue
            jumps.append((Jump(label, areas), read.line(item)))
        return tuple(jumps)

    def _corrections(self, read: Reader, node: Node | None) -> tuple[Correction, ...]:
        corrections = []
        for item in read.sequence("corrections", node):
            keys = read.mapping(item, CORRECTION_KEYS, required=("date", "text"), what="a correction")
            if not keys or "date" not in keys or "text" not in keys:
                continue
            moment = read.moment("date", keys["date"], self.config.zone, date_only=True)
            text = read.string("text", keys["text"])
            if moment and text:
                corrections.append(Correction(moment.date(), text))
        return tuple(corrections)

    # -- bodies: rendered once every article's front matter is known ----------------------

    def _render_bodies(self, editions: list[_Edition]) -> None:
        articles = {a.path: a for e in editions for p in e.pages.values() for a in p.articles}
        for article in articles.values():
            self._render_body(article, articles)

    def _render_body(self, article: _Article, articles: dict[Path, _Article]) -> None:
        document = article.document
        read = Reader(article.rel, self.problems)

        def resolve(target: str, tag: str) -> Resolved:
            line = document.body_line + _line_in(document.body, target)
            path_part, _, fragment = target.partition("#")
            path_part = path_part.split("?")[0]
            if tag == "a" and path_part.endswith(".md"):
                return self._article_link(read, article, articles, path_part, fragment, line)
            what = "image" if tag == "img" else "linked file"
            found = self._reference(read, None, article.path.parent, path_part, what, line=line)
            if found and tag == "img":
                return Resolved(None, self._image_size(read, None, found, target, line=line))
            return Resolved(None, None)

        try:
            rendered = self.renderer.render(document.body, resolve)
        except RecursionError:
            self.problems.error(article.rel, document.body_line, "body nested too deeply for Markdown (lists or quotes inside each other)")
            return
        html = rendered.html
        if not self.config.trust_raw_html:
            def removed(what: str, needle: str) -> None:
                index = document.body.lower().find(needle.lower())
                line = document.body_line + (document.body.count("\n", 0, index) if index >= 0 else 0)
                self.problems.warn(article.rel, line, what)

            html = sanitize.clean(html, removed)
        lint.lint_body(document.body, document.body_line, lambda line, rule, message: article.report(self.problems, line, rule, message))
        for photo, line in zip(article.fields["photos"], article.lines.get("photos", [])):
            if not photo["caption"]:
                message = "photo has no caption" if photo["alt"] else "photo has neither caption nor alt text"
                article.report(self.problems, line, "photo-caption", message)
        article.fields["body_html"] = html
        article.fields["text_length"] = rendered.text_length
        if article.fields["summary"] is None:
            article.fields["summary"] = cut_summary(rendered.first_paragraph)

    def _article_link(self, read: Reader, article: _Article, articles: dict[Path, _Article], target: str, fragment: str, line: int) -> Resolved:
        """A link to another article's Markdown file becomes a link to its page."""
        found = self._reference(read, None, article.path.parent, target, "link", line=line)
        if found is None:
            return Resolved(None, None)
        other = articles.get(found)
        if other is None:
            self.problems.error(article.rel, line, f"link to '{target}' does not match any article")
            return Resolved(None, None)
        if other.fields["draft"] and not self.drafts:
            self.problems.error(article.rel, line, f"link to '{target}', a draft that is not published")
            return Resolved(None, None)
        url = f"{other.edition}/{other.page}/{other.fields['slug']}.html"
        relative = posixpath.relpath(url, f"{article.edition}/{article.page}")
        return Resolved(relative + (f"#{fragment}" if fragment else ""), None)

    # -- whole-site checks and assembly ------------------------------------------------

    def _check_jumps(self, editions: list[_Edition]) -> None:
        for edition in editions:
            for page in edition.pages.values():
                slugs: dict[str, _Article] = {}
                for article in page.articles:
                    for jump, line in article.fields["continued_on"]:
                        if jump.page not in edition.pages:
                            self.problems.error(
                                article.rel, line,
                                f"'continued_on' names page {jump.page}, which edition {edition.id} does not have",
                            )
                        elif jump.page == page.label:
                            self.problems.error(article.rel, line, f"'continued_on' names the article's own page {jump.page}")
                        elif jump.areas and not edition.pages[jump.page].image:
                            self.problems.warn(article.rel, line, f"'area' on page {jump.page}, which has no page image")
                    if article.fields["areas"] and not page.image:
                        self.problems.warn(article.rel, article.lines["area"], "'area' given but the page has no 'image'")
                    slug = article.fields["slug"]
                    if slug is None:
                        continue
                    if slug in slugs:
                        other = slugs[slug]
                        self.problems.error(
                            article.rel, article.lines["slug"],
                            f"slug '{slug}' is also used by {other.rel}:{other.lines['slug']}; "
                            f"both would be written to {edition.id}/{page.label}/{slug}.html",
                        )
                    else:
                        slugs[slug] = article

    def _assemble(self, editions: list[_Edition]) -> Site:
        built: list[Edition] = []
        column_articles: dict[str, list[Article]] = {}
        column_refs: dict[str, ColumnRef] = {}
        for name in sorted({a.fields["column"] for e in editions for p in e.pages.values() for a in p.articles if a.fields["column"]}):
            slug = (self.columns_yaml.get(name) or (None,))[0] or slugify(name) or "column"
            column_refs[name] = ColumnRef(name, slug, f"columns/{slug}.html")
        self._check_column_slugs(column_refs)
        for edition in sorted(editions, key=lambda e: e.id, reverse=True):
            pages = []
            continued: dict[str, list[Continuation]] = {}
            for label in sorted(edition.pages, key=label_key):
                page = edition.pages[label]
                articles = [a for a in page.articles if self.drafts or not a.fields["draft"]]
                articles.sort(key=lambda a: (a.fields["order"] is None, a.fields["order"] or 0, a.path.name))
                made = tuple(self._make_article(a, page, column_refs) for a in articles)
                for article in made:
                    for jump in article.continued_on:
                        continued.setdefault(jump.page, []).append(Continuation(article, label, jump.areas))
                    if article.column:
                        column_articles.setdefault(article.column.name, []).append(article)
                pages.append(
                    Page(
                        edition=edition.id, label=label, url=f"{edition.id}/{label}/index.html",
                        name=page.name, editors=page.editors, image=page.image,
                        image_size=page.image_size, pdf=page.pdf, photo_credit=page.photo_credit,
                        articles=made,
                    )
                )
            pages = [replace(p, continued=tuple(continued.get(p.label, ()))) for p in pages]
            if not any(p.articles for p in pages):
                continue  # an edition of drafts only is not published yet
            built.append(
                Edition(
                    date=edition.day, id=edition.id, url=f"{edition.id}/index.html",
                    number=edition.number, label=edition.label, pages=tuple(pages),
                )
            )
        columns = tuple(
            Column(
                name=name, slug=ref.slug, url=ref.url,
                description=(self.columns_yaml.get(name) or (None, None))[1],
                articles=tuple(column_articles.get(name, ())),
            )
            for name, ref in sorted(column_refs.items(), key=lambda item: item[1].slug)
            if column_articles.get(name)
        )
        assets = tuple(sorted((self.rel(p), self.url(p)) for p in self.assets))
        return Site(editions=tuple(built), columns=columns, assets=assets)

    def _check_column_slugs(self, refs: dict[str, ColumnRef]) -> None:
        seen: dict[str, str] = {}
        for name, ref in sorted(refs.items()):
            if ref.slug in seen:
                self.problems.error(
                    "content/columns.yaml", (self.columns_yaml.get(name) or (0, 0, 0))[2],
                    f"columns '{seen[ref.slug]}' and '{name}' would both be written to {ref.url}: give one a 'slug'",
                )
            seen[ref.slug] = name

    def _make_article(self, draft: _Article, page: _Page, columns: dict[str, ColumnRef]) -> Article:
        f = draft.fields
        photos = tuple(
            Photo(
                url=p["url"], caption=p["caption"], credit=p["credit"] or page.photo_credit,
                alt=p["alt"] or p["caption"] or f["title"],
                width=p["size"][0] if p["size"] else None, height=p["size"][1] if p["size"] else None,
            )
            for p in f["photos"]
        )
        return Article(
            source=draft.rel, edition=draft.edition, page=draft.page, slug=f["slug"],
            url=f"{draft.edition}/{draft.page}/{f['slug']}.html",
            title=f["title"], kicker=f["kicker"], subtitle=f["subtitle"], bylines=f["bylines"],
            dateline=f["dateline"], column=columns.get(f["column"]) if f["column"] else None,
            columns=f["columns"], order=f["order"], photos=photos, summary=f["summary"],
            tags=f["tags"], date=f["date"], draft=f["draft"], areas=f["areas"],
            continued_on=tuple(j for j, _ in f["continued_on"]), corrections=f["corrections"],
            body_html=f["body_html"], text_length=f["text_length"],
        )


def _num(value: float) -> str:
    return f"{value:g}"


def _line_in(body: str, target: str) -> int:
    """The 0-based line of the body where a reference is written (0 when not found)."""
    index = body.find(target)
    return body.count("\n", 0, index) if index >= 0 else 0


def load_site(config: SiteConfig, problems: Problems, drafts: bool = False) -> Site | None:
    """Read and validate content/ into a Site; None when there were errors."""
    return Loader(config, problems, drafts).load()
