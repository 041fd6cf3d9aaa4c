"""The build state in memory, and the body store: what earlier builds computed, kept in the
site folder between runs (`state.py` writes and reads the state).

Everything in it is keyed by what it was computed from, so a stale entry is
never used: a source's parse by its size and modification time (and the
configuration and Broadsheet's own code, through `code_key`), a body's HTML by
its text, an output by the digest of everything it shows.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import AbstractSet, Any

from .parallel import release_freed_memory
from .slugs import slugify

FOLDER = ".broadsheet-cache"


@functools.cache
def code_key() -> str:
    """A digest of Broadsheet's own code and the libraries that shape its output (of the code running: made once)."""
    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    found = versions(_SHAPING)
    for name in _SHAPING:
        if name in found:
            digest.update(f"{name}={found[name]}".encode())
    return digest.hexdigest()


_SHAPING = ("markdown", "jinja2", "nh3", "pypinyin", "pyyaml")  # the libraries that shape the output


def versions(names: tuple[str, ...]) -> dict[str, str]:
    """The installed version of each distribution named that is installed, as `importlib.metadata`
    finds it: the first `NAME-VERSION.dist-info` folder on `sys.path` tells it by its name, and
    only the others go through `importlib.metadata`, whose import alone (email, zipfile, csv)
    would cost a build with nothing changed 15-50 ms."""
    wanted = {_normal(name): name for name in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            listed = os.listdir(entry or ".")
        except OSError:
            continue
        for item in listed:
            if not item.endswith(".dist-info"):
                continue
            name, _, version = item.removesuffix(".dist-info").partition("-")
            asked = wanted.get(_normal(name))
            if asked is not None and version and asked not in found:  # the first on sys.path, as importlib's
                found[asked] = version
    missing = [name for name in names if name not in found]
    if missing:
        from importlib import metadata  # an egg, a zip: found by the library

        for name in missing:
            try:
                found[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                pass
    return found


def _normal(name: str) -> str:
    """A distribution's name as packaging compares it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def hash_parts(*parts: str) -> str:
    """One digest of several texts, each ended by a NUL so that ("ab", "c") and ("a", "bc") differ."""
    # (the texts joined, encoded and hashed at once: the same bytes as one update a text, at half the cost)
    return hashlib.blake2b("\0".join((*parts, "")).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def write_pickle(path: Path, value, *more) -> None:
    """Pickle a value (and `more`, each a pickle of its own after it in the file, read by as many
    `pickle.load`s) to a file whole or not at all (a temporary file renamed over it); OSError
    when it cannot be written."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}")
    try:
        with temporary.open("wb") as handle:
            for each in (value, *more):
                pickle.dump(each, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):  # (a full disk: no half-written file left behind)
            temporary.unlink()
        raise


class ModelNeeded(Exception):
    """An edit read from the build state's shards of its editions alone (`partial.py`) found that
    it needs more of the kept model: the build starts again from the whole of it."""


@dataclass
class Built:
    """What the last good build made of the content: the model, its plan (every output, in its
    shard's order), the digests of the model's values, which articles each output's digest
    covers, and each article's problems that do not come from its body."""

    site: Any  # model.Site
    outputs: list  # plan.Output
    digests: tuple  # digests.Digests.state(): (whole, without bodies, with bodies) by stable key
    covers: dict[str, frozenset[str]]  # output URL -> articles whose bodies its digest covers
    mentions: dict[str, frozenset[str]]  # output URL -> articles its digest covers at all
    refs: dict  # article URL -> the model.ArticleRef that tag and people pages list
    own_problems: dict[str, tuple]  # source -> its problems that do not come from its body
    partial: bool = False  # the editions of an edit alone, read from their shards (`partial.py`)

    @functools.cached_property
    def positions(self) -> dict[str, int]:
        """Each output's place in `outputs`, by URL (made once: the dev server's rebuilds keep the plan)."""
        return {output.url: number for number, output in enumerate(self.outputs)}

    def outputs_at(self, urls: AbstractSet[str]) -> list:
        """The outputs at these URLs, in the plan's order."""
        positions = self.positions
        return [self.outputs[n] for n in sorted(positions[url] for url in urls if url in positions)]


@dataclass
class BuildCache:
    """The build state in memory: what one build read and made, and the next one finds
    (`state.py` keeps it in .broadsheet-cache/state/)."""

    key: str = ""
    sources: dict = field(default_factory=dict)  # rel -> (mtime_ns, size, ArticleRecord)
    bodies: dict = field(default_factory=dict)  # body key -> markup.BodyMeta (HTML: BodyStore)
    # (no class-level default for the members `state.PICKLED`: `__getattr__` must be asked for them)
    outputs: dict = field(default_factory=dict)  # url -> output digest, for the output on disk
    files: dict = field(default_factory=dict)  # url -> (source path, mtime_ns, size) of copied files
    stats: dict = field(default_factory=dict)  # input file -> (mtime_ns, size) at the last good build
    folders: frozenset = field(default_factory=frozenset)  # input folders then
    fingerprint: str | None = None  # of all inputs at the last good build of `output_folder`
    report: tuple | None = None  # (problems, counts) that build printed
    slugs: dict = field(default_factory=dict)  # text -> slug (transliteration loads large dictionaries)
    analyses: dict = field(default_factory=dict)  # (template name, source) -> digests.Analysis
    bytecode: dict = field(default_factory=dict)  # compiled templates (compiling.StateBytecode)
    replicas: dict = field(default_factory=dict)  # PDFs' digests, readings and found areas (replica.pages)
    # what an edit of one edition's articles asks of the rest of the model (`partial.py`): the
    # articles whose bodies outputs of other shards show ("foreign"), the articles placed by a
    # page PDF's text ("located"), the search buckets and their editions' parts ("search")
    summary: dict = field(default_factory=dict)
    output_folder: str = ""  # the output these `outputs` and `files` describe
    built: Built | None = None  # the model of the output on disk, when the last build was good
    dirty: bool = True  # something changed since it was read; saved only then
    # the index's largest members as `state.load` read them, pickled: each is unpickled when a
    # build first asks for it (`__getattr__`), and saved as it was read when none did (an edit
    # of articles never looks at the copied files' states)
    pickled: dict[str, bytes] = field(default_factory=dict, repr=False)

    def __getattr__(self, name: str) -> Any:  # only for what is not set: a member still pickled
        pickled = self.__dict__.get("pickled")
        if not pickled or name not in pickled:
            raise AttributeError(name)
        value = self.__dict__[name] = pickle.loads(pickled.pop(name))
        return value

    def keep_pickled(self, members: dict[str, bytes]) -> None:
        """Hold these members pickled until a build asks for them."""
        for name in members:
            self.__dict__.pop(name, None)
        self.pickled.update(members)

    def pickled_member(self, name: str) -> bytes:
        """A member pickled: as it was read, when no build asked for it."""
        if name not in self.__dict__ and name in self.pickled:
            return self.pickled[name]
        return pickle.dumps(getattr(self, name), pickle.HIGHEST_PROTOCOL)

    def slug_of(self, text: str) -> str:
        """A slug (`slugs.slugify`) made once per text."""
        if text not in self.slugs:
            self.slugs[text] = slugify(text)
            self.dirty = True
        return self.slugs[text]


class BodyStore:
    """Body HTML, sharded by key so a build reads and writes only the shards it touches."""

    def __init__(self, site_root: Path, key: str, clean: bool = False):
        self.folder = site_root / FOLDER / f"bodies-{key[:16]}"
        self.clean = clean
        self.shards: dict[str, dict[str, str]] = {}
        self.dirty: set[str] = set()
        self.on_disk: set[str] | None = None

    def _shard(self, name: str) -> dict[str, str]:
        if name not in self.shards:
            shard: dict[str, str] = {}
            if not self.clean:
                try:
                    with (self.folder / f"{name}.pickle").open("rb") as handle:
                        shard = pickle.load(handle)
                except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
                    shard = {}
            self.shards[name] = shard
        return self.shards[name]

    def may_have(self, key: str) -> bool:
        """True when the body's shard is loaded or on disk (without reading it)."""
        name = key[:2]
        if name in self.shards:
            return key in self.shards[name]
        if self.clean:
            return False
        if self.on_disk is None:
            try:
                self.on_disk = {p.name.split(".")[0] for p in self.folder.iterdir()}
            except OSError:
                self.on_disk = set()
        return name in self.on_disk

    def get(self, key: str) -> str | None:
        """A body's HTML, or None when it is not stored."""
        shard = self._shard(key[:2])
        text = shard.get(key)
        if type(text) is bytes:  # as saved (see `save`)
            text = shard[key] = text.decode("utf-8")
        return text

    def put(self, key: str, html: str) -> None:
        """Store a body's HTML."""
        self._shard(key[:2])[key] = html
        self.dirty.add(key[:2])

    def save(self, live: AbstractSet[str] | None) -> None:
        """Write the shards that changed, keeping only the bodies of live articles (None: every
        body, when the build did not hold the whole model); drop old stores.
        The bodies go as UTF-8 bytes: pickling a str keeps a UTF-8 copy inside it for the life of
        the process (50,000 bodies: 300 MB). The shards written leave memory (read again if asked)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name in sorted(self.dirty):
                shard = {k: v if type(v) is bytes else v.encode("utf-8") for k, v in self.shards[name].items() if live is None or k in live}
                write_pickle(self.folder / f"{name}.pickle", shard)
                del self.shards[name]
            self.clean, self.on_disk = False, None  # what was dropped is on disk now
            if len(self.dirty) >= 64:  # most of the store (a full build): room for the build state, saved next
                release_freed_memory()
            for other in self.folder.parent.glob("bodies-*"):
                if other != self.folder:
                    shutil.rmtree(other, ignore_errors=True)
        except OSError:
            pass
        self.dirty.clear()
