"""The pictures of one build, as the content is read: each source's facts found once (or from the
store), its derivatives planned, and the files they publish."""

from __future__ import annotations

from pathlib import Path

from .published import Picture, PictureSource
from .reading import Facts, NotAPicture, facts
from .renditions import plan, stored_name
from .settings import PictureSettings
from .store import Store


class Catalogue:
    """Every picture a build publishes, by source file; read-only on the store (the build writes)."""

    def __init__(self, site_root: Path, settings: PictureSettings, clean: bool = False):
        self.settings = settings
        self.store = Store(site_root, clean)
        self.sources: dict[tuple[str, str, bool], PictureSource] = {}

    def add(self, path: Path, url: str, name: str, full: bool = False, where: tuple[str, int] = ("", 0)) -> Picture | str:
        """The published picture of any source file (under content/ or not) whose original would
        be at `url`: its derivatives go beside that URL. `name` is how messages call the file;
        `full` adds a fallback at the source's own width (a page scan); `where` is the (file,
        line) naming it, where a failure to derive it is reported. For a file that is not a
        picture, or cannot be read, the message saying so (and what to do) instead."""
        entry = (str(path), url, full)
        known = self.sources.get(entry)
        if known is not None:  # a picture many articles name: its facts read and planned once
            return known.picture
        try:
            stat = path.stat()
            found = self.store.known(path, stat)
            if found is None:
                found = facts(path, name)
        except NotAPicture as exc:
            return str(exc)
        except OSError as exc:
            return f"'{name}' cannot be read: {exc.strerror or exc}"
        key, picture = plan(found, self.settings, url, full)
        self.sources[entry] = PictureSource(str(path), stat.st_mtime_ns, stat.st_size, found.format,
                                            found.digest, key, picture, (*where, name))
        return picture

    def taken(self) -> set[str]:
        """The paths of the source files published through derivatives (their originals are not):
        as strings, since a Path costs 10 µs to make (at 50,000 articles, 17,000 photos)."""
        return {source.path for source in self.sources.values()}

    def work(self) -> tuple[PictureSource, ...]:
        """Every source to derive, in a stable order."""
        return tuple(self.sources[k] for k in sorted(self.sources))

    def assets(self) -> list[tuple[str, str]]:
        """(path in the store relative to the site, output URL) of every derivative published."""
        return sorted({(self.store.relative(s.key, stored_name(r)), r.url)
                       for s in self.sources.values() for r in s.picture.renditions})


def facts_of(source: PictureSource) -> Facts:
    """The facts a source was found with, for the store's index."""
    picture = source.picture
    return Facts(source.format, picture.width, picture.height, picture.fallback_format == "png", source.digest)

