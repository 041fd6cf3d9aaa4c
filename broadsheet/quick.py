"""Quick builds: an edited article set into the last full build's snapshot (`snapshot`), and only
the outputs showing it rendered; and the keeping of that snapshot by the full build."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from . import bodies, postbuild, snapshot
from . import cache as build_cache
from .config import SiteConfig
from .digests import EVERY_BODY, Digests, analyses
from .output import MARKER, Staging
from .parallel import in_background
from .plan import Output
from .problems import Problems
from .render import BodyHtml, Renderer, make_environment
from .steps import Loaded, Options, Result, render, search_input


@dataclass
class Written:
    """What a full build wrote, for keeping its snapshot."""

    generation: str
    model: Callable[[], None]  # waits for the child writing the snapshot's model
    done: bool = False  # the output is now this build's


def head_key(key: str, options: Options) -> str:
    return f"{key}\0{options.strict}"


def quick(config: SiteConfig, options: Options, key: str, out: Path, scanned: tuple, started: float) -> Result | None:
    """Build on the last full build's snapshot when only article bodies changed (`snapshot`);
    None, having changed nothing, when this build must take the full way."""
    found = _edits(config, options, key, out, scanned)
    if found is None:
        return None
    head, edits, changed, made = found
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
    loaded_model = snapshot.load_model(config.root, head.generation, edits)
    if loaded_model is None:
        return None
    model, by_source = loaded_model
    listing = _apply(model, by_source, made, store)
    analyses(model.analyses)
    result.lap("read")
    env = make_environment(config, config.root / build_cache.FOLDER / "jinja")
    renderer = Renderer(env, model.site, config, BodyHtml(store))
    digests = Digests(env, model.site, config, key, state=model.digests)
    # the quick builds before this one changed bodies too: the kept digests are the snapshot's
    digests.update([by_source[source] for source in {e.source for e in edits.edits} | set(changed)])
    outputs = {o.url: o for o in model.outputs}
    affected = _affected(model, by_source, changed, listing)
    wanted = {url: digests.output(outputs[url], renderer) for url in sorted(affected)}
    rewrite = [outputs[url] for url in sorted(affected) if wanted[url] != model.wanted.get(url)]
    result.lap("digests")
    live = frozenset(a.body.key for a in by_source.values())
    loaded = Loaded(config, model.site, env, (), build_cache.BuildCache(key=key), store, live)
    committed = _commit(loaded, digests, options, result, rewrite, out, replace(
        edits, outputs={**edits.outputs, **dict.fromkeys(wanted, "")}))
    if committed is None:
        return None
    if not committed:
        return result
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


def _commit(loaded: Loaded, digests: Digests, options: Options, result: Result, rewrite: list[Output], out: Path,
            pending: snapshot.Edits) -> bool | None:
    """Render the outputs to rewrite and index the search beside them, keep the `pending` edits
    and move the new files into the output: True when done, False when it found errors, None
    when the full build must run instead."""
    with Staging(out) as staging:
        with postbuild.indexing(search_input(loaded, digests), options.jobs, staging, out) as indexing:  # beside the rendering
            render(loaded, options, result, rewrite, staging)
            try:
                moves, deletions = postbuild.finish(indexing, loaded.config, staging, out, True, result.problems,
                                                    result.notes)
            except Exception:  # noqa: BLE001 - the full build will index (and report) it
                return None
        result.lap("render and search")
        if result.problems.has_errors(options.strict):
            return False
        # Until the edits are kept below, what the output holds is unknown: a build killed in
        # between must not take these files for the snapshot's.
        if not snapshot.save_edits(loaded.config.root, pending):
            return None
        staging.commit_into([o.url for o in rewrite] + moves, deletions)
        result.lap("commit")
    return True


def _edits(config: SiteConfig, options: Options, key: str, out: Path, scanned: tuple) -> tuple | None:
    """The snapshot's head, its edits, the articles changed since and their edits read; None when
    this build must take the full way."""
    found = snapshot.load_head(config.root, head_key(key, options))
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
    return head, edits, changed, made


def _apply(model: snapshot.Model, by_source: dict, made: list, store: build_cache.BodyStore) -> set[str]:
    """Set the edits into the kept model and their HTML into the store; give the articles whose
    listing fields changed: an edit shows beyond its article's page then (a summary cut from the
    body too)."""
    listing = {edit.source for edit, _ in made
               if any(getattr(by_source[edit.source], k) != v for k, v in edit.fields.items())}
    for edit, html in made:
        store.put(edit.body_key, html)
        snapshot.apply(model, by_source[edit.source], edit)
    return listing


def _affected(model: snapshot.Model, by_source: dict, changed: list[str], listing: set[str]) -> set[str]:
    """The outputs whose digest may cover the changed articles."""
    affected = set(model.every).union(*(model.deps.get(by_source[source].url, ()) for source in changed))
    affected.update(url for url, digest in model.wanted.items() if not digest)  # a killed quick build's
    if listing:
        affected.update(model.every_mention, *(model.mentions.get(by_source[source].url, ()) for source in listing))
    return affected


def model_writer(loaded: Loaded, outputs: list[Output], wanted: dict[str, str], digests: Digests, generation: str,
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


def keep_snapshot(loaded: Loaded, options: Options, key: str, out: Path, scanned: tuple, result: Result,
                   written: "Written", keep: bool, saved: bool) -> None:
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
        plain = not meta.references and article.source not in site.located  # hotspots found from its text: full way
        articles[article.source] = (record.front, record.structure, plain, alt_from_title)
    problems: dict[str, list] = {}
    for problem in result.problems.items:
        problems.setdefault(problem.path, []).append(problem)
    kept = {}
    for source, found in problems.items():
        if source in articles:
            record = cache.sources[source][2]
            own = {*record.problems, *bodies.body_warnings(source, record.switches, cache.bodies[record.body_key])}
            kept[source] = tuple(p for p in found if p not in own)
    stats, folders = scanned
    snapshot.keep(root, snapshot.Head(
        head_key(key, options), written.generation, str(out), stats, frozenset(folders), articles, kept,
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

