"""The one build, the same steps for a first build and an edit (`_run`): scan what changed, read
the changed sources, assemble the model (or replace the edited articles in the kept one), refresh
the digests, render the outputs whose digest changed, stage, commit and save the build state."""

from __future__ import annotations

import functools
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import cache as build_cache
from . import changes, copying, listed, partial, postbuild, replace, saving, state
from .bodies import body_warnings
from .changes import cache_key, ours
from .config import SiteConfig, load_config
from .digests import Digests, analyses
from .output import Staging
from .plan import Output, plan
from .problems import Problems
from .render import BodyHtml, Renderer, compile_templates, make_environment
from .steps import Loaded, Options, Replaced, Result, render, search_input

if TYPE_CHECKING:  # (the dev server's: not imported by the command line's build)
    from .session import Session

# A change to few files of a large site is moved into the output file by file
# (output.Staging.commit_into); anything bigger is staged whole and swapped.
IN_PLACE_MIN_FILES = 1000
IN_PLACE_MAX_SHARE = 0.05


def load(options: Options, problems: Problems, cache: build_cache.BuildCache | None = None, write: bool = False,
         config: SiteConfig | None = None, scanned: dict[str, tuple[int, int]] | None = None) -> Loaded | None:
    """Read and validate the configuration (unless given), content, templates and static files
    (`scanned`: each file's (mtime_ns, size) as this build's scan found them)."""
    from .content import Loader  # (with the page PDFs' reader: not imported by an edit of articles alone)

    config = config or load_config(options.config_path, problems, base_url=options.base_url)
    if config is None:
        return None
    if cache is None:
        cache, shards = state.load(config.root, cache_key(config, options), clean=options.clean)
        state.read_shards(cache, shards, False, [])
    store = build_cache.BodyStore(config.root, cache.key, clean=options.clean)
    analyses(cache.analyses)
    env = make_environment(config, cache.bytecode if write else None)
    compiled: list[bool] = []

    def compile_once() -> None:  # while the workers read the articles, when there are any
        if not compiled:
            compiled.append(True)
            compile_templates(env, config, problems)

    loader = Loader(config, problems, options.drafts, cache, options.jobs, store, write, compile_once, scanned)
    site = loader.load()
    compile_once()
    static_files = copying.static_files(config, problems)
    if problems.has_errors(options.strict) or site is None:
        return None
    return Loaded(config, site, env, static_files, cache, store, frozenset(loader.live))


def build(options: Options, kept: Session | None = None, looked: changes.Look | None = None) -> Result:
    """Build the site into the output folder; on any error the old output stays as it was.
    `looked`: the first step, when the caller took it (`changes.look`). With `kept` (a process
    that builds again: the dev server), the build state comes from and stays in memory, and
    saving it is left to `kept.finish()`, which may save several builds' state at once."""
    if kept is not None:
        return _run(options, changes.Look(Result(), time.monotonic()), write=True, kept=kept)
    return _run(options, looked or changes.look(options, write=True), write=True)


def check(options: Options) -> Result:
    """Validate everything and render in memory; write nothing (not even the cache)."""
    return _run(options, changes.look(options, write=False), write=False)


def _run(options: Options, looked: changes.Look, write: bool, kept: Session | None = None, whole: bool = False) -> Result:
    result = looked.result
    # 1. what changed since the last good build: the command line's scan, or the dev server's memory
    first = _from_disk(options, looked) if kept is None else _from_memory(options, looked, kept)
    if first is None:  # no configuration, or nothing changed since the last good build of this output
        result.seconds = time.monotonic() - looked.started
        return result
    config, scanned = looked.config, looked.scanned
    assert config is not None
    cache, shards, fingerprint = first
    cache.fingerprint = None
    result.lap("start")
    # 2-3. read the changed sources; replace them in the kept model, or assemble the model anew
    # (the dev server keeps the whole model in memory: its edits need no partial one)
    loaded = _replaced(config, options, cache, shards, scanned, result, whole or kept is not None) if write else None
    if loaded is None:
        if kept is not None:
            kept.before_assembling()  # an edit's save still pending is of the state as it was
        cache.built = None
        state.read_shards(cache, shards, False, result.notes)
        # (the dev server's scan is its memory of the watcher's events: its files are looked at again)
        loaded = load(options, result.problems, cache, write, config, scanned[0] if kept is None else None)
    result.lap("read")
    if loaded is not None:
        alone = _partial(loaded)
        if alone:
            result.counts = cache.report[1]  # the edit changed none (its model is a part of the site's)
        else:
            result.site = loaded.site
        if write:
            try:
                _write_and_save(loaded, options, result, fingerprint, scanned, kept)
            except build_cache.ModelNeeded as exc:
                if not alone:
                    raise
                # nothing written: the build again, from the whole kept model (read from disk again)
                result.notes.append(f"{exc}: the whole kept model is read")
                again = changes.Look(Result(notes=result.notes), looked.started, config, scanned, looked.fingerprint)
                return _run(options, again, write, kept, whole=True)
        else:
            outputs = plan(loaded.site, loaded.config, loaded.cache.slug_of)
            render(loaded, options, result, outputs, None)
            result.ok = not result.problems.has_errors(options.strict)
        result.note_times()
    result.seconds = time.monotonic() - looked.started
    return result


def _partial(loaded: Loaded) -> bool:
    """True when the model is the edited editions' alone, read from their shards (`partial`)."""
    built = loaded.cache.built
    return built is not None and built.partial


def _from_disk(options: Options, looked: changes.Look) -> tuple | None:
    """The build state on disk, after the scan found a change (None: no change, or no configuration)."""
    config = looked.config
    if config is None or looked.unchanged:
        return None
    cache, shards = state.load(config.root, cache_key(config, options), clean=options.clean, notes=looked.result.notes)
    return cache, shards, lambda: looked.fingerprint


def _from_memory(options: Options, looked: changes.Look, kept: Session) -> tuple | None:
    """The dev server's first step: the build state it kept, with the files its watcher saw
    change (None: no configuration, or nothing changed since its last good build)."""
    result = looked.result
    looked.config = config = load_config(options.config_path, result.problems, base_url=options.base_url)
    if config is None:
        return None
    looked.scanned, cache, shards, same = kept.start(config, options, cache_key(config, options), result.notes)
    fingerprint = functools.cache(lambda: changes.fingerprint(changes.settings(config, options), looked.scanned))
    if same is None:
        same = cache.fingerprint == fingerprint()
    if same and cache.report is not None and _ours(cache, options.out.resolve()):
        changes.stands(result, cache.report, options.strict)
        return None
    return cache, shards, fingerprint


def _ours(cache: build_cache.BuildCache, out: Path) -> bool:
    """True when the output folder is the one the build state describes."""
    return ours(cache.output_folder, out)


def _replaced(config: SiteConfig, options: Options, cache: build_cache.BuildCache, shards: state.Shards | None,
              scanned: tuple, result: Result, whole: bool) -> Loaded | None:
    """The kept model with the edited articles replaced, when only articles changed and kept
    their place (`replace`); None, having changed nothing that matters, when it must be assembled.
    Unless `whole`, only the shards of the edited articles' editions are read when they are all
    the edit needs (`partial`)."""
    if shards is None or state.SITE not in shards.tokens or cache.report is None or not _ours(cache, options.out.resolve()):
        return None
    changed = replace.changed_files(cache, scanned)
    if changed is None or not replace.articles_only(cache, shards, changed, result.notes):
        return None
    names = {state.shard_of(p) for p in changed}
    alone = not whole and cache.built is None and partial.read(cache, shards, names, result.notes)
    if not alone and not state.read_shards(cache, shards, True, result.notes, names) or cache.built is None:
        return None
    edited = replace.read_all(config, cache, changed, scanned[0])
    if edited is None:
        return None
    analyses(cache.analyses)
    env = make_environment(config, cache.bytecode)
    if alone and not partial.alone(cache, shards, edited, env, config, result.notes):  # the whole kept model, then
        if not state.read_shards(cache, shards, True, result.notes, names):
            return None
    items = replace.problems_now(cache, edited)
    if any(not p.warning for p in items) or (options.strict and items):
        return None  # the assembled build reports them
    result.problems.items.extend(items)
    built = cache.built
    assert built is not None
    store = build_cache.BodyStore(config.root, cache.key)
    replace.take_in(cache, edited, store)
    articles, affected = replace.set_into(built, edited)
    if built.partial:
        partial.forget_columns(built, articles)
    static_files = copying.static_files(config, result.problems)
    result.notes.append(f"{len(edited)} edited article{'s' * (len(edited) != 1)} replaced in the kept model"
                        + (f" (read from {len(names)} of its shards alone)" if built.partial else ""))
    return Loaded(config, built.site, env, static_files, cache, store, None, Replaced(articles, affected, shards))


def _write_and_save(loaded: Loaded, options: Options, result: Result, fingerprint: Callable[[], str], scanned: tuple,
                    kept: Session | None = None) -> None:
    """Steps 4-6: digest, render and write what changed; then save the build state (`kept`:
    left to `kept.finish()`, after the new output is served)."""
    cache, alone = loaded.cache, _partial(loaded)
    done = _write(loaded, options, result)
    result.ok = not result.problems.has_errors(options.strict)
    if not (result.ok and done):
        cache.built = None  # the model does not describe the output on disk
    else:
        cache.fingerprint = None if kept else fingerprint()
        cache.report = (list(result.problems.items), result.counts)
        cache.stats, cache.folders = scanned[0], frozenset(scanned[1])
        if loaded.replaced is None and cache.built is not None:
            cache.built.own_problems = _own_problems(loaded, result)
    good = result.ok and done
    replaced = loaded.replaced  # every shard is saved; after an edit, its editions' alone (the site shard names them)
    # (with the side shards of the listing pages it changed: `listed`)
    edited = None if replaced is None else {state.shard_of(a.source) for a in replaced.articles}
    if replaced is not None and edited is not None and cache.built is not None:
        edited |= _side_shards(cache.built, replaced.affected)

    def save(rewrite: set[str] | None = edited) -> state.Shards | None:
        if good and cache.fingerprint is None:
            cache.fingerprint = fingerprint()
        live = loaded.live if loaded.live is not None or alone else frozenset(a.body.key for a in loaded.site.articles)
        # (a partial model knows not every live body: the store keeps all)
        written = saving.save(loaded.config.root, cache, rewrite, replaced.shards if replaced else None,
                              keep=kept is not None, jobs=options.jobs, beside=functools.partial(loaded.store.save, live))
        if alone:
            cache.built = None  # a part of the model: the next build in this process reads the rest
        return written

    if kept is None:
        save()
        result.lap("save the build state")
    else:  # the dev server's: `rewrite` names the shards of the edits since its last save too
        kept.after(save, good, edited, loaded.store)


def _side_shards(built: build_cache.Built, affected: set[str]) -> set[str]:
    """The side shards (`listed`) that keep outputs of the site shard among these by value."""
    return {name for output in built.outputs_at(affected) if output.context.get("edition") is None
            and (name := listed.part_of(output)) is not None}


def _own_problems(loaded: Loaded, result: Result) -> dict[str, tuple]:
    """Each article's problems that do not come from its body (which an edit of it replaces)."""
    sources, bodies = loaded.cache.sources, loaded.cache.bodies
    own: dict[str, list] = {}
    for problem in result.problems.items:
        if problem.path in sources:
            own.setdefault(problem.path, []).append(problem)
    for source, problems in own.items():
        record = sources[source][2]
        meta = bodies.get(record.body_key)
        body = {*record.problems, *(body_warnings(source, record.switches, meta) if meta else ())}
        own[source] = [p for p in problems if p not in body]
    return {source: tuple(found) for source, found in own.items()}


def _write(loaded: Loaded, options: Options, result: Result) -> bool:
    """Render what changed, reuse what did not, and put the new output in place: True when done."""
    out = options.out.resolve()
    cache, replaced = loaded.cache, loaded.replaced
    if replaced is None:
        digests = Digests(loaded.env, loaded.site, loaded.config, cache.key)
    else:
        assert cache.built is not None
        digests = Digests(loaded.env, loaded.site, loaded.config, cache.key, state=cache.built.digests)
        digests.update(replaced.articles)  # 4. refresh the digests of what the edited articles touch
    result.lap("plan")
    # The search index needs the articles' digests only: it is made in a child from here on,
    # beside the planning (one core) and the rendering, into the staging folder.
    with Staging(out) as staging, postbuild.indexing(search_input(loaded, digests), options.jobs, staging, out) as indexing:
        result.lap("search")  # all of it when made here (one job, or the dev server)
        return _write_staged(loaded, options, result, staging, digests, indexing)


def _digested(loaded: Loaded, digests: Digests, renderer: Renderer) -> tuple[list[Output], dict[str, str]]:
    """Every output, and the digest of each: planned and digested anew, or those of the kept
    model with the outputs covering the edited articles digested again."""
    cache, replaced = loaded.cache, loaded.replaced
    if replaced is None or cache.built is None:
        outputs = plan(loaded.site, loaded.config, cache.slug_of)
        wanted = {o.url: digests.output(o, renderer) for o in outputs}
        cache.built = build_cache.Built(loaded.site, outputs, (), digests.deps, digests.mentions, _refs(outputs), {})
    else:
        outputs = cache.built.outputs
        wanted = dict(cache.outputs)
        wanted.update((o.url, digests.output(o, renderer)) for o in cache.built.outputs_at(replaced.affected))
    cache.built.digests = digests.state()
    return outputs, wanted


def _refs(outputs: list[Output]) -> dict:
    """The article references that tag and people pages list, by article URL."""
    return {ref.url: ref for o in outputs if "term" in o.context for ref in o.context["term"].articles}


def _write_staged(loaded: Loaded, options: Options, result: Result, staging: Staging, digests: Digests,
                  indexing: Callable[[], tuple]) -> bool:
    cache = loaded.cache
    out = options.out.resolve()
    renderer = Renderer(loaded.env, loaded.site, loaded.config, BodyHtml(loaded.store))
    if cache.built is not None and cache.built.partial:
        renderer = partial.renderer(renderer, cache.built)
    outputs, wanted = _digested(loaded, digests, renderer)
    result.lap("digests")
    if not _derive_pictures(loaded, options, result):
        return False
    # only articles changed, and kept their place: the copied files are as they were, and where
    # each comes from is needed only when the output is staged whole
    sources = None if loaded.replaced else copying.file_sources(loaded)
    usable = _ours(cache, out)
    old_outputs = cache.outputs if usable else {}
    changed = [o for o in _redigested(loaded, outputs, usable) if old_outputs.get(o.url) != wanted[o.url]]
    files, changed_files, gone = _files_and_gone(cache, sources, usable, old_outputs, wanted)
    result.outputs = len(wanted)  # (a partial model's outputs are its editions')
    if not changed and not changed_files and not gone:
        result.notes.append(f"all {len(wanted)} outputs unchanged: nothing written")
        return True  # nothing changed: the output on disk is already this build's
    in_place = usable and _in_place(len(changed) + len(changed_files) + len(gone), len(wanted), files, cache)
    if not in_place:
        copying.link_unchanged(outputs, wanted, changed, staging, out)
    result.lap("link unchanged")
    copied: list[str] = []
    # only articles changed: no file to copy, and moved in file by file, none to link
    copy = None if in_place and loaded.replaced is not None else functools.partial(
        _copy_files, loaded, sources, files, changed_files, staging, in_place, copied)
    render(loaded, options, result, changed, staging, renderer, copy)  # 5. render the outputs whose digest changed
    result.lap("render and copy")
    result.outputs = len(wanted)
    if result.problems.has_errors(options.strict):
        return False
    # Hook (postbuild.py): the search index, in the staging folder before the swap so that a
    # failed indexer leaves the old site.
    moves, deletions = postbuild.finish(indexing, loaded.config, staging, out, in_place, result.problems, result.notes)
    result.lap("search")
    if result.problems.has_errors(options.strict) or not saving.mark_committing(loaded.config.root):
        return False
    if in_place:  # 6. stage, commit (and the caller saves)
        staging.commit_into([o.url for o in changed] + copied + moves, gone + deletions)
    else:
        staging.commit()
    result.lap("commit")
    how = "moved into the output file by file" if in_place else "staged and swapped in"
    result.notes.append(
        f"rendered {len(changed)} of {len(wanted)} outputs, copied {len(copied)} files, "
        f"removed {len(gone)}; {how}"
    )
    cache.outputs, cache.output_folder = wanted, str(out)
    if files is not None:
        cache.files = files
    cache.analyses = {key: analyses()[key] for key in digests.analysed} | (
        cache.analyses if loaded.replaced is not None else {})
    cache.dirty = True
    return True


def _copy_files(loaded: Loaded, sources: dict | None, files: dict | None, changed_files: set[str], staging: Staging,
                in_place: bool, copied: list[str]) -> None:
    """Copy the static files and photos into the staging folder, their URLs into `copied`: done
    while the workers render, since what is copied does not depend on the pages."""
    cache = loaded.cache
    sources = sources or copying.file_sources(loaded, cache.files if files is None else files)
    copied.extend(copying.copy_files(sources, changed_files, staging, staging.out, in_place))


def _files_and_gone(cache: build_cache.BuildCache, sources: dict | None, usable: bool, old_outputs: dict,
                    wanted: dict) -> tuple[dict | None, set[str], list[str]]:
    """The copied files' states now (None: as the state kept them, when only articles were
    replaced), those that changed, and the outputs and files gone from the old output."""
    if sources is None:  # the files of the output the state describes (`_replaced` made sure it is)
        return None, set(), sorted(old_outputs.keys() - wanted.keys())
    files = {url: copying.file_state(path) for url, path in sources.items()}
    old_files = cache.files if usable else {}
    changed = {url for url in files if old_files.get(url) != files[url]}
    return files, changed, sorted((old_outputs.keys() - wanted.keys()) | (old_files.keys() - files.keys()))


def _in_place(count: int, outputs: int, files: dict | None, cache: build_cache.BuildCache) -> bool:
    """Whether `count` changes are few enough for the output to take them file by file; the copied
    files are counted only when the outputs alone are not enough (None: those the state kept,
    which an edit of articles need not even unpickle)."""
    def few(total: int) -> bool:
        return total >= IN_PLACE_MIN_FILES and count <= total * IN_PLACE_MAX_SHARE

    return few(outputs + len(files or ())) or (files is None and few(outputs + len(cache.files)))


def _redigested(loaded: Loaded, outputs: list[Output], usable: bool) -> list[Output]:
    """The outputs whose digest may have changed: after an edit (of the output the state
    describes), only those covering the edited articles were digested again."""
    built = loaded.cache.built
    if loaded.replaced is None or not usable or built is None:
        return outputs
    return built.outputs_at(loaded.replaced.affected)


def _derive_pictures(loaded: Loaded, options: Options, result: Result) -> bool:
    """Make the derivatives of photos and page pictures missing from the picture store (on all
    cores), before they are copied like any file; False when one could not be made. Not when
    only articles were replaced in the kept model: its pictures are those of the last build."""
    if loaded.replaced is not None:
        return True
    from .pictures import making as pictures

    sources = loaded.site.pictures
    made = pictures.make(loaded.config.root, loaded.config.pictures, sources, options.jobs, options.clean, options.quiet)
    for rel, line, message in made.problems:
        result.problems.error(rel, line, message)
    result.notes.append(made.note(len(sources)))
    result.lap("pictures")
    return not made.problems
