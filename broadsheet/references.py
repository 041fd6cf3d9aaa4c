"""Paths under the site, and the files its sources name: each must exist, with exactly that
spelling, inside content/."""

from __future__ import annotations

import os
import re
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from yaml.nodes import Node

from .cache import BuildCache
from .config import SiteConfig
from .problems import Problems
from .schema import Reader

_NOT_RELATIVE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|/|\\)")


class References:
    """Resolves the files a site's sources name, and keeps which were named (`referenced`, by
    their real path) and which go to the output (`assets`)."""

    def __init__(self, config: SiteConfig, problems: Problems, cache: BuildCache):
        self.problems = problems
        self.cache = cache
        self.root = config.root.resolve()
        self.root_prefix = str(config.root) + os.sep  # rel() by slicing: pathlib costs 10 µs a call
        self.content = config.content_dir
        self.referenced: set[Path] = set()
        self.assets: set[Path] = set()
        self.made: dict[str, Path] = {}  # output URL -> a file the build made (a page picture drawn from its PDF)
        self.listings: dict[Path, frozenset[str]] = {}
        self.links = config.root.resolve() != config.root  # any symbolic link met on the way

    def rel(self, path: Path) -> str:
        """A path relative to the site, '/'-separated, for messages."""
        text = str(path)
        if text.startswith(self.root_prefix):
            return text[len(self.root_prefix):].replace(os.sep, "/")
        return path.as_posix()

    def url(self, path: Path) -> str:
        """The output URL of a file under content/: the same path relative to content/."""
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

    def listing(self, folder: Path) -> frozenset[str]:
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
            if part not in self.listing(current):
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

    def image_size(self, read: Reader, node: Node | None, path: Path, target: str, line: int | None = None) -> tuple[int, int] | None:
        size = self.cache.image_size(path, path.stat(), _measure)
        if size is None:
            message = f"'{target}' is not an image (PNG, JPEG, GIF or WebP)"
            if line is not None:
                self.problems.error(read.rel, line, message)
            else:
                read.error(node, message)
        return size


def _measure(path: Path) -> tuple[int, int] | None:
    try:
        with Image.open(path) as image:
            return image.size
    except (UnidentifiedImageError, OSError):
        return None
