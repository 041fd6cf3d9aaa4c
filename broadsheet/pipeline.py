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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import jinja2

from . import cache as build_cache
from . import postbuild, snapshot
from .config import SiteConfig, load_config
from . import content
from .content import Loader, ignored
from .model import Site
from .output import MARKER, Staging
from .parallel import default_jobs, fork_map, in_background
from .problems import Problems
from .progress import Progress
from .render import EVERY_BODY, Digests, Output, Renderer, analyses, compile_templates, make_environment, plan, template_problem, template_problems


# A change to few files of a large site is moved into the output file by file
# (output.Staging.commit_into); anything bigger is staged whole and swapped.
IN_PLACE_MIN_FILES = 1000
IN_PLACE_MAX_SHARE = 0.05


@dataclass(frozen=True)
class Options:
    """What the command line asked for."""

    config_path: Path
    out: Path
    drafts: bool = False
    strict: bool = False
    base_url: str | None = None
    quiet: bool = False
    verbose: bool = False
    jobs: int = field(default_factory=default_jobs)
    clean: bool = False


@dataclass
class Result:
    """What a build or check did: its problems and counts."""

    problems: Problems = field(default_factory=Problems)
    site: Site | None = None
    outputs: int = 0
    rendered: int = 0
    seconds: float = 0.0
    ok: bool = False
    known_counts: tuple[int, int, int, int] = (0, 0, 0, 0)
    notes: list[str] = field(default_factory=list)  # what was done, for --verbose
    phases: dict[str, float] = field(default_factory=dict)  # seconds each step took, for --verbose
    _lap: float = field(default_factory=time.monotonic, repr=False)

    def lap(self, phase: str) -> None:
        """Note the time since the last lap as this phase's."""
        now = time.monotonic()
        self.phases[phase] = self.phases.get(phase, 0.0) + now - self._lap
        self._lap = now

    def note_times(self) -> None:
        """Add each phase's time to the notes --verbose prints."""
        self.notes.append("time: " + ", ".join(f"{k} {v:.2f} s" for k, v in self.phases.items()))

    @property
    def counts(self) -> tuple[int, int, int, int]:
        """Editions, pages and articles built, and editions left out as drafts only."""
        if self.site is None:
            return self.known_counts
        site = self.site
        return (len(site.editions), sum(len(e.pages) for e in site.editions), len(site.articles), len(site.unpublished))

    @counts.setter
    def counts(self, value: tuple[int, int, int, int]) -> None:
        self.known_counts = value

    def summary(self, verb: str) -> str:
        """The one-line summary: editions, pages, articles, seconds."""
        editions, pages, articles, skipped = self.counts
        warnings = len(self.problems.warnings)
        extra = f", {warnings} warning{'s' * (warnings != 1)}" if warnings else ""
        if skipped:
            extra += f"; {skipped} edition{'s' * (skipped != 1)} skipped: all drafts"
        return (
            f"{verb} {editions} edition{'s' * (editions != 1)}, {pages} page{'s' * (pages != 1)}, "
            f"{articles} article{'s' * (articles != 1)} in {self.seconds:.2f} s{extra}"
        )


@dataclass(frozen=True)
class Loaded:
    """Everything read and validated, ready to render."""

    config: SiteConfig
    site: Site
    env: jinja2.Environment
    static_files: tuple[tuple[Path, str], ...]
    cache: build_cache.BuildCache
    store: build_cache.BodyStore
    live: frozenset[str]  # the body keys this site uses


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
    loader = Loader(config, problems, options.drafts, cache, options.jobs, store)
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
    files: list[tuple[Path, str]] = []
    root = config.root.resolve()
    if config.static_dir.is_dir():
        for folder, dirs, names in os.walk(config.static_dir):
            dirs[:] = sorted(d for d in dirs if not ignored(d))
            for name in sorted(names):
                path = Path(folder) / name
                rel = path.relative_to(config.root).as_posix()
                if ignored(name):
                    continue
                if path.is_symlink() and not path.resolve().is_relative_to(root):
                    problems.error(rel, 0, "symbolic link to a path outside the site; not followed")
                    continue
                files.append((path, rel))
    logo = config.publisher.logo
    if logo and not logo.startswith("static/"):
        files.append((config.root / logo, Path(logo).as_posix()))
    return tuple(files)


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
    quick = _quick(config, options, key, out, scanned, started) if write and not options.clean else None
    if quick is not None:
        quick.seconds = time.monotonic() - started
        return quick
    cache = build_cache.load(config.root, key, clean=options.clean)
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
            _render(loaded, options, result, plan(loaded.site, loaded.config), None)
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
            _keep_snapshot(loaded, options, key, out, scanned, result, written, keep and saved, saved)
            result.lap("save cache and snapshot")
        result.note_times()
    result.seconds = time.monotonic() - started
    return result


def _render(loaded: Loaded, options: Options, result: Result, outputs: list[Output], staging: Staging | None) -> None:
    """Render outputs (on all cores), writing each into the staging folder when there is one."""
    renderer = Renderer(loaded.env, loaded.site, loaded.config)
    progress = Progress(len(outputs), "rendering", enabled=not options.quiet)

    def render_one(output: Output):
        try:
            text = renderer.render(output)
        except Exception as exc:  # noqa: BLE001 - any template error is reported at its line
            return template_problem(exc, loaded.config, output)
        if staging is not None:
            staging.write(output.url, text.encode("utf-8"))
        return None

    try:
        # Workers get indexes, not outputs: an output's context reaches the whole model, too big to pickle.
        found = fork_map(lambda index: render_one(outputs[index]), range(len(outputs)), options.jobs, progress.update)
        for problem in template_problems([problem for problem in found if problem is not None]):
            result.problems.error(*problem)
    finally:
        progress.close()
    result.outputs = len(outputs)
    result.rendered += len(outputs)


@dataclass
class _Written:
    """What a full build wrote, for keeping its snapshot."""

    generation: str
    model: Callable[[], None]  # waits for the child writing the snapshot's model
    done: bool = False  # the output is now this build's


def _write(loaded: Loaded, options: Options, result: Result) -> _Written:
    """Render what changed, reuse what did not, and swap the new output in (`done` unless it failed)."""
    cache = loaded.cache
    out = options.out.resolve()
    digests = Digests(loaded.env, loaded.site, loaded.config, cache.key)
    result.lap("plan")
    # The search index needs the articles' digests only: it is made in a child from here on,
    # beside the planning (one core) and the rendering, into the staging folder.
    with Staging(out) as staging, postbuild.indexing(loaded, options, staging, out, digests) as indexing:
        result.lap("search")  # all of it when made here (one job, or the dev server)
        return _write_staged(loaded, options, result, staging, digests, indexing)


def _write_staged(loaded: Loaded, options: Options, result: Result, staging: Staging, digests: Digests,
                  indexing: Callable[[], tuple]) -> _Written:
    cache = loaded.cache
    out = options.out.resolve()
    outputs = plan(loaded.site, loaded.config)
    renderer = Renderer(loaded.env, loaded.site, loaded.config)
    result.lap("plan")
    wanted = {o.url: digests.output(o, renderer) for o in outputs}
    generation = snapshot.new_generation()
    written = _Written(generation, _model_writer(loaded, outputs, wanted, digests, generation, options.jobs))
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
        rendering = {o.url for o in changed}
        for output in outputs:
            if output.url in rendering:
                continue
            if (out / output.url).is_file():
                staging.link(out / output.url, output.url)
            else:
                changed.append(output)  # lost from the old output: render it again
    result.lap("link unchanged")
    _render(loaded, options, result, changed, staging)
    result.lap("render")
    result.outputs = len(outputs)
    if result.problems.has_errors(options.strict):
        return written
    copied = []
    for url, path in sources.items():
        if url in changed_files or not (out / url).is_file():
            staging.copy(path, url)
            copied.append(url)
        elif not in_place:
            staging.link(out / url, url)
    # Hook (postbuild.py): the search index, in the staging folder before the swap so that a
    # failed indexer leaves the old site.
    result.lap("copy")
    moves, deletions = postbuild.finish(indexing, loaded, staging, out, in_place, result)
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


def _head_key(key: str, options: Options) -> str:
    return f"{key}\0{options.strict}"


def _quick(config: SiteConfig, options: Options, key: str, out: Path, scanned: tuple, started: float) -> Result | None:
    """Build on the last full build's snapshot when only article bodies changed (`snapshot`);
    None, having changed nothing, when this build must take the full way."""
    found = snapshot.load_head(config.root, _head_key(key, options))
    if found is None or found[0].out != str(out) or not (out / MARKER).is_file():
        return None
    head, edits = found
    stats, folders = scanned
    changed = snapshot.changed_sources(head, stats, folders)
    if changed is None or len(edits.edits) + len(changed) > snapshot.MAX_EDITS:
        return None
    made = []
    for source in changed:
        found_edit = snapshot.read_edit(config, head, source, stats[source])
        if found_edit is None:
            return None
        made.append(found_edit)
    problems = dict(head.problems)
    problems.update((edit.source, edit.problems) for edit, _ in made)
    items = [problem for found_problems in problems.values() for problem in found_problems]
    if any(not p.warning for p in items) or (options.strict and items):
        return None  # the full build reports them, as it reads everything
    result = Result(problems=Problems(items), _lap=started)
    result.lap("start")
    result.counts = head.counts
    if not made:
        result.notes.append("no input changed since the last build of this output: nothing to do")
        result.ok = True
        return result
    store = build_cache.BodyStore(config.root, key)
    loaded_model = snapshot.load_model(config.root, head.generation, store, edits)
    if loaded_model is None:
        return None
    model, by_source = loaded_model
    # an edit shows beyond its article's page when a listing field changed (a summary cut from the body too)
    listing = {edit.source for edit, _ in made
               if any(getattr(by_source[edit.source], k) != v for k, v in edit.fields.items())}
    for edit, html in made:
        store.put(edit.body_key, html)
        snapshot.apply(model, by_source[edit.source], edit)
    analyses(model.analyses)
    result.lap("read")
    env = make_environment(config, config.root / build_cache.FOLDER / "jinja")
    renderer = Renderer(env, model.site, config)
    digests = Digests(env, model.site, config, key, state=model.digests)
    # the quick builds before this one changed bodies too: the kept digests are the snapshot's
    digests.update([by_source[source] for source in {e.source for e in edits.edits} | set(changed)])
    outputs = {o.url: o for o in model.outputs}
    affected = set(model.every).union(*(model.deps.get(by_source[source].url, ()) for source in changed))
    affected.update(url for url, digest in model.wanted.items() if not digest)  # a killed quick build's
    if listing:
        affected.update(model.every_mention, *(model.mentions.get(by_source[source].url, ()) for source in listing))
    wanted = {url: digests.output(outputs[url], renderer) for url in sorted(affected)}
    rewrite = [outputs[url] for url in sorted(affected) if wanted[url] != model.wanted.get(url)]
    result.lap("digests")
    live = frozenset(a.body.key for a in by_source.values())
    loaded = Loaded(config, model.site, env, (), build_cache.BuildCache(key=key), store, live)
    with Staging(out) as staging:
        with postbuild.indexing(loaded, options, staging, out, digests) as indexing:  # beside the rendering
            _render(loaded, options, result, rewrite, staging)
            try:
                moves, deletions = postbuild.finish(indexing, loaded, staging, out, True, result)
            except Exception:  # noqa: BLE001 - the full build will index (and report) it
                return None
        result.lap("render and search")
        if result.problems.has_errors(options.strict):
            return result
        # Until the edits are kept below, what the output holds is unknown: a build killed in
        # between must not take these files for the snapshot's.
        if not snapshot.save_edits(config.root, replace(edits, outputs={**edits.outputs, **dict.fromkeys(wanted, "")})):
            return None
        staging.commit_into([o.url for o in rewrite] + moves, deletions)
        result.lap("commit")
    result.outputs = len(outputs)
    result.site = model.site
    store.save(live)
    edits.edits.extend(edit for edit, _ in made)
    edits.outputs.update(wanted)
    snapshot.save_edits(config.root, edits)
    result.lap("save cache")
    result.ok = True
    result.notes.append(
        f"quick build on the last full build's snapshot: {len(made)} edited article{'s' * (len(made) != 1)}, "
        f"rendered {len(rewrite)} of {len(affected)} outputs showing {'it' if len(made) == 1 else 'them'}"
    )
    result.note_times()
    return result


def _model_writer(loaded: Loaded, outputs: list[Output], wanted: dict[str, str], digests: Digests, generation: str,
                  jobs: int):
    """Start writing the snapshot's model in a forked child (it is the model this build renders,
    complete before rendering starts); return the call that waits for it."""
    def write() -> None:
        deps, every = _inverted(digests.deps)
        mentions, every_mention = _inverted(digests.mentions)
        refs = {ref.url: ref for o in outputs if "term" in o.context for ref in o.context["term"].articles}
        snapshot.save_model(loaded.config.root, snapshot.Model(
            generation, loaded.site, outputs, wanted, digests.state(), deps, every, mentions, every_mention, refs,
            {key: analyses()[key] for key in digests.analysed}))

    return in_background(write, jobs)


def _keep_snapshot(loaded: Loaded, options: Options, key: str, out: Path, scanned: tuple, result: Result,
                   written: "_Written", keep: bool, saved: bool) -> None:
    """Keep this full build's snapshot for quick builds (`snapshot`) when it went well and its
    build cache was `saved`; else drop the model its child wrote, and the old snapshot when the
    output is no longer the one it describes."""
    root = loaded.config.root
    try:
        written.model()
    except Exception as exc:  # noqa: BLE001 - without a snapshot the next build is only a full one
        result.notes.append(f"the snapshot for quick builds was not kept: {type(exc).__name__}: {exc}")
        keep = False
    if not keep:
        snapshot.discard(root, written.generation)
        if written.done:
            snapshot.drop(root, edits=saved)
        return
    cache, site = loaded.cache, loaded.site
    articles = {}
    for article in site.articles:
        record = cache.sources[article.source][2]
        meta = cache.bodies[record.body_key]
        alt_from_title = any(not (photo["alt"] or photo["caption"]) for photo in record.values["photos"])
        articles[article.source] = (record.front, record.structure, not meta.references, alt_from_title)
    problems: dict[str, list] = {}
    for problem in result.problems.items:
        problems.setdefault(problem.path, []).append(problem)
    kept = {}
    for source, found in problems.items():
        if source in articles:
            record = cache.sources[source][2]
            own = {*record.problems, *content.body_warnings(source, record.switches, cache.bodies[record.body_key])}
            kept[source] = tuple(p for p in found if p not in own)
    stats, folders = scanned
    snapshot.keep(root, snapshot.Head(
        _head_key(key, options), written.generation, str(out), stats, frozenset(folders), articles, kept,
        {path: tuple(found) for path, found in problems.items()}, result.counts))


def _inverted(found: dict[str, frozenset[str]]) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """{output: articles it covers} turned into {article: outputs covering it}, and the outputs
    that cover every article."""
    by_article: dict[str, list[str]] = {}
    every = []
    for url, articles in found.items():
        for article in articles:
            if article == EVERY_BODY:
                every.append(url)
            else:
                by_article.setdefault(article, []).append(url)
    return {article: tuple(urls) for article, urls in by_article.items()}, tuple(every)


def _file_state(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return (stat.st_mtime_ns, stat.st_size)
