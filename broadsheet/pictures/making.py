"""Making the derivatives a build publishes, on all cores, into the picture store; pruning the
ones no longer published. The one step of the picture work that writes."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..console import Progress
from ..parallel import fork_map
from .catalogue import facts_of
from .encoding import derive
from .published import PictureSource
from .reading import NotAPicture, upright
from .renditions import stored_name
from .settings import PictureSettings
from .store import Store


#: the work (pixels) below which the derivatives are made here rather than in forked workers, which
#: cost more than they save on small pictures: the bench's 128 photos of 64×40 (0.16 CPU s here,
#: 0.22 s in two workers beside the search indexer), where one camera original is 12 million
#: pixels; each source also counts as `PER_SOURCE` pixels, the encoders' cost whatever its size
PARALLEL_WORK = 8_000_000
PER_SOURCE = 20_000


@dataclass
class Made:
    """What the picture step did: sources derived, files written, keys pruned, problems (file, line, message)."""

    sources: int = 0
    files: int = 0
    pruned: int = 0
    problems: list[tuple[str, int, str]] = field(default_factory=list)

    def note(self, total: int) -> str:
        """The line --verbose shows."""
        return (f"pictures: derived {self.sources} of {total} sources ({self.files} files), "
                f"pruned {self.pruned} no longer published")


def make(site_root: Path, settings: PictureSettings, sources: tuple[PictureSource, ...], jobs: int,
         clean: bool = False, quiet: bool = True) -> Made:
    """Derive every source whose derivatives are not in the store (in parallel), then remove
    the derivatives and facts of sources no longer published."""
    store = Store(site_root, clean)
    for source in sources:
        entry = (source.mtime_ns, source.size, facts_of(source))
        if store.index.get(source.path) != entry:
            store.index[source.path] = entry
            store.dirty = True
    todo: dict[str, PictureSource] = {}
    for source in sources:
        if source.key not in todo and not store.has(source.key):
            todo[source.key] = source
    items = list(todo.values())

    def one(source: PictureSource):
        return _derive_one(store, settings, source, site_root)

    progress = Progress(len(items), "pictures", enabled=not quiet)
    try:
        found = fork_map(one, items, jobs if work(items) >= PARALLEL_WORK else 1, progress.update, min_items=2)
    finally:
        progress.close()
    made = Made()
    for source, outcome in zip(items, found):
        if isinstance(outcome, str):
            rel, line, _ = source.named_at
            made.problems.append((rel or _rel(source.path, site_root), line, outcome))
        else:
            made.sources += 1
            made.files += outcome
    if not made.problems:
        made.pruned = store.keep_only({s.key for s in sources}, {s.path for s in sources})
    store.save()
    return made


def work(sources: list[PictureSource]) -> int:
    """What making these sources' derivatives costs, in pixels: each source decoded, each rendition
    encoded, and `PER_SOURCE` each."""
    return sum(source.picture.width * source.picture.height + PER_SOURCE
               + sum(r.width * r.height for r in source.picture.renditions) for source in sources)


def _derive_one(store: Store, settings: PictureSettings, source: PictureSource, site_root: Path) -> int | str:
    """Make one source's derivatives into the store: the number of files, or what went wrong."""
    renditions = source.picture.renditions
    largest = max(renditions, key=lambda r: r.width)
    name = source.named_at[2] or _rel(source.path, site_root)
    try:
        image, icc, exif = upright(Path(source.path), name, (largest.width, largest.height))
        data = derive(image, renditions, settings, icc, exif)
        store.put(source.key, {stored_name(r): d for r, d in zip(renditions, data)})
    except NotAPicture as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - a damaged file fails in the decoder in many ways
        return f"'{name}' cannot be read as a picture ({exc}); open it and save it again as JPEG"
    return len(data)


def _rel(path: str, site_root: Path) -> str:
    root = str(site_root) + os.sep
    return path[len(root):] if path.startswith(root) else path
