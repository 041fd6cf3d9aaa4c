"""The files of the output that are not rendered: static files, photos and page pictures copied
as they are, and the outputs kept from the old output (hard-linked into the staging folder)."""

from __future__ import annotations

import os
from pathlib import Path

from . import theme
from .cache import FOLDER, ModelNeeded
from .config import SiteConfig
from .output import Staging
from .plan import Output
from .problems import Problems
from .scanning import ignored
from .steps import Loaded


def static_files(config: SiteConfig, problems: Problems) -> tuple[tuple[Path, str], ...]:
    """The static files to copy, by output path: the theme's, each replaced by the site's file
    of the same name, and the site's own."""
    files: dict[str, Path] = {}
    root = config.root.resolve()
    for top in theme.static_folders(config.static_dir):
        site_own = top == config.static_dir
        for folder, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not ignored(d))
            for name in sorted(names):
                path = Path(folder) / name
                if ignored(name):
                    continue
                url = "static/" + path.relative_to(top).as_posix()
                if site_own and path.is_symlink() and not path.resolve().is_relative_to(root):
                    problems.error(url, 0, "symbolic link to a path outside the site; not followed")
                    continue
                files[url] = path
    logo = config.publisher.logo
    if logo and not logo.startswith("static/"):
        files[Path(logo).as_posix()] = config.root / logo
    return tuple((path, url) for url, path in sorted(files.items()))


def file_sources(loaded: Loaded, files: dict | None = None) -> dict[str, Path]:
    """Where each file copied into the output comes from (static files, photos and page pictures),
    by its URL; a partial model's are those of the last build (`files`, as `file_state` kept them)."""
    if loaded.cache.built is not None and loaded.cache.built.partial and files is not None:
        return {url: Path(kept[0]) for url, kept in files.items()}
    sources = dict((url, path) for path, url in loaded.static_files)
    sources.update((url, loaded.config.root / source) for source, url in loaded.site.assets)
    return sources


def link_unchanged(outputs: list[Output], wanted: dict[str, str], changed: list[Output], staging: Staging,
                    out: Path) -> None:
    """Hard-link the outputs not rendered again from the old output into the staging folder;
    one lost from the old output is added to `changed`, to be rendered again (ModelNeeded when
    a partial model does not hold it)."""
    rendering = {o.url for o in changed}
    planned: dict[str, Output] | None = None
    for url in wanted:
        if url in rendering:
            continue
        if (out / url).is_file():
            staging.link(out / url, url)
            continue
        planned = planned if planned is not None else {o.url: o for o in outputs}
        if url not in planned:
            raise ModelNeeded(f"{url} is missing from the old output")
        changed.append(planned[url])


def copy_files(sources: dict[str, Path], changed_files: set[str], staging: Staging, out: Path,
                in_place: bool) -> list[str]:
    """Copy the static files and assets that changed (or are missing from the old output) into
    the staging folder, and link the others when the output is staged whole; give the copied."""
    copied = []
    for url, path in sources.items():
        if url in changed_files or not (out / url).is_file():
            if _stored(path):
                staging.link(path, url)
            else:
                staging.copy(path, url)
            copied.append(url)
        elif not in_place:
            staging.link(out / url, url)
    return copied


def _stored(path: Path) -> bool:
    """True for a derivative in the picture store (`.broadsheet-cache/pictures/<shard>/<key>/<name>`),
    which is never written again in place (a key's folder is replaced whole, `pictures.store`): the
    output can share its file, a link instead of a copy (at 10,000 articles, 0.25 s of the build's
    serial end). A site's and the theme's static files are copied: editing the output must not
    edit them."""
    from .pictures.store import SUBFOLDER  # (with the pictures' reader: not imported by an edit of articles)

    return path.parts[-5:-3] == (FOLDER, SUBFOLDER)


def file_state(path: Path) -> tuple[str, int, int]:
    """A copied file's state: where it comes from (the site's static/ or the theme's), its time and size."""
    stat = path.stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)
