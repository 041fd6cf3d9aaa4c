"""The build: read and validate everything, then render, then write — in that order.

Builds are incremental: the cache (`cache.py`) keeps each source's reading,
each body's HTML and the digest of each output written, so a build renders
only the outputs whose digest changed and reuses the others from the old
output by hard links. The new site is still assembled in a staging folder and
swapped in whole; a build in which nothing changed touches nothing at all.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Callable

from . import cache as build_cache
from . import postbuild, quick, snapshot, theme
from .config import SiteConfig, load_config
from .content import Loader, ignored
from .digests import Digests, analyses
from .output import MARKER, Staging
from .plan import plan
from .problems import Problems
from .render import BodyHtml, Renderer, compile_templates, make_environment
from .steps import Loaded, Options, Result, render, search_input

# A change to few files of a large site is moved into the output file by file
# (output.Staging.commit_into); anything bigger is staged whole and swapped.
IN_PLACE_MIN_FILES = 1000
IN_PLACE_MAX_SHARE = 0.05


def load(options: Options, problems: Problems, cache: build_cache.BuildCache | None = None, write: bool = False,
         config: SiteConfig | None = None) -> Loaded | None:
    """Read and validate the configuration (unless given), content, templates and static files."""
    config = config or load_config(options.config_path, problems, base_url=options.base_url)
    if config is None:
        return None
    if cache is None:
        cache = build_cache.load(config.root, _cache_key(config, options), clean=options.clean)
    store = build_cache.BodyStore(config.root, cache.key, clean=options.clean)
    analyses(cache.analyses)
    loader = Loader(config, problems, options.drafts, cache, options.jobs, store, write)
    site = loader.load()
    env = make_environment(config, config.root / build_cache.FOLDER / "jinja" if write else None)
    compile_templates(env, config, problems)
    static_files = _static_files(config, problems)
    if problems.has_errors(options.strict) or site is None:
        return None
    return Loaded(config, site, env, static_files, cache, store, frozenset(loader.live))


def _cache_key(config: SiteConfig, options: Options) -> str:
    return hashlib.blake2b(f"{build_cache.code_key()}\0{config!r}\0{options.drafts}".encode(), digest_size=16).hexdigest()


def inputs_fingerprint(config: SiteConfig, options: Options, scanned: tuple | None = None) -> str:
    """A digest of every input's name, size and modification time, and of the options that shape output."""
    stats, folders = scanned or snapshot.scan(config, options.config_path, ignored)
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{options.drafts}\0{options.strict}\0{options.base_url}\0{config!r}".encode())
    for path in sorted(folders):
        digest.update(f"{path}/\0".encode("utf-8", "surrogatepass"))
    for path, (mtime, size) in sorted(stats.items()):
        digest.update(f"{path}\0{mtime}:{size}\0".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _static_files(config: SiteConfig, problems: Problems) -> tuple[tuple[Path, str], ...]:
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


def build(options: Options) -> Result:
    """Build the site into the output folder; on any error the old output stays as it was."""
    return _run(options, write=True)


def check(options: Options) -> Result:
    """Validate everything and render in memory; write nothing (not even the cache)."""
    return _run(options, write=False)


def _run(options: Options, write: bool) -> Result:
    started = time.monotonic()
    result = Result()
    config = load_config(options.config_path, result.problems, base_url=options.base_url)
    if config is None:
        result.seconds = time.monotonic() - started
        return result
    key = _cache_key(config, options)
    out = options.out.resolve()
    scanned = snapshot.scan(config, options.config_path, ignored)
    quick_result = quick.quick(config, options, key, out, scanned, started) if write and not options.clean else None
    if quick_result is not None:
        quick_result.seconds = time.monotonic() - started
        return quick_result
    cache = build_cache.load(config.root, key, clean=options.clean, notes=result.notes)
    fingerprint = inputs_fingerprint(config, options, scanned)
    pending = snapshot.load_edits(config.root, cache.generation) if cache.generation else None
    if pending == snapshot.DAMAGED:
        cache.outputs.clear()  # quick builds rewrote outputs, which ones is lost: render every one
        cache.fingerprint = None
    elif pending is not None and pending.outputs:
        cache.outputs.update(pending.outputs)  # what quick builds rewrote since this cache was saved
        cache.fingerprint = None
    if (write and cache.fingerprint == fingerprint and cache.report is not None
            and cache.output_folder == str(out) and (out / MARKER).is_file()):
        # Not one input changed since the last good build of this output: it stands as it is.
        result.notes.append("no input changed since the last build of this output: nothing to do")
        problems, result.counts = cache.report
        result.problems.items.extend(problems)
        result.ok = not result.problems.has_errors(options.strict)
        result.seconds = time.monotonic() - started
        return result
    cache.fingerprint = None
    result.lap("start")
    loaded = load(options, result.problems, cache, write, config)
    result.lap("read")
    if loaded is not None:
        result.site = loaded.site
        written = None
        if write:
            written = _write(loaded, options, result)
        else:
            render(loaded, options, result, plan(loaded.site, loaded.config, loaded.cache.slug_of), None)
        result.ok = not result.problems.has_errors(options.strict)
        if write and result.ok:
            loaded.cache.fingerprint = fingerprint
            loaded.cache.report = (list(result.problems.items), result.counts)
        if write:
            keep = result.ok and written.done
            if keep:
                loaded.cache.generation = written.generation
                loaded.cache.dirty = True
            loaded.store.save(loaded.live)
            saved = build_cache.save(loaded.config.root, loaded.cache)
            quick.keep_snapshot(loaded, options, key, out, scanned, result, written, keep and saved, saved)
            result.lap("save cache and snapshot")
        result.note_times()
    result.seconds = time.monotonic() - started
    return result


def _write(loaded: Loaded, options: Options, result: Result) -> quick.Written:
    """Render what changed, reuse what did not, and swap the new output in (`done` unless it failed)."""
    cache = loaded.cache
    out = options.out.resolve()
    digests = Digests(loaded.env, loaded.site, loaded.config, cache.key)
    result.lap("plan")
    # The search index needs the articles' digests only: it is made in a child from here on,
    # beside the planning (one core) and the rendering, into the staging folder.
    with Staging(out) as staging, postbuild.indexing(search_input(loaded, digests), options.jobs, staging, out) as indexing:
        result.lap("search")  # all of it when made here (one job, or the dev server)
        return _write_staged(loaded, options, result, staging, digests, indexing)


def _write_staged(loaded: Loaded, options: Options, result: Result, staging: Staging, digests: Digests,
                  indexing: Callable[[], tuple]) -> quick.Written:
    cache = loaded.cache
    out = options.out.resolve()
    outputs = plan(loaded.site, loaded.config, loaded.cache.slug_of)
    renderer = Renderer(loaded.env, loaded.site, loaded.config, BodyHtml(loaded.store))
    result.lap("plan")
    wanted = {o.url: digests.output(o, renderer) for o in outputs}
    generation = snapshot.new_generation()
    written = quick.Written(generation, quick.model_writer(loaded, outputs, wanted, digests, generation, options.jobs))
    result.lap("digests")
    files = {url: _file_state(path) for path, url in loaded.static_files}
    files.update({url: _file_state(loaded.config.root / source) for source, url in loaded.site.assets})
    usable = cache.output_folder == str(out) and (out / MARKER).is_file()
    old_outputs = cache.outputs if usable else {}
    old_files = cache.files if usable else {}
    changed = [o for o in outputs if old_outputs.get(o.url) != wanted[o.url]]
    changed_files = {url for url in files if old_files.get(url) != files[url]}
    gone = sorted((old_outputs.keys() - wanted.keys()) | (old_files.keys() - files.keys()))
    result.outputs = len(outputs)
    if not changed and not changed_files and not gone:
        result.notes.append(f"all {len(outputs)} outputs unchanged: nothing written")
        written.done = True
        return written  # nothing changed: the output on disk is already this build's
    total = len(wanted) + len(files)
    in_place = usable and total >= IN_PLACE_MIN_FILES and len(changed) + len(changed_files) + len(gone) <= total * IN_PLACE_MAX_SHARE
    sources = dict((url, path) for path, url in loaded.static_files)
    sources.update((url, loaded.config.root / source) for source, url in loaded.site.assets)
    if not in_place:
        _link_unchanged(outputs, changed, staging, out)
    result.lap("link unchanged")
    render(loaded, options, result, changed, staging)
    result.lap("render")
    result.outputs = len(outputs)
    if result.problems.has_errors(options.strict):
        return written
    copied = _copy_files(sources, changed_files, staging, out, in_place)
    # Hook (postbuild.py): the search index, in the staging folder before the swap so that a
    # failed indexer leaves the old site.
    result.lap("copy")
    moves, deletions = postbuild.finish(indexing, loaded.config, staging, out, in_place, result.problems, result.notes)
    result.lap("search")
    if result.problems.has_errors(options.strict):
        return written
    snapshot.drop(loaded.config.root)  # it describes the output about to be replaced
    if in_place:
        staging.commit_into([o.url for o in changed] + copied + moves, gone + deletions)
    else:
        staging.commit()
    result.lap("commit")
    how = "moved into the output file by file" if in_place else "staged and swapped in"
    result.notes.append(
        f"rendered {len(changed)} of {len(outputs)} outputs, copied {len(copied)} files, "
        f"removed {len(gone)}; {how}"
    )
    cache.outputs, cache.files, cache.output_folder = wanted, files, str(out)
    cache.analyses = {key: analyses()[key] for key in digests.analysed}
    cache.dirty = True
    written.done = True
    return written


def _link_unchanged(outputs: list, changed: list, staging: Staging, out: Path) -> None:
    """Hard-link the outputs not rendered again from the old output into the staging folder;
    one lost from the old output is added to `changed`, to be rendered again."""
    rendering = {o.url for o in changed}
    for output in outputs:
        if output.url in rendering:
            continue
        if (out / output.url).is_file():
            staging.link(out / output.url, output.url)
        else:
            changed.append(output)


def _copy_files(sources: dict[str, Path], changed_files: set[str], staging: Staging, out: Path,
                in_place: bool) -> list[str]:
    """Copy the static files and assets that changed (or are missing from the old output) into
    the staging folder, and link the others when the output is staged whole; give the copied."""
    copied = []
    for url, path in sources.items():
        if url in changed_files or not (out / url).is_file():
            staging.copy(path, url)
            copied.append(url)
        elif not in_place:
            staging.link(out / url, url)
    return copied


def _file_state(path: Path) -> tuple[str, int, int]:
    """A copied file's state: where it comes from (the site's static/ or the theme's), its time and size."""
    stat = path.stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)
