"""A reader's crawl of a built site: start at index.html, follow every link."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                self.links.append((tag, attributes[name]))
        for candidate in (attributes.get("srcset") or "").split(","):  # "url 480w, url 800w"
            if candidate.strip():
                self.links.append((tag, candidate.split()[0]))


@dataclass
class Crawl:
    """What a crawl found."""

    pages: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    broken: list[str] = field(default_factory=list)
    absolute: list[str] = field(default_factory=list)
    unnamed: list[str] = field(default_factory=list)


def crawl(root: Path, start: str = "index.html") -> Crawl:
    """Follow every internal link from `start`; report broken, root-absolute and folder links."""
    result = Crawl()
    queue = [start]
    ids: dict[str, set[str]] = {}
    fragments: list[tuple[str, str, str]] = []
    while queue:
        page = queue.pop()
        if page in result.pages:
            continue
        result.pages.add(page)
        parser = _Links()
        parser.feed((root / page).read_text(encoding="utf-8"))
        ids[page] = parser.ids
        for tag, url in parser.links:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue
            if url.startswith("/"):
                result.absolute.append(f"{page}: {url}")
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path))) if parts.path else page
            if parts.path and (parts.path.endswith("/") or (root / target).is_dir()):
                result.unnamed.append(f"{page}: {url}")
                continue
            if target.startswith("..") or not (root / target).is_file():
                result.broken.append(f"{page}: {url}")
                continue
            if parts.fragment:
                fragments.append((page, target, parts.fragment))
            if target.endswith(".html"):
                queue.append(target)
            else:
                result.files.add(target)
    for page, target, fragment in fragments:
        if target in ids and unquote(fragment) not in ids[target]:
            result.broken.append(f"{page}: {target}#{fragment}")
    return result
