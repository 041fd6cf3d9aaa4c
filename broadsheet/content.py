"""Loading `content/`: every file read and validated, then the model assembled.

Nothing here writes. Every problem is collected in `Problems` with its file
and line; the model is built only from what validated.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from yaml.nodes import Node

from . import lint, phrases, taxonomy
from .articles import ArticleRecord, Settings, read_article, read_body
from .cache import BuildCache
from .config import SiteConfig
from .cache import BodyStore
from .markup import Body, BodyMeta, BodyText, render_body
from .model import (
    Article, Column, ColumnRef, Continuation, Edition, Page, Photo, Site, is_label, label_key, same_page,
)
from .parallel import fork_map
from .problems import Problem, Problems
from .schema import Reader, read_mapping_file, read_yaml_file, suggest
from .slugs import SLUG, slugify, warm as warm_slugs

EDITION_KEYS = ("number", "label")
PAGE_KEYS = ("name", "editor", "image", "pdf", "photo_credit")
COLUMN_KEYS = ("slug", "description")
_EDITION_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YAML_SUFFIXES = (".yaml", ".yml")
_NOT_RELATIVE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|/|\\)")


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
    record: ArticleRecord

    @property
    def lines(self) -> dict:
        """Key -> file line, for messages found after reading."""
        return self.record.lines

    def report(self, problems: Problems, line: int, rule: str, message: str) -> None:
        """A lint warning at a line, unless that line silences the rule."""
        if not lint.silenced(self.record.switches.get(line, ""), rule):
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

    def __init__(self, config: SiteConfig, problems: Problems, drafts: bool = False,
                 cache: BuildCache | None = None, jobs: int = 1, store: BodyStore | None = None):
        self.config = config
        self.problems = problems
        self.drafts = drafts
        self.cache = cache or BuildCache()
        self.store = store or BodyStore(config.root, "none", clean=True)
        self.live: set[str] = set()  # body keys of this build's articles
        self.jobs = jobs
        self.settings = Settings(config.zone, config.language, config.trust_raw_html)
        self.root = config.root.resolve()
        self.root_prefix = str(config.root) + os.sep  # rel() by slicing: pathlib costs 10 µs a call
        self.content = config.content_dir
        self.referenced: set[Path] = set()
        self.assets: set[Path] = set()
        self.others: list[Path] = []
        self.columns_yaml: dict[str, tuple[str | None, str | None, int]] = {}
        self.listings: dict[Path, frozenset[str]] = {}
        self.pending: list[tuple[_Edition, _Page, Path]] = []  # articles found by the walk
        self.unread: list[Path] = []  # articles whose front matter could not be read
        self.links = self.config.root.resolve() != self.config.root  # any symbolic link met on the way

    # -- paths -----------------------------------------------------------------

    def rel(self, path: Path) -> str:
        """A path relative to the site, '/'-separated, for messages."""
        text = str(path)
        if text.startswith(self.root_prefix):
            return text[len(self.root_prefix):].replace(os.sep, "/")
        return path.as_posix()

    def url(self, path: Path) -> str:
        """The output URL of a file under content/: the same path relative to content/."""
        return path.relative_to(self.content).as_posix()

    def _entries(self, folder: Path) -> list[Path]:
        """The entries of a folder, sorted, without ignored names or links out of the site."""
        try:
            with os.scandir(folder) as scan:
                found = sorted((entry.name, entry.is_symlink()) for entry in scan)
        except OSError as exc:
            self.problems.error(self.rel(folder), 0, f"cannot be read: {exc.strerror}")
            return []
        self.listings[folder] = frozenset(name for name, _ in found)
        entries = []
        for name, link in found:
            path = folder / name
            if ignored(name):
                continue
            self.links = self.links or link
            if link and not path.resolve().is_relative_to(self.root):
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
        self._read_articles()
        self._check_jumps(editions)
        self._render_bodies(editions)
        named = self._named_by_unread()
        for path in self.others:
            if (path.resolve() if self.links else path) not in self.referenced and path not in named:
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
                self.pending.append((edition, page, entry))  # read after the walk, on all cores
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

        if _NOT_RELATIVE.match(target) or "\\" in target or "\x00" in target:
            report(f"{what} '{target}' must be a path relative to the file, inside content/")
            return None
        candidate = Path(os.path.normpath(base / target))
        # Resolving costs a system call per folder; without links under content/ it changes nothing.
        resolved = candidate.resolve() if self.links else candidate
        if not candidate.is_relative_to(self.content) or (self.links and not resolved.is_relative_to(self.root)):
            report(f"{what} '{target}' is outside content/")
            return None
        if not candidate.is_file() or not self._exact_case(candidate):
            hint = self._case_hint(candidate, target)
            report(f"{what} '{target}' not found{hint}")
            return None
        self.referenced.add(resolved)
        self.assets.add(candidate)
        return candidate

    def _listing(self, folder: Path) -> frozenset[str]:
        """The names in a folder, read once per build."""
        names = self.listings.get(folder)
        if names is None:
            try:
                names = frozenset(os.listdir(folder))
            except OSError:
                names = frozenset()
            self.listings[folder] = names
        return names

    def _exact_case(self, path: Path) -> bool:
        """True when every part of the path exists with exactly this spelling."""
        current = self.content
        for part in path.relative_to(self.content).parts:
            if part not in self._listing(current):
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
                misspelt = candidate.parent / name
                self.referenced.add(misspelt.resolve() if self.links else misspelt)  # named, if misspelt
                return f" (did you mean '{target[: len(target) - len(candidate.name)]}{name}'?)"
        return ""

    def _image_size(self, read: Reader, node: Node | None, path: Path, target: str, line: int | None = None) -> tuple[int, int] | None:
        size = self.cache.image_size(path, path.stat(), _measure)
        if size is None:
            message = f"'{target}' is not an image (PNG, JPEG, GIF or WebP)"
            if line is not None:
                self.problems.error(read.rel, line, message)
            else:
                read.error(node, message)
        return size

    # -- articles ------------------------------------------------------------------

    def _read_articles(self) -> None:
        """Read every article found by the walk: from the cache when unchanged, else on all cores."""
        records: list[ArticleRecord | None] = [None] * len(self.pending)
        todo: list[int] = []
        stats: dict[int, os.stat_result] = {}
        for index, (_, _, path) in enumerate(self.pending):
            rel = self.rel(path)
            try:
                stat = path.stat()
            except OSError as exc:
                self.problems.error(rel, 0, f"cannot be read: {exc.strerror}")
                continue
            cached = self.cache.sources.get(rel)
            if cached and cached[0] == stat.st_mtime_ns and cached[1] == stat.st_size:
                records[index] = cached[2]
            else:
                todo.append(index)
                stats[index] = stat
        settings, known = self.settings, self.cache.bodies

        def read(index: int):
            edition, _, path = self.pending[index]
            rel = self.rel(path)
            try:
                data = path.read_bytes()
            except OSError as exc:
                return None, None, exc.strerror
            record, document = read_article(data, rel, path.stem, edition.day, settings)
            body = None
            if record.values is not None and record.body_key not in known:
                try:
                    body = render_body(settings.language, document.body, document.body_line, settings.trust_raw_html)
                except RecursionError:
                    body = None  # reported when the body is missed below
            return record, body, None

        # A first build of a Chinese site transliterates every tag and name afterwards: the
        # dictionaries load here while the workers read, not after them with the cores idle.
        cold = self.config.language == "zh-CN" and not self.cache.slugs and not taxonomy.memo(self.config).slugs
        found = fork_map(read, todo, self.jobs, meanwhile=warm_slugs if cold else None)
        for index, (record, body, failure) in zip(todo, found):
            rel = self.rel(self.pending[index][2])
            if failure is not None:
                self.problems.error(rel, 0, f"cannot be read: {failure}")
                continue
            records[index] = record
            self.cache.sources[rel] = (stats[index].st_mtime_ns, stats[index].st_size, record)
            if body is not None:
                self.cache.bodies[record.body_key] = body.meta
                self.store.put(record.body_key, body.html)
            self.cache.dirty = True
        for (edition, page, path), record in zip(self.pending, records):
            if record is None:
                self.unread.append(path)
                continue
            self.problems.items.extend(record.problems)
            if record.values is None:
                self.unread.append(path)
                continue
            phrases.known(record.phrases)
            rel = self.rel(path)
            fields = dict(record.values)
            fields["photos"] = self._photos(Reader(rel, self.problems), fields["photos"], path.parent)
            page.articles.append(_Article(path, rel, edition.id, page.label, fields, record))

    def _named_by_unread(self) -> set[Path]:
        """The other files that an article which failed to read names by their path: whether it
        uses them is not known, so they are not called unreferenced (its error says what to fix)."""
        named: set[Path] = set()
        for article in self.unread:
            try:
                text = article.read_bytes().decode("utf-8", "replace")
            except OSError:
                continue
            for path in self.others:
                if path.is_relative_to(article.parent) and path.relative_to(article.parent).as_posix() in text:
                    named.add(path)
        return named

    def _photos(self, read: Reader, photos: tuple[dict, ...], base: Path) -> tuple[dict, ...]:
        found_photos = []
        for photo in photos:
            found = self._reference(read, None, base, photo["src"], "photo", line=photo["src_line"])
            if found is None:
                continue
            size = self._image_size(read, None, found, photo["src"], line=photo["src_line"])
            found_photos.append(dict(photo, url=self.url(found), size=size))
        return tuple(found_photos)

    # -- bodies: rendered once every article's front matter is known ----------------------

    def _render_bodies(self, editions: list[_Edition]) -> None:
        articles = {a.path: a for e in editions for p in e.pages.values() for a in p.articles}
        wanted = {
            a.record.body_key: a for a in articles.values()
            if a.record.body_key not in self.cache.bodies or not self.store.may_have(a.record.body_key)
        }
        language, trust = self.config.language, self.config.trust_raw_html

        def render(article: _Article) -> Body | None:
            document = read_body(article.path, article.rel)
            if document is None:
                return None
            try:
                return render_body(language, document.body, document.body_line, trust)
            except RecursionError:
                return None

        todo = list(wanted.values())
        for key, body in zip(wanted, fork_map(lambda index: render(todo[index]), range(len(todo)), self.jobs)):
            if body is not None:
                self.cache.bodies[key] = body.meta
                self.store.put(key, body.html)
                self.cache.dirty = True
        for article in articles.values():
            self._finish_body(article, articles)

    def _finish_body(self, article: _Article, articles: dict[Path, _Article]) -> None:
        body = self.cache.bodies.get(article.record.body_key)
        self.live.add(article.record.body_key)
        if body is None:
            self.problems.error(article.rel, article.record.body_line,
                                "body nested too deeply for Markdown (lists or quotes inside each other)")
            return
        read = Reader(article.rel, self.problems)
        resolved = {}
        for reference in body.references:
            path_part, _, fragment = reference.target.partition("#")
            path_part = path_part.split("?")[0]
            if reference.tag == "a" and path_part.endswith(".md"):
                url = self._article_link(read, article, articles, path_part, fragment, reference.line)
                resolved[reference.token] = (url or reference.target, None)
                continue
            what = "image" if reference.tag == "img" else "linked file"
            found = self._reference(read, None, article.path.parent, path_part, what, line=reference.line)
            size = None
            if found and reference.tag == "img":
                size = self._image_size(read, None, found, reference.target, line=reference.line)
            resolved[reference.token] = (reference.target, size)
        self.problems.items.extend(body_warnings(article.rel, article.record.switches, body))
        for photo, line in zip(article.fields["photos"], article.lines.get("photos", [])):
            if not photo["caption"]:
                message = "photo has no caption" if photo["alt"] else "photo has neither caption nor alt text"
                article.report(self.problems, line, "photo-caption", message)
        article.fields["body"] = BodyText(
            article.record.body_key, tuple((t, u, s) for t, (u, s) in resolved.items()), body, self.store,
            (str(article.path), article.rel, self.config.language, self.config.trust_raw_html),
        )
        article.fields["text_length"] = body.text_length
        if article.fields["summary"] is None:
            article.fields["summary"] = body.summary

    def _article_link(self, read: Reader, article: _Article, articles: dict[Path, _Article], target: str, fragment: str, line: int) -> str | None:
        """A link to another article's Markdown file becomes a link to its page."""
        found = self._reference(read, None, article.path.parent, target, "link", line=line)
        if found is None:
            return None
        other = articles.get(found)
        if other is None:
            self.problems.error(article.rel, line, f"link to '{target}' does not match any article")
            return None
        if other.fields["draft"] and not self.drafts:
            self.problems.error(article.rel, line, f"link to '{target}', a draft that is not published")
            return None
        url = f"{other.edition}/{other.page}/{other.fields['slug']}.html"
        relative = posixpath.relpath(url, f"{article.edition}/{article.page}")
        return relative + (f"#{fragment}" if fragment else "")

    # -- whole-site checks and assembly ------------------------------------------------

    def _check_jumps(self, editions: list[_Edition]) -> None:
        for edition in editions:
            for page in edition.pages.values():
                slugs: dict[str, _Article] = {}
                for article in page.articles:
                    jumps = article.fields["continued_on"] = tuple(
                        (replace(jump, page=same_page(jump.page, edition.pages) or jump.page), line)
                        for jump, line in article.fields["continued_on"])  # `2` is the page in folder 02
                    for jump, line in jumps:
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
        unpublished: list[str] = []
        for name in sorted({a.fields["column"] for e in editions for p in e.pages.values() for a in p.articles if a.fields["column"]}):
            slug = (self.columns_yaml.get(name) or (None,))[0] or self.cache.slug(name, slugify) or "column"
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
                if any(p.articles for p in edition.pages.values()):
                    unpublished.append(edition.id)  # an edition of drafts only is not published yet
                continue
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
        return Site(editions=tuple(built), columns=columns, assets=assets, unpublished=tuple(unpublished))

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
            continued_on=tuple(j for j, _ in f["continued_on"]), corrections=f["corrections"], title_breaks=f["title_breaks"],
            body=f["body"], text_length=f["text_length"],
        )


def body_warnings(rel: str, switches: dict, meta: BodyMeta) -> list[Problem]:
    """A body's warnings: what the raw-HTML policy removed, and what the lint found where no
    `lint:` switch on the line silences it."""
    found = [Problem(rel, line, what, warning=True) for line, what in meta.removals]
    found += [Problem(rel, line, message, warning=True) for line, rule, message in meta.findings
              if not lint.silenced(switches.get(line, ""), rule)]
    return found


def _measure(path: Path) -> tuple[int, int] | None:
    try:
        with Image.open(path) as image:
            return image.size
    except (UnidentifiedImageError, OSError):
        return None


def load_site(config: SiteConfig, problems: Problems, drafts: bool = False,
              cache: BuildCache | None = None, jobs: int = 1, store: BodyStore | None = None) -> Site | None:
    """Read and validate content/ into a Site; None when there were errors."""
    return Loader(config, problems, drafts, cache, jobs, store).load()
