"""The build's side of the page replica: each `page.yaml`'s PDF read once per content digest (the
reading kept in the build cache, the picture in `.broadsheet-cache/pictures/pages/`), the page
picture set where the page names no `image`, and the areas found for the articles that give none.

An unchanged PDF is never opened again: its file's size and time lead to its digest, the digest
to its reading and picture; the areas found on a page are kept by everything they were found
from (the PDFs' digests, each story's texts), so a rebuild does no PDF work at all.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path

from .. import cache as build_cache
from ..assemble import SourcePage
from ..articles import read_body
from ..model import Area
from . import layout, matching, pdf

PICTURES = ("pictures", "pages")  # under .broadsheet-cache/
_TAG = re.compile(r"<[^>]*>")
#: the replica's own code and PDFium's version: readings, areas and pictures of others are not used
CODE = hashlib.blake2b(b"".join(p.read_bytes() for p in sorted(Path(__file__).parent.glob("*.py")))
                       + metadata.version("pypdfium2").encode(), digest_size=8).hexdigest()


@dataclass(frozen=True)
class Reading:
    """A PDF's first page as the build keeps it: its size in points, the document's page count,
    its printed lines (none: no text layer)."""

    digest: str
    width: float
    height: float
    pages: int
    lines: tuple[layout.Line, ...]


@dataclass
class Wanted:
    """A page's PDF as `page.yaml` names it, and what was read of it."""

    page: SourcePage
    rel: str  # page.yaml, for messages
    line: int  # the `pdf:` line
    name: str  # the PDF as written there
    path: Path
    explicit_image: bool
    reading: Reading | None = None


def open_pdf(path: Path, picture: Path | None) -> Reading | str:
    """Read a PDF file (and render its picture): the reading, or what is wrong with it."""
    try:
        data = path.read_bytes()
        printed = pdf.read(data, picture)
    except pdf.BadPdf as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    return Reading(_digest(data), printed.width, printed.height, printed.pages, layout.lines(printed.chars))


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Replicas:
    """The PDFs of a build's pages: read (`read_all`) and their articles located (`locate`)."""

    def __init__(self, root: Path, problems, cache: build_cache.BuildCache, files, jobs: int, write: bool):
        self.root = root
        self.problems = problems
        self.cache = cache
        self.files = files
        self.jobs = jobs
        self.write = write
        self.pictures = root / build_cache.FOLDER / Path(*PICTURES)
        self.wanted: dict[str, Wanted] = {}  # by the page's folder
        self.kept: dict = {}  # the cache entries this build uses
        self.located: set[str] = set()  # articles whose areas depend on a PDF's text

    def want(self, page, rel: str, line: int, name: str, path: Path) -> None:
        """Note a page's PDF, to be read with the others by `read_all`."""
        self.wanted[page.rel] = Wanted(page, rel, line, name, path, page.image is not None)

    def picture(self, digest: str) -> Path:
        """Where the picture of the PDF with this digest is kept."""
        return self.pictures / f"{digest}-{CODE}.png"

    def read_all(self) -> None:
        """Read every noted PDF the cache does not know (on all cores), report the bad ones at
        their `pdf:` line, and give each page without `image` its picture."""
        from ..parallel import fork_map

        todo: dict[Path, tuple[Wanted, Path | None]] = {}
        for wanted in self.wanted.values():
            digest, wanted.reading = self._known(wanted)
            if wanted.reading is None and wanted.path not in todo:
                drawn = digest is not None and self.write and not wanted.explicit_image
                todo[wanted.path] = (wanted, self.picture(digest) if digest is not None and drawn else None)
        jobs = list(todo.values())
        found = fork_map(lambda i: open_pdf(jobs[i][0].path, jobs[i][1]), range(len(jobs)), self.jobs, min_items=2)
        for (wanted, _), reading in zip(jobs, found):
            if isinstance(reading, str):
                self.problems.error(wanted.rel, wanted.line, f"PDF '{wanted.name}' {reading}")
                continue
            self.cache.replicas[("pdf", CODE, reading.digest)] = reading
            self.cache.dirty = True
            for other in self.wanted.values():
                if other.path == wanted.path:
                    other.reading = reading
        for wanted in self.wanted.values():
            if wanted.reading is not None:
                self._page(wanted)

    def _known(self, wanted: Wanted) -> tuple[str | None, Reading | None]:
        """The PDF's digest (its bytes read only when its size or time changed), and its reading
        when the cache has it, with its picture where one is needed."""
        try:
            stat = wanted.path.stat()
        except OSError:
            return None, None
        key = ("stat", str(wanted.path))
        entry = self.cache.replicas.get(key)
        if not entry or entry[:2] != (stat.st_mtime_ns, stat.st_size):
            try:
                entry = (stat.st_mtime_ns, stat.st_size, _digest(wanted.path.read_bytes()))
            except OSError:
                return None, None
            self.cache.replicas[key] = entry
            self.cache.dirty = True
        self.kept[key] = entry
        reading = self.cache.replicas.get(("pdf", CODE, entry[2]))
        if reading is not None and self.write and not wanted.explicit_image and not self.picture(entry[2]).is_file():
            reading = None  # the picture was lost from the cache: drawn again
        return entry[2], reading

    def _page(self, wanted: Wanted) -> None:
        """The page picture of a page without `image`, and the warning for a PDF of several pages."""
        reading = wanted.reading
        assert reading is not None
        self.kept[("pdf", CODE, reading.digest)] = reading
        if reading.pages > 1:
            self.problems.warn(wanted.rel, wanted.line, f"PDF '{wanted.name}' has {reading.pages} pages: the page "
                                                        "replica shows page 1 (give each printed page a PDF of its own)")
        if wanted.explicit_image:
            return
        page = wanted.page
        url = self.files.url(wanted.path)
        url = (url[:-4] if url.lower().endswith(".pdf") else url) + ".png"
        if url.rsplit("/", 1)[-1] in self.files.listing(wanted.path.parent):
            url = self.files.url(wanted.path) + ".png"  # a file of that name is the newsroom's
        page.image = url
        page.image_size = pdf.picture_size(reading.width, reading.height)
        if self.write:  # published as derivatives, like any page picture (pictures/)
            drawn = self.files.pictures.add(self.picture(reading.digest), url, wanted.name, True,
                                                (wanted.rel, wanted.line))
            if isinstance(drawn, str):
                self.problems.error(wanted.rel, wanted.line, drawn)
            else:
                page.image, page.image_size, page.picture = drawn.fallback.url, (drawn.width, drawn.height), drawn

    def locate(self, editions: list, store, drafts: bool) -> None:
        """Give each article without `area` on a page with a PDF the areas where its text is
        printed there (and on the pages it continues on, 上接); warn about what is not found."""
        for edition in editions:
            published = {label: [a for a in page.articles if drafts or not a.fields["draft"]]
                         for label, page in edition.pages.items()}
            for label, page in edition.pages.items():
                wanted = self.wanted.get(page.rel)
                if wanted is None or wanted.reading is None:
                    continue
                own = published[label]
                continued = [(article, number) for other, articles in published.items() if other != label
                             for article in articles
                             for number, (jump, _) in enumerate(article.fields["continued_on"]) if jump.page == label]
                needing = [a for a in own if not a.fields["areas"]]
                jumping = [(a, n) for a, n in continued if not a.fields["continued_on"][n][0].areas]
                if (needing or jumping) and self._usable(wanted):
                    stories = own + [a for a, _ in continued if a not in own]
                    self.located.update(a.rel for a in stories)
                    found = self._found(wanted.reading, stories, store)
                    self._apply(wanted, label, found, needing, jumping)
        self._finish()

    def _usable(self, wanted: Wanted) -> bool:
        """True when hotspots can be found on this PDF: it has text, and the page's own picture
        (if any) is the shape of its page; else the page's one warning."""
        reading, where = wanted.reading, self.files.rel(wanted.path)
        assert reading is not None
        if not reading.lines:
            self.problems.warn(wanted.rel, wanted.line, f"PDF '{wanted.name}' has no text layer (a scanned page?): "
                                                        "hotspots cannot be found on it; give its articles an 'area'")
            return False
        size = wanted.page.image_size
        if wanted.explicit_image and size and abs(size[0] / size[1] - reading.width / reading.height) > 0.01 * reading.width / reading.height:
            self.problems.warn(wanted.rel, wanted.line, (
                f"the page picture ({size[0]}×{size[1]}) is not the shape of the page in '{where}' "
                f"({reading.width:g}×{reading.height:g} pt): hotspots are not found from the PDF; give its articles an 'area'"))
            return False
        return True

    def _apply(self, wanted: Wanted, label: str, found: dict, needing: list, jumping: list) -> None:
        where = self.files.rel(wanted.path)
        for article in needing:
            areas = found.get(article.rel, ())
            if areas:
                article.fields["areas"] = tuple(Area(*area) for area in areas)
            else:
                self.problems.warn(article.rel, article.lines.get("title", 0), (
                    f"not found on page {label}'s PDF '{where}' (neither its headline nor its text is printed there): "
                    "no hotspot; check that this is the printed story, or give it an 'area'"))
        for article, number in jumping:
            areas = found.get(article.rel, ())
            jumps = list(article.fields["continued_on"])
            jump, line = jumps[number]
            if areas:
                jumps[number] = (replace(jump, areas=tuple(Area(*area) for area in areas)), line)
                article.fields["continued_on"] = tuple(jumps)
            else:
                self.problems.warn(article.rel, line, (
                    f"not found on page {label}'s PDF '{where}', which 'continued_on' names: no hotspot there; "
                    "check the page, or give it an area there ({page, area})"))

    def _found(self, reading: Reading, articles: list, store) -> dict:
        """The areas of the stories on a page, kept by everything they are found from."""
        key = ("found", CODE, build_cache.hash_parts(reading.digest, *(_identity(a) for a in articles)))
        found = self.cache.replicas.get(key)
        if found is None:
            stories = [_story(article, store) for article in articles]
            found = matching.locate(reading.lines, reading.width, reading.height, stories)
            self.cache.replicas[key] = found
            self.cache.dirty = True
        self.kept[key] = found
        return found

    def _finish(self) -> None:
        """Keep in the cache only the entries this build used; when writing, only its pictures."""
        if self.kept.keys() != self.cache.replicas.keys():
            self.cache.replicas = dict(self.kept)
            self.cache.dirty = True
        if not self.write or not self.pictures.is_dir():
            return
        used = {self.picture(w.reading.digest).name for w in self.wanted.values() if w.reading}
        for path in self.pictures.iterdir():
            if path.name not in used:
                path.unlink(missing_ok=True)


def _identity(article) -> str:
    """Everything of an article that its areas are found from."""
    f = article.fields
    photos = [(p["caption"], p["credit"]) for p in f["photos"]]
    return repr((article.rel, f["title"], f["kicker"], f["subtitle"], f["dateline"], f["bylines"], photos,
                 article.record.body_key))


def _story(article, store) -> matching.Story:
    """An article's texts as the matching compares them."""
    f = article.fields
    body = store.get(article.record.body_key)
    if body is None:
        document = read_body(article.path, article.rel)
        body = document.body if document else ""
    body = html.unescape(_TAG.sub("", body))
    heads = tuple(text for text in (layout.normalise(f[k] or "") for k in ("title", "kicker", "subtitle")) if text)
    furniture = [b.text or " ".join(((b.role or ""), *b.names)) for b in f["bylines"]]
    furniture += [f["dateline"] or ""] + [p[k] or "" for p in f["photos"] for k in ("caption", "credit")]
    text = "\n".join(layout.normalise(part) for part in (*heads, *furniture, body))
    return matching.Story(article.rel, heads, text)
