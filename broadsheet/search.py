"""Site search: Pagefind indexes of every article, written into the output by the build.

Pagefind (https://pagefind.app, the `pagefind[bin]` package from PyPI: a Rust
binary, no network) makes a static index that the browser loads in small
pieces, so search works on any static host and without a network.

**Chinese.** Pagefind splits Chinese into words with jieba when indexing and with
the browser's `Intl.Segmenter` when searching; where the two disagree, or where
the reader's word sits inside a longer word (网格 in 网格员), the article is not
found. So Broadsheet gives Pagefind no Chinese at all: every run of Han
characters becomes its overlapping character pairs (bigrams: 网格员 → 网格 格员),
plus its last character alone (marked, `END`), each written as a token of letters
(`_code`: four letters per character); `static/js/search.js` turns the reader's
query into the same tokens. Any two adjacent characters of the text are then a
whole word of the index, so a two-character word in the middle of a sentence
always finds its article; a longer query matches its pairs as a phrase. English
and other words go to Pagefind as they are. The results show the article's
headline, edition date, page and an excerpt around the match, all from
metadata kept with each record (`META`).

**Buckets.** Indexing 10,000 articles takes Pagefind tens of seconds, too long
for every rebuild. So the index is split: each of the newest seven editions
has its own bundle (`2026-11-27/search/`), older editions are grouped by month
for the newest edition's year and the year before (`search/2026-10/`), and by
year before that (`search/2024/`). A build indexes only the buckets whose
articles changed (a digest of what is indexed, kept in each bundle as
`broadsheet-digest.txt`) and links the others from the previous output; the
browser merges the bundles (Pagefind's `mergeIndex`). Editing an article of a
recent edition re-indexes one edition; a new edition re-indexes it and the month
its eighth-newest edition moves into. See README, "Search".
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .i18n import Interface
from .model import Article, Edition, Page, Site

if TYPE_CHECKING:
    from .pipeline import Loaded
    from .output import Staging
    from .problems import Problems
    from .render import Digests

RECENT = 7  # the newest editions, one bundle each
FORMAT = "broadsheet-search 1"  # bump when the records change shape
DIGEST_FILE = "broadsheet-digest.txt"
FOLDER = "search"  # the search page, and the month and year bundles
UNUSED = (  # Pagefind's ready-made interfaces: the theme has its own (static/js/search.js)
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
    "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js",
)

# Han characters: the CJK unified ideographs, extension A, compatibility ideographs, extensions B–H.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_CODES: dict[str, str] = {}
# Marks a run's last character when indexed alone. A code starts with a–l (code points below
# 12 × 26³), so `…z` is never the start of a pair: Pagefind, which also matches index words that
# begin a query word, cannot take the lone 田 of 农田 for the query 田面.
END = "z"


def _code(char: str) -> str:
    """A Han character as four letters (its code point in base 26): 网 → `bsrd`."""
    found = _CODES.get(char)
    if found is None:
        number, letters = ord(char), []
        for _ in range(4):
            number, digit = divmod(number, 26)
            letters.append(_LETTERS[digit])
        found = _CODES[char] = "".join(reversed(letters))
    return found


def _index_run(match: re.Match) -> str:
    codes = [_code(c) for c in match.group(0)]
    return " " + " ".join([a + b for a, b in zip(codes, codes[1:])] + [codes[-1] + END]) + " "


def _query_run(match: re.Match) -> str:
    codes = [_code(c) for c in match.group(0)]
    if len(codes) == 1:
        return " " + codes[0] + " "
    return " " + " ".join(a + b for a, b in zip(codes, codes[1:])) + " "


def index_tokens(text: str) -> str:
    """Text as Pagefind indexes it: each Han run as its character pairs and its last character
    (marked with END)."""
    return HAN.sub(_index_run, unicodedata.normalize("NFKC", text))


def query_tokens(text: str) -> str:
    """A query as Pagefind searches it: each Han run as its pairs (one character alone: itself,
    which Pagefind matches as the start of a pair). static/js/search.js does the same."""
    return " ".join(HAN.sub(_query_run, unicodedata.normalize("NFKC", text)).split())


# What the index holds --------------------------------------------------------------------

_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|td|th|blockquote|figcaption|pre|tr|dt|dd)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"[ \t\r\f\v]+")


def plain_text(body_html: str) -> str:
    """An article body's text: paragraphs on their own lines, no markup."""
    text = _TAG.sub("", _BLOCK_END.sub("\n", body_html))
    lines = (_SPACE.sub(" ", line).strip() for line in html.unescape(text).split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class Bucket:
    """Articles indexed together into one Pagefind bundle."""

    name: str  # 2026-11-27 (an edition), 2026-10 (a month) or 2024 (a year)
    url: str  # the bundle's folder, relative to the output root, ending in '/'
    editions: tuple[Edition, ...]


def buckets(site: Site) -> list[Bucket]:
    """The site's buckets, newest first: the first is the one the browser loads first."""
    editions = [e for e in site.editions if e.articles]
    if not editions:
        return []
    found = [Bucket(e.id, f"{e.id}/{FOLDER}/", (e,)) for e in editions[:RECENT]]
    newest_year = editions[0].date.year
    grouped: dict[str, list[Edition]] = {}
    for edition in editions[RECENT:]:
        key = edition.id[:7] if edition.date.year >= newest_year - 1 else edition.id[:4]
        grouped.setdefault(key, []).append(edition)
    found += [Bucket(key, f"{FOLDER}/{key}/", tuple(group)) for key, group in grouped.items()]
    return found


def _meta(article: Article, edition: Edition, page: Page, t: Interface) -> dict[str, str]:
    """What a result shows, kept with the record (Pagefind metadata)."""
    page_title = t.page(page.label) + (f" {page.name}" if page.name else "")
    return {
        "title": article.title,
        "kicker": article.kicker or "",
        "url": article.url,
        "date": t.short_date(edition.date),
        "edition": edition.url,
        "page": page_title,
        "pageurl": page.url,
        "text": plain_text(article.body_html) or article.summary,
    }


def _record(article: Article, edition: Edition, page: Page, t: Interface, lang: str) -> str:
    """One article as the HTML page Pagefind reads: metadata as it is, searchable text as tokens."""
    meta = _meta(article, edition, page, t)
    heads = [article.kicker, article.title, article.subtitle]
    people = [b.text if b.text is not None else " ".join([b.role or "", *b.names]) for b in article.bylines]
    extra = [article.dateline, article.column.name if article.column else None, *article.tags,
             *(p.caption for p in article.photos), *people]
    parts = ['<!doctype html><html lang="', lang, '"><head><meta charset="utf-8"><title>-</title></head><body>']
    parts += [f'<div data-pagefind-meta="{key}">{html.escape(value)}</div>' for key, value in meta.items()]
    parts.append('<main data-pagefind-body><h1>')
    parts.append(html.escape(index_tokens(" ".join(h for h in heads if h))))
    parts.append("</h1><p>")
    parts.append(html.escape(index_tokens(" ".join(x for x in extra if x))))
    parts.append("</p>")
    parts += ["<p>" + html.escape(index_tokens(line)) + "</p>" for line in meta["text"].split("\n")]
    parts.append("</main></body></html>")
    return "".join(parts)


# The index in the build -----------------------------------------------------------------

def executable() -> str | None:
    """The Pagefind binary: $PAGEFIND_BINARY_PATH, the pagefind_bin or pagefind_bin_extended
    package (what `pip install 'pagefind[bin]'` installs), or `pagefind` on the PATH."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named:
        return named
    for module in ("pagefind_bin", "pagefind_bin_extended"):
        try:
            return str(__import__(module).get_executable())
        except (ImportError, FileNotFoundError, AttributeError):
            continue
    return shutil.which("pagefind") or shutil.which("pagefind_extended")


def _version(binary: str) -> str:
    try:
        done = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30, env=_environment())
    except OSError as exc:
        return f"unusable: {exc}"
    return done.stdout.strip() or f"unusable: exit {done.returncode}"


def _environment() -> dict[str, str]:
    """The environment without PAGEFIND_* settings, which would change the index."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}


def digest(bucket: Bucket, digests: "Digests", base: str) -> str:
    """What a bucket's bundle is made from: its articles (by the build's digest of each,
    which covers the body), their pages and editions, the code and Pagefind's version."""
    parts = [base, bucket.name]
    for edition in bucket.editions:
        parts.append(f"{edition.id}|{edition.url}")
        for page in edition.pages:
            parts.append(f"{page.label}|{page.name}|{page.url}")
            parts += [digests.objects[id(a)] for a in page.articles]
    hashed = hashlib.blake2b(digest_size=16)
    for part in parts:
        hashed.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return hashed.hexdigest()


@dataclass
class Indexed:
    """What `build_index` did, and what a file-by-file update must move in and delete."""

    indexed: int = 0
    reused: int = 0
    moves: list[str] = field(default_factory=list)  # output URLs staged, for Staging.commit_into
    deletions: list[str] = field(default_factory=list)  # output URLs of old bundles' files now gone


def build_index(loaded: "Loaded", staging: "Staging", old: Path | None, in_place: bool,
                digests: "Digests", problems: "Problems", jobs: int = 1) -> Indexed:
    """Make every bucket's bundle. Staged whole (`in_place` false): an unchanged bundle is linked
    from the old output, the others indexed into the staging folder. Moved in file by file: only
    the changed bundles are staged, and what they replace or what is gone is listed to delete."""
    from .cache import code_key

    done = Indexed()
    found = buckets(loaded.site)
    existing = _old_bundles(old) if old is not None else {}
    if found:
        binary = executable()
        if binary is None:
            problems.warn("search", 0, "the search index was not built: Pagefind is not installed (pip install 'pagefind[bin]')")
            return done
        version = _version(binary)
        if version.startswith("unusable"):
            problems.error("search", 0, f"the search index cannot be built: {binary} does not run ({version[10:]})")
            return done
        base = f"{FORMAT}\0{version}\0{code_key()}\0{loaded.config.language}"
    todo: list[tuple[Bucket, str]] = []
    for bucket in found:
        wanted = digest(bucket, digests, base)
        if existing.get(bucket.url) == wanted:
            if not in_place:
                _link_tree(old / bucket.url, staging.target(bucket.url))
            done.reused += 1
        else:
            todo.append((bucket, wanted))
    if todo:
        _index(loaded, staging, todo, problems, binary, jobs)
        done.indexed = len(todo)
    if in_place and not problems.errors:
        for bucket, _ in todo:
            new = _files(staging.target(bucket.url))
            done.moves += [bucket.url + name for name in new]
            if bucket.url in existing:
                done.deletions += [bucket.url + name for name in _files(old / bucket.url) if name not in new]
        current = {b.url for b in found}
        for url in sorted(existing.keys() - current):
            done.deletions += [url + name for name in _files(old / url)]
    return done


def _index(loaded: "Loaded", staging: "Staging", todo: list[tuple[Bucket, str]], problems: "Problems",
           binary: str, jobs: int) -> None:
    """Write the records of each bucket and run Pagefind on them, a few buckets at a time."""
    t = Interface(loaded.config.language)
    lang = loaded.config.language.lower()
    with tempfile.TemporaryDirectory(prefix="broadsheet-search-") as scratch, \
            ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        running = []
        for number, (bucket, wanted) in enumerate(todo):
            source = Path(scratch) / str(number)
            for edition in bucket.editions:  # written here while Pagefind indexes the buckets before
                for page in edition.pages:
                    for article in page.articles:
                        path = source / article.url
                        path.parent.mkdir(parents=True, exist_ok=True)
                        path.write_text(_record(article, edition, page, t, lang), encoding="utf-8")
            target = staging.target(bucket.url)
            running.append((bucket, wanted, target, pool.submit(_pagefind, binary, source, target)))
        for bucket, wanted, target, future in running:
            failure = future.result()
            if failure:
                problems.error("search", 0, f"Pagefind could not index {bucket.name}: {failure}")
                continue
            for name in UNUSED:
                (target / name).unlink(missing_ok=True)
            (target / DIGEST_FILE).write_text(wanted + "\n", encoding="utf-8")


def _old_bundles(out: Path) -> dict[str, str]:
    """The bundles of an output folder: {folder URL: digest}."""
    found = {}
    for marker in [*out.glob(f"*/{FOLDER}/{DIGEST_FILE}"), *out.glob(f"{FOLDER}/*/{DIGEST_FILE}")]:
        digest_text = _read(marker)
        if digest_text:
            found[marker.parent.relative_to(out).as_posix() + "/"] = digest_text
    return found


def _files(folder: Path) -> list[str]:
    """Every file under a folder, as '/'-separated paths relative to it."""
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _pagefind(binary: str, source: Path, target: Path) -> str | None:
    """Index one bucket's records into its bundle folder; the last line Pagefind printed on failure."""
    command = [binary, "--site", str(source), "--output-path", str(target), "--keep-index-url", "--silent"]
    try:
        done = subprocess.run(command, cwd=source, capture_output=True, text=True, timeout=3600, env=_environment())
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    if done.returncode != 0 or not (target / "pagefind-entry.json").is_file():
        said = (done.stderr.strip() or done.stdout.strip() or f"exit status {done.returncode}").splitlines()
        return said[-1]
    shutil.rmtree(source, ignore_errors=True)
    return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return None


def _link_tree(source: Path, target: Path) -> None:
    """Hard-link every file of an old bundle into the staging folder (copy where links fail)."""
    for folder, _dirs, names in os.walk(source):
        destination = target / Path(folder).relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in names:
            try:
                os.link(Path(folder) / name, destination / name)
            except OSError:
                shutil.copyfile(Path(folder) / name, destination / name)
