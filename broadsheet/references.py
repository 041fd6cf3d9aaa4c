"""Paths under the site, and the files its sources name: each must exist, with exactly that
spelling, inside content/."""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path

from yaml.nodes import Node

from .cache import BuildCache
from .config import SiteConfig
from .pictures.catalogue import Catalogue
from .pictures.published import Picture
from .problems import Problems
from .schema import Reader

#: names of the files a body's link publishes as a picture's derivative, never as the original
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".heic", ".heif", ".avif")
_NOT_RELATIVE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|/|\\)")


class References:
    """Resolves the files a site's sources name, and keeps which were named (`referenced`, by
    their real path) and which go to the output (`assets`)."""

    def __init__(self, config: SiteConfig, problems: Problems, cache: BuildCache, clean: bool = False):
        self.problems = problems
        self.cache = cache
        self.root = config.root.resolve()
        self.root_prefix = str(config.root) + os.sep  # rel() by slicing: pathlib costs 10 µs a call
        self.content = config.content_dir
        # what resolve() checks with strings (pathlib costs 10 µs a call, 667 photos a build)
        self.content_text = str(self.content)
        self.content_prefix = self.content_text.rstrip(os.sep) + os.sep
        self.referenced: set[Path] = set()
        self.assets: set[Path] = set()
        self.listings: dict[str, frozenset[str]] = {}
        # the files found, by their normalised path: a photo named by many articles is checked once
        self.found: dict[str, Path] = {}
        self.links = config.root.resolve() != config.root  # any symbolic link met on the way
        self.pictures = Catalogue(config.root, config.pictures, clean)  # published as derivatives

    def rel(self, path: Path) -> str:
        """A path relative to the site, '/'-separated, for messages."""
        text = str(path)
        if text.startswith(self.root_prefix):
            return text[len(self.root_prefix):].replace(os.sep, "/")
        return path.as_posix()

    def url(self, path: Path) -> str:
        """The output URL of a file under content/: the same path relative to content/."""
        text = str(path)
        if text.startswith(self.content_prefix):
            return text[len(self.content_prefix):].replace(os.sep, "/")
        return path.relative_to(self.content).as_posix()

    def resolve(self, read: Reader, node: Node | None, base: Path, target: str, what: str, line: int | None = None) -> Path | None:
        """Resolve a file named in a source; it must exist, exactly, inside content/."""

        def report(message: str) -> None:
            if line is not None:
                self.problems.error(read.rel, line, message)
            else:
                read.error(node, message)

        if _NOT_RELATIVE.match(target) or "\\" in target or "\x00" in target:
            report(f"{what} '{target}' must be a path relative to the file, inside content/")
            return None
        text = os.path.normpath(os.path.join(base, target))
        known = self.found.get(text)
        if known is not None:  # found (and noted) before, in this build
            return known
        candidate = Path(text)
        # Resolving costs a system call per folder; without links under content/ it changes nothing.
        resolved = candidate.resolve() if self.links else candidate
        inside = text.startswith(self.content_prefix) or text == self.content_text
        if not inside or (self.links and not resolved.is_relative_to(self.root)):
            report(f"{what} '{target}' is outside content/")
            return None
        if not os.path.isfile(text) or not self._exact_case(text):
            hint = self._case_hint(candidate, target)
            report(f"{what} '{target}' not found{hint}")
            return None
        self.referenced.add(resolved)
        self.assets.add(candidate)
        self.found[text] = candidate
        return candidate

    def listing(self, folder: str | Path) -> frozenset[str]:
        """The names in a folder, read once per build (the walk's listings among them)."""
        folder = os.fspath(folder)
        names = self.listings.get(folder)
        if names is None:
            try:
                names = frozenset(os.listdir(folder))
            except OSError:
                names = frozenset()
            self.listings[folder] = names
        return names

    def _exact_case(self, text: str) -> bool:
        """True when every part of a path under content/ exists with exactly this spelling."""
        current = self.content_text
        for part in text[len(self.content_prefix):].split(os.sep):
            if part not in self.listing(current):
                return False
            current = os.path.join(current, part)
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

    def picture(self, read: Reader, node: Node | None, path: Path, target: str, line: int | None = None,
                full: bool = False) -> Picture | None:
        """A photo or page picture, published as derivatives (`pictures/`); None, reported at the
        source's line, when it is not a picture Broadsheet publishes."""
        where = (read.rel, line if line is not None else (read.line(node) if node is not None else 0))
        found = self.pictures.add(path, self.url(path), target, full, where)
        if isinstance(found, str):
            if line is not None:
                self.problems.error(read.rel, line, found)
            else:
                read.error(node, found)
            return None
        return found

    def body_image(self, read: Reader, path: Path, target: str, line: int, linked: bool = False) -> tuple[str, tuple[int, int] | None]:
        """A body's image as its fallback derivative (a linked one as its largest): the target to
        write, relative as written, and its size."""
        picture = self.picture(read, None, path, target, line=line)
        if picture is None:
            return target, None
        shown = picture.largest if linked else picture.fallback
        return posixpath.join(posixpath.dirname(target), posixpath.basename(shown.url)), (shown.width, shown.height)

    def published(self) -> tuple[tuple[str, str], ...]:
        """(source relative to the site, output URL) of every file the output gets: the files named
        as they are, and the derivatives of pictures instead of their originals."""
        taken = self.pictures.taken()
        originals = [(self.rel(p), self.url(p)) for p in self.assets if str(p) not in taken]
        return tuple(sorted(originals + self.pictures.assets()))
