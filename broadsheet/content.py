"""Loading `content/`: the walk of its folders, every file read and validated, then the bodies
resolved (`bodies`) and the model assembled (`assemble`).

Nothing here writes. Every problem is collected in `Problems` with its file
and line; the model is built only from what validated.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Callable

from . import phrases
from .articles import ArticleRecord, Settings, read_article
from .assemble import Assembler, SourceArticle, SourceEdition, SourcePage
from .bodies import BodyReader
from .cache import BodyStore, BuildCache
from .config import SiteConfig
from .markup import render_body
from .model import Site, is_label, label_key
from .parallel import fork_stream
from .problems import Problems
from .references import References
from .replica.pages import Replicas
from .schema import Reader, read_mapping_file, read_yaml_file, suggest
from .scanning import ignored
from .slugs import SLUG
from .slugs import warm as warm_slugs

EDITION_KEYS = ("number", "label")
PAGE_KEYS = ("name", "editor", "image", "pdf", "photo_credit")
COLUMN_KEYS = ("slug", "description")
_EDITION_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YAML_SUFFIXES = (".yaml", ".yml")


class Loader:
    """Reads a site's content folder into a `Site`, reporting every problem."""

    def __init__(self, config: SiteConfig, problems: Problems, drafts: bool = False,
                 cache: BuildCache | None = None, jobs: int = 1, store: BodyStore | None = None, write: bool = True,
                 meanwhile: Callable[[], None] | None = None, scanned: dict[str, tuple[int, int]] | None = None):
        self.config = config
        # each file's (mtime_ns, size) by its path in the site, as this build's scan found them
        # moments ago: an article's is looked up there, not asked of the system again
        self.scanned = scanned or {}
        self.meanwhile = meanwhile  # the caller's work done here while the workers read the articles
        self.problems = problems
        self.drafts = drafts
        self.cache = cache or BuildCache()
        self.store = store or BodyStore(config.root, "none", clean=True)
        self.jobs = jobs
        self.settings = Settings(config.zone, config.language, config.trust_raw_html)
        self.content = config.content_dir
        self.files = References(config, problems, self.cache, self.store.clean)
        self.rel = self.files.rel
        self.others: list[Path] = []
        self.columns_yaml: dict[str, tuple[str | None, str | None, int]] = {}
        self.pending: list[tuple[SourceEdition, SourcePage, Path]] = []  # articles found by the walk
        self.bodies = BodyReader(config, problems, self.cache, self.store, self.files, drafts, jobs)
        self.live = self.bodies.live  # body keys of this build's articles
        self.assembler = Assembler(problems, self.cache, self.files, drafts, self.columns_yaml)
        self.unread: list[Path] = []  # articles whose front matter could not be read
        self.replicas = Replicas(config.root, problems, self.cache, self.files, jobs, write)

    # -- the walk ----------------------------------------------------------------

    def _entries(self, folder: Path) -> list[tuple[Path, bool]]:
        """The entries of a folder, sorted, without ignored names or links out of the site; each
        with whether it is a folder (as the listing says: no system call but for a link)."""
        try:
            with os.scandir(folder) as scan:
                found = sorted((entry.name, entry.is_symlink(), _is_dir(entry)) for entry in scan)
        except OSError as exc:
            self.problems.error(self.rel(folder), 0, f"cannot be read: {exc.strerror}")
            return []
        self.files.listings[str(folder)] = frozenset(name for name, _, _ in found)  # as `listing` looks it up
        entries = []
        for name, link, is_dir in found:
            path = folder / name
            if ignored(name):
                continue
            self.files.links = self.files.links or link
            if link and not path.resolve().is_relative_to(self.files.root):
                self.problems.error(self.rel(path), 0, "symbolic link to a path outside the site; not followed")
                continue
            entries.append((path, is_dir))
        return entries

    def load(self) -> Site | None:
        """Read everything; return the site, or None when there were errors."""
        if not self.content.is_dir():
            self.problems.error("content", 0, "folder not found: the articles go in content/")
            return None
        editions: list[SourceEdition] = []
        for entry, is_dir in self._entries(self.content):
            if is_dir:
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
        self.replicas.read_all()
        self.assembler.check_jumps(editions)
        self.bodies.resolve_all(editions)
        self.replicas.locate(editions, self.store, self.drafts)
        named = self._named_by_unread()
        for path in self.others:
            if (path.resolve() if self.files.links else path) not in self.files.referenced and path not in named:
                self.problems.warn(self.rel(path), 0, "file is not referenced by any article or page; not copied")
        if self.problems.errors:
            return None
        return replace(self.assembler.assemble(editions), located=frozenset(self.replicas.located))

    def _edition(self, folder: Path) -> SourceEdition | None:
        try:
            day = date.fromisoformat(folder.name)
        except ValueError:
            self.problems.error(self.rel(folder), 0, f"edition folder '{folder.name}' is not a real date")
            return None
        edition = SourceEdition(folder.name, day)
        for entry, is_dir in self._entries(folder):
            if is_dir:
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

    def _edition_yaml(self, edition: SourceEdition, path: Path) -> None:
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

    def _page(self, edition: SourceEdition, folder: Path) -> SourcePage:
        page = SourcePage(folder.name, self.rel(folder))
        for entry, is_dir in self._entries(folder):
            if is_dir:
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
        for entry, is_dir in self._entries(folder):
            if is_dir:
                self._page_files(entry)
            elif entry.suffix == ".md" or entry.suffix in _YAML_SUFFIXES:
                self.problems.error(
                    self.rel(entry), 0,
                    "Markdown or YAML file in a page's sub-folder: articles and page.yaml go in the page folder itself",
                )
            else:
                self.others.append(entry)

    def _page_yaml(self, page: SourcePage, path: Path) -> None:
        loaded = read_mapping_file(path, self.rel(path), self.problems, PAGE_KEYS, what="page.yaml")
        if not loaded:
            return
        keys, read = loaded
        page.name = read.string("name", keys.get("name"))
        page.editors = read.string_list("editor", keys.get("editor"), allow_single=True)
        page.photo_credit = read.string("photo_credit", keys.get("photo_credit"))
        image = read.string("image", keys.get("image"))
        if image is not None:
            found = self.files.resolve(read, keys["image"], path.parent, image, "page image")
            picture = self.files.picture(read, keys["image"], found, image, full=True) if found else None
            if picture:
                page.image, page.image_size, page.picture = picture.fallback.url, (picture.width, picture.height), picture
        pdf = read.string("pdf", keys.get("pdf"))
        if pdf is not None:
            found = self.files.resolve(read, keys["pdf"], path.parent, pdf, "PDF")
            if found:
                page.pdf = self.files.url(found)
                self.replicas.want(page, read.rel, read.line(keys["pdf"]), pdf, found)

    # -- articles ------------------------------------------------------------------

    def _cached_records(self) -> tuple[list[ArticleRecord | None], dict[int, tuple[int, int]]]:
        """The articles whose file is as the cache saw it (their records), and the (mtime_ns, size)
        of the others, to be read, by their index in `pending`."""
        records: list[ArticleRecord | None] = [None] * len(self.pending)
        stats: dict[int, tuple[int, int]] = {}
        scanned, sources = self.scanned, self.cache.sources
        for index, (_, _, path) in enumerate(self.pending):
            rel = self.rel(path)
            seen = scanned.get(rel)
            if seen is None:  # not scanned (a file made since, or one the scan names otherwise)
                try:
                    stat = path.stat()
                except OSError as exc:
                    self.problems.error(rel, 0, f"cannot be read: {exc.strerror}")
                    continue
                seen = (stat.st_mtime_ns, stat.st_size)
            cached = sources.get(rel)
            if cached and cached[0] == seen[0] and cached[1] == seen[1]:
                records[index] = cached[2]
            else:
                stats[index] = seen
        return records, stats

    def _read_articles(self) -> None:
        """Read every article found by the walk: from the cache when unchanged, else on all cores,
        each taken in here as it arrives while the workers read the next ones."""
        records, stats = self._cached_records()
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
                    body = render_body(settings.language, document.body, document.body_line, settings.trust_raw_html,
                                       record.body_key)
                except RecursionError:
                    body = None  # reported when the body is missed below
            return record, body, None

        found = fork_stream(read, list(stats), self.jobs, meanwhile=self._meanwhile)
        try:
            for index, (edition, page, path) in enumerate(self.pending):
                self._place(edition, page, path, self._take(index, stats[index], next(found)) if index in stats
                            else records[index])
            for _ in found:  # none is left: this ends the workers (or, with no article to read, does `meanwhile`)
                pass
        finally:
            found.close()  # the workers end here whatever happened

    def _place(self, edition: SourceEdition, page: SourcePage, path: Path, record: ArticleRecord | None) -> None:
        """An article read (None: it could not be), its problems reported, on its page."""
        if record is None:
            self.unread.append(path)
            return
        self.problems.items.extend(record.problems)
        if record.values is None:
            self.unread.append(path)
            return
        phrases.known(record.phrases)
        rel = self.rel(path)
        fields = dict(record.values)
        fields["photos"] = self._photos(Reader(rel, self.problems), fields["photos"], path.parent)
        page.articles.append(SourceArticle(path, rel, edition.id, page.label, fields, record))

    def _meanwhile(self) -> None:
        """What this process does while the workers read the articles: a first build of a Chinese
        site transliterates every tag and name afterwards, so the dictionaries load now, not
        after the workers with the cores idle; and the caller's own work (`meanwhile`)."""
        if self.config.language == "zh-CN" and not self.cache.slugs:
            warm_slugs()
        if self.meanwhile:
            self.meanwhile()

    def _take(self, index: int, seen: tuple[int, int], found: tuple) -> ArticleRecord | None:
        """An article read by a worker, kept in the cache (and its body in the store); None when
        it could not be read."""
        record, body, failure = found
        rel = self.rel(self.pending[index][2])
        if failure is not None:
            self.problems.error(rel, 0, f"cannot be read: {failure}")
            return None
        self.cache.sources[rel] = (*seen, record)
        if body is not None:
            self.cache.bodies[record.body_key] = body.meta
            self.store.put(record.body_key, body.html)
        self.cache.dirty = True
        return record

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
            found = self.files.resolve(read, None, base, photo["src"], "photo", line=photo["src_line"])
            if found is None:
                continue
            picture = self.files.picture(read, None, found, photo["src"], line=photo["src_line"])
            if picture is not None:
                found_photos.append(dict(photo, picture=picture))
        return tuple(found_photos)


def _is_dir(entry: os.DirEntry) -> bool:
    """`Path.is_dir()` of a listed entry, which follows a link and is False where it cannot tell."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def load_site(config: SiteConfig, problems: Problems, drafts: bool = False,
              cache: BuildCache | None = None, jobs: int = 1, store: BodyStore | None = None,
              write: bool = True) -> Site | None:
    """Read and validate content/ into a Site (`write`: the page pictures drawn from PDFs into the
    cache); None when there were errors."""
    return Loader(config, problems, drafts, cache, jobs, store, write).load()
