"""Site search: an index of every article, written into the output by the build.

The index is static files beside the pages (JSON), read by the search page's
script (`templates/search.js`) in small pieces, so search works on any static
host and without a network.

**Tokens.** Chinese has no spaces, and a word cut by a segmenter is not found
inside a longer word (网格 in 网格员). So every run of Han characters is indexed
as its overlapping character pairs (网格员 → 网格 格员) plus its last character
alone; any two adjacent characters of the text are then a key of the index. A
query of one character takes every key that starts with it; of two, its key;
of three or more, the articles holding all its pairs, kept only if the query
stands in them whole (the script checks each candidate's text). Other words
(Latin letters, digits) are indexed whole, lower-cased, and a query word finds
every word it begins (inspector → inspectors). Text is NFKC-normalised first
(full-width ５Ｇ is 5g). Every query term must be found; results are newest
first, the order of the editions, pages and articles.

**Files** of a bundle: `index.json` (format, number of articles, of shards,
articles per chunk), `s/N.json` (shard N: the keys whose first character's code
point is N modulo the shard count, each with its article numbers as gaps),
`d/K.json` (chunk K: each article's URL, headline, kicker, edition date, edition
URL, page, page URL, text and other searchable fields), and
`broadsheet-digest.txt`.

**Buckets.** One index of 10,000 articles is rebuilt whole by any edit, and a
reader would load shards of it all. So the index is split: each of the newest
seven editions has its own bundle (`2026-11-27/search/`), older editions are
grouped by month for the newest edition's year and the year before
(`search/2026-10/`), and by year before that (`search/2024/`). A build indexes
only the buckets whose articles changed (a digest of what is indexed, kept in
each bundle as `broadsheet-digest.txt`), on every core, and links the others
from the previous output; the browser searches the bundles newest first.
"""

from __future__ import annotations

import functools
import html
import json
import os
import pickle
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from .cache import FOLDER as CACHE_FOLDER, code_key, hash_parts, write_pickle
from .i18n import Interface
from .model import Article, Edition, Page, Site
from .parallel import fork_map

if TYPE_CHECKING:
    from .output import Staging
    from .problems import Problems

RECENT = 7  # the newest editions, one bundle each
FORMAT = "broadsheet-search 2"  # bump when the files change shape
DIGEST_FILE = "broadsheet-digest.txt"
FOLDER = "search"  # the search page, and the month and year bundles
CHUNK = 20  # articles per d/K.json: what a page of results loads
SHARD_POSTINGS = 40_000  # about this many (key, article) pairs per shard

# Han characters: the CJK unified ideographs, extension A, compatibility ideographs, extensions B–H.
_H = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# at each Han character, it and the next when that is Han too, else it alone: every pair of a
# run (overlapping) and its last character, in one pass
_HAN_KEYS = re.compile(f"(?=([{_H}][{_H}]?))")
_WORD = re.compile(f"[^\\W_{_H}]+")


# Characters NFKC leaves alone or changes into no letter or digit: ASCII, CJK punctuation and
# ideographs, full-width punctuation, dashes and quotes. Text of these alone (most copy) needs
# no closer look.
_PLAIN = re.compile("[^\n -~\u00b7\u2010-\u2027\u3000-\u3029\u3030-\u3037\u303b-\u303f\u4e00-\u9fff\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")


def normal(text: str) -> str:
    """Text as it is indexed and searched: NFKC, lower case."""
    if _PLAIN.search(text) and _changes_words().search(text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


@functools.cache
def _changes_words() -> re.Pattern:
    """The characters whose NFKC form changes the index keys: compatibility letters, digits and
    ideographs (full-width Ｇ, ①, 兀), and combining marks and jamo, which compose. Full-width
    punctuation, in every line of Chinese, is not among them: normalising 2,000 characters costs
    more than indexing them."""
    def matters(char: str) -> bool:
        changed = unicodedata.normalize("NFKC", char)
        if changed != char:
            return char.isalnum() or any(c.isalnum() for c in changed)
        return unicodedata.category(char).startswith("M") or 0x1100 <= ord(char) <= 0x11FF

    points = [n for n in [*range(0xD800), *range(0xE000, 0x10000), *range(0x1D400, 0x1D800), *range(0x1F100, 0x1F200)]
              if matters(chr(n))] + list(range(0x2F800, 0x2FA20))
    ranges: list[list[int]] = []
    for n in points:
        if ranges and ranges[-1][1] == n - 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    return re.compile("[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges) + "]")


def tokens(texts: Iterable[str]) -> set[str]:
    """The index keys of some texts: each Han run's character pairs and last character, and the
    other words."""
    found: set[str] = set()
    for text in texts:
        text = normal(text)
        found.update(_HAN_KEYS.findall(text))
        found.update(_WORD.findall(text))
    return found


def query_terms(query: str) -> list[str]:
    """A query's terms, each of which must be found: its Han runs and other words, in order,
    each once. `search.js` does the same."""
    terms: list[str] = []
    for match in re.finditer(f"[{_H}]+|[^\\W_{_H}]+", normal(query)):
        if match.group(0) not in terms:
            terms.append(match.group(0))
    return terms


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
    """Articles indexed together into one bundle."""

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


def _row(article: Article, edition: Edition, page: Page, t: Interface, body_html: str) -> list:
    """One article in a chunk: what a result shows, then the other fields the query may match."""
    people = [b.text if b.text is not None else " ".join([b.role or "", *b.names]) for b in article.bylines]
    extra = [article.subtitle, article.dateline, article.column.name if article.column else None, *article.tags,
             *(p.caption for p in article.photos), *people]
    page_title = t.page(page.label) + (f" {page.name}" if page.name else "")
    return [article.url, article.title, article.kicker or "", t.short_date(edition.date), edition.url,
            page_title, page.url, plain_text(body_html) or article.summary or "",
            [x for x in extra if x]]


def _searched(row: list) -> list[str]:
    """The fields of a chunk row that a query may match: headline, kicker, text and the others."""
    return [row[1], row[2], row[7], *row[8]]


def _gaps(numbers: list[int]) -> list[int]:
    """Ascending numbers as the first and the gaps between them: shorter JSON."""
    return [b - a for a, b in zip([0, *numbers], numbers)]


def _write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def write_bundle(rows: list[list], keys: list[set[str]], target: Path) -> None:
    """Index the rows (in result order), each with its index keys, into a bundle folder."""
    postings: dict[str, list[int]] = {}
    for number, found in enumerate(keys):
        for key in found:
            listed = postings.get(key)
            if listed is None:
                postings[key] = [number]
            else:
                listed.append(number)
    total = sum(map(len, postings.values()))
    shards = 1
    while shards < 256 and total > shards * SHARD_POSTINGS:
        shards *= 2
    grouped: list[dict[str, list[int]]] = [{} for _ in range(shards)]
    for key in sorted(postings):
        grouped[ord(key[0]) % shards][key] = _gaps(postings[key])
    (target / "s").mkdir(parents=True, exist_ok=True)
    (target / "d").mkdir(exist_ok=True)
    for number, keys in enumerate(grouped):
        _write_json(target / "s" / f"{number}.json", keys)
    for start in range(0, len(rows), CHUNK):
        _write_json(target / "d" / f"{start // CHUNK}.json", rows[start:start + CHUNK])
    _write_json(target / "index.json", {"format": FORMAT, "docs": len(rows), "shards": shards, "chunk": CHUNK})


# The index in the build -----------------------------------------------------------------

@dataclass(frozen=True)
class SearchInput:
    """What the index is made from: the site, each article's digest (which covers its body) and
    its body's HTML, and where the rows last indexed are kept."""

    site: Site
    root: Path  # the site's folder, whose build cache keeps the rows
    language: str
    clean: bool  # the kept rows are not to be used
    article_digest: Callable[[Article], str]
    body_html: Callable[[Article], str]


def digest(bucket: Bucket, source: SearchInput, base: str) -> str:
    """What a bucket's bundle is made from: its articles (by the build's digest of each,
    which covers the body), their pages and editions, and the code."""
    parts = [base, bucket.name]
    for edition in bucket.editions:
        parts.append(f"{edition.id}|{edition.url}")
        for page in edition.pages:
            parts.append(f"{page.label}|{page.name}|{page.url}")
            parts += [source.article_digest(a) for a in page.articles]
    return hash_parts(*parts)


@dataclass
class Indexed:
    """What the indexing did (`index_bundles`, then `settle`), and what a file-by-file update must
    move in and delete."""

    fresh: list[str] = field(default_factory=list)  # the bundles indexed into the staging folder (URLs)
    kept: list[str] = field(default_factory=list)  # the unchanged bundles of the old output (URLs)
    moves: list[str] = field(default_factory=list)  # output URLs staged, for Staging.commit_into
    deletions: list[str] = field(default_factory=list)  # output URLs of old bundles' files now gone
    # what else `index_bundles` leaves to `settle`:
    current: list[str] = field(default_factory=list)  # every bucket's bundle (URLs)
    names: list[str] = field(default_factory=list)  # every bucket's name
    existing: dict[str, str] = field(default_factory=dict)  # the old output's bundles: {URL: digest}
    failures: list[tuple[str, str]] = field(default_factory=list)  # (bucket, why it could not be written)

    @property
    def indexed(self) -> int:
        """How many bundles were indexed."""
        return len(self.fresh)

    @property
    def reused(self) -> int:
        """How many bundles were kept from the old output."""
        return len(self.kept)


def index_bundles(source: SearchInput, staging: "Staging", old: Path | None, jobs: int = 1) -> Indexed:
    """Index the buckets whose bundle in the old output is missing or out of date into the staging
    folder; whether the others are staged whole or the new ones moved in is left to `settle`.
    Needs only the articles' digests, not the outputs': a build starts it before planning them."""
    done = Indexed()
    found = buckets(source.site)
    done.current = [bucket.url for bucket in found]
    done.names = [bucket.name for bucket in found]
    done.existing = _old_bundles(old) if old is not None else {}
    base = f"{FORMAT}\0{code_key()}\0{source.language}"
    todo: list[tuple[Bucket, str]] = []
    for bucket in found:
        wanted = digest(bucket, source, base)
        if done.existing.get(bucket.url) == wanted:
            done.kept.append(bucket.url)
        else:
            todo.append((bucket, wanted))
    if todo:
        t = Interface(source.language)

        # the biggest buckets first, so that the cores finish together
        order = sorted(todo, key=lambda item: -sum(len(e.articles) for e in item[0].editions))

        def index(number: int) -> str | None:  # a number, not the bucket: the model is not pickled
            bucket, wanted = order[number]
            target = staging.target(bucket.url)
            kept = _Kept(source.root, bucket.name, base, source.clean)
            rows, keys = [], []
            for e in bucket.editions:
                for p in e.pages:
                    for a in p.articles:
                        row, found = kept.get(hash_parts(source.article_digest(a), e.id, e.url, p.label, p.name or "", p.url),
                                              lambda: _row(a, e, p, t, source.body_html(a)))
                        rows.append(row)
                        keys.append(found)
            try:
                write_bundle(rows, keys, target)
                (target / DIGEST_FILE).write_text(wanted + "\n", encoding="utf-8")
            except OSError as exc:
                return f"{exc.strerror or exc}: {exc.filename or target}"
            kept.save()
            return None

        for (bucket, _wanted), failure in zip(order, fork_map(index, range(len(order)), jobs, min_items=2)):
            if failure:
                done.failures.append((bucket.name, failure))
        done.fresh = [bucket.url for bucket, _ in todo]
    return done


def settle(done: Indexed, root: Path, staging: "Staging", old: Path | None, in_place: bool,
           problems: "Problems") -> None:
    """Report the bundles that could not be written; stage the unchanged ones (`in_place` false) or
    list what a file-by-file update moves in and deletes; forget the buckets that are gone."""
    for name, failure in done.failures:
        problems.error("search", 0, f"the search index of {name} could not be written: {failure}")
    _Kept.prune(root, set(done.names))
    if not in_place:
        for url in done.kept:
            _link_tree(old / url, staging.target(url))
    elif not problems.errors:
        for url in done.fresh:
            new = _files(staging.target(url))
            done.moves += [url + name for name in new]
            if url in done.existing:
                done.deletions += [url + name for name in _files(old / url) if name not in new]
        for url in sorted(done.existing.keys() - set(done.current)):
            done.deletions += [url + name for name in _files(old / url)]


class _Kept:
    """A bucket's articles as last indexed, (row, keys) by what the row shows: re-indexing a
    month for one edited article reads and splits that one article's text only. Kept in the
    build cache folder, one file per bucket, written only after its bundle was."""

    def __init__(self, root: Path, name: str, base: str, clean: bool):
        self.path = root / CACHE_FOLDER / "search" / f"{name}.pickle"
        self.base = base
        self.old: dict = {}
        self.new: dict = {}
        if not clean:
            try:
                with open(self.path, "rb") as handle:
                    stored_base, self.old = pickle.load(handle)
                if stored_base != base:
                    self.old = {}
            except Exception:  # noqa: BLE001 - a missing or damaged file is an empty one
                self.old = {}

    def get(self, key: str, row) -> tuple[list, set[str]]:
        """The kept (row, keys) for this key, or the row made now and its keys."""
        found = self.old.get(key)
        if found is None:
            made = row()
            found = (made, tokens(_searched(made)))
        self.new[key] = found
        return found

    def save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_pickle(self.path, (self.base, self.new))
        except OSError:
            pass  # only a cache: the next build indexes this bucket from the articles again

    @staticmethod
    def prune(root: Path, names: set[str]) -> None:
        """Remove the files of buckets that are gone."""
        for path in (root / CACHE_FOLDER / "search").glob("*.pickle"):
            if path.stem not in names:
                path.unlink(missing_ok=True)


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
