"""The last full build's model, outputs and digests, kept so that an edited article is built
without reading and planning the whole site again.

A full build ends by keeping a snapshot in the build cache folder: a small head (every input
file's size and time, two digests of each article's front matter, the problems reported) and
the model itself (the site, the planned outputs, their digests, and which outputs show which
article, and which article's body). The next build compares its inputs with the head. When the
only files changed are articles whose front matter places them as before (everything but
the LISTING_KEYS — headline, kicker, subtitle, dateline, summary — is as it was, line for
line) and whose bodies link to no file, it reads those articles, sets their new bodies and
fields into the kept model, and renders again only the outputs whose digest covers them: a
quick build. Anything else takes the full way, which reads everything and keeps a new snapshot.

Quick builds add their edits to a list kept beside the snapshot and replayed on loading it;
the full build folds that list into the build cache (the outputs it rewrote) and starts a new
snapshot.
"""

from __future__ import annotations

import os
import pickle
import secrets
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable

from .articles import LISTING_KEYS, Settings, read_article
from . import theme
from .cache import FOLDER, write_pickle
from .config import SiteConfig
from .bodies import body_warnings
from .markup import BodyMeta, render_body
from .model import Site
from .problems import Problem

HEAD = "snapshot-head.pickle"
MODEL = "snapshot-model.pickle"
EDITS = "snapshot-edits.pickle"
FORMAT = 1
#: quick builds replayed on top of one snapshot before a full build is asked for
MAX_EDITS = 300


@dataclass
class Head:
    """What the next build compares its inputs with, and the last report."""

    key: str  # the build cache's key (code, configuration, drafts) and the options that shape the report
    generation: str  # shared by the head, the model, the edits and the build cache they go with
    out: str  # the output folder the snapshot describes
    stats: dict[str, tuple[int, int]]  # input file (relative to the site) -> (mtime_ns, size)
    folders: frozenset[str]  # input folders (their times change with editors' saves: not compared)
    articles: dict[str, tuple[str, str, bool, bool]]  # source -> (its record's `front` and `structure`,
    # whether its body links to no file, whether a photo's alt text is its headline)
    kept: dict[str, tuple[Problem, ...]]  # source -> its problems that do not come from its body
    problems: dict[str, tuple[Problem, ...]]  # path -> the problems reported there
    counts: tuple[int, int, int, int]


@dataclass
class Model:
    """The site as the last full build left it."""

    generation: str
    site: Site
    outputs: list  # plan.Output, in plan order
    wanted: dict[str, str]  # output URL -> digest
    digests: tuple  # digests.Digests.state()
    deps: dict[str, tuple[str, ...]]  # article URL -> the outputs whose digest covers its body
    every: tuple[str, ...]  # outputs whose digest covers every body
    mentions: dict[str, tuple[str, ...]]  # article URL -> the outputs whose digest covers it at all
    every_mention: tuple[str, ...]  # outputs whose digest covers every article
    refs: dict  # article URL -> its model.ArticleRef, the one that tag and people pages list
    analyses: dict  # the templates' (digests.analyses), as the build cache keeps them


@dataclass(frozen=True)
class Edit:
    """One article's new body and listing fields (headline, kicker…), from a quick build."""

    source: str
    stat: tuple[int, int]
    body_key: str
    meta: BodyMeta
    problems: tuple[Problem, ...]  # all of this source's problems now
    fields: dict = field(default_factory=dict)  # LISTING_KEYS -> the article's value now


@dataclass
class Edits:
    """The quick builds since the snapshot: their edits, and the digests of what they rewrote."""

    generation: str
    edits: list[Edit] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)  # output URL -> digest


def new_generation() -> str:
    """A token tying a snapshot to the build cache saved with it."""
    return secrets.token_hex(8)


def scan(config: SiteConfig, config_path: Path, ignored: Callable[[str], bool]) -> tuple[dict[str, tuple[int, int]], set[str]]:
    """Every input file's (mtime_ns, size) by its path relative to the site, and every folder."""
    root = str(config.root) + os.sep
    stats: dict[str, tuple[int, int]] = {}
    folders: set[str] = set()
    try:
        stat = config_path.stat()
        stats[str(config_path.absolute())] = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        pass
    stack = [str(config.content_dir), *map(str, theme.template_folders(config.templates_dir)),
             *map(str, theme.static_folders(config.static_dir))]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if ignored(entry.name):
                continue
            path = entry.path[len(root):] if entry.path.startswith(root) else entry.path
            try:
                if entry.is_dir():
                    folders.add(path)
                    stack.append(entry.path)
                    continue
                stat = entry.stat()
            except OSError:
                continue
            stats[path] = (stat.st_mtime_ns, stat.st_size)
    return stats, folders


# -- keeping -----------------------------------------------------------------------------


def save_model(root: Path, model: Model) -> None:
    """Write a full build's model under its generation's name, for `keep` to put in place."""
    folder = root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    write_pickle(folder / f"{MODEL}.{model.generation}", (FORMAT, model))


def keep(root: Path, head: Head) -> None:
    """Make a full build's snapshot the one quick builds use, and drop the previous one's edits
    (call it once the build cache, which took them in, is saved); a snapshot that cannot be
    kept only makes the next build a full one."""
    folder = root / FOLDER
    try:
        (folder / HEAD).unlink(missing_ok=True)  # no moment with a head and a model that disagree
        os.replace(folder / f"{MODEL}.{head.generation}", folder / MODEL)
        (folder / EDITS).unlink(missing_ok=True)
        write_pickle(folder / HEAD, (FORMAT, head))
        for stale in folder.glob(f"{MODEL}.*"):  # of builds that stopped before keeping or discarding theirs
            stale.unlink(missing_ok=True)
    except OSError:
        drop(root)


def discard(root: Path, generation: str) -> None:
    """Remove the model a full build's child wrote, when that build keeps no snapshot."""
    try:
        (root / FOLDER / f"{MODEL}.{generation}").unlink(missing_ok=True)
    except OSError:
        pass


def drop(root: Path, edits: bool = False) -> None:
    """Forget the snapshot: the output it describes is being replaced, or a part of it could not
    be written. Its edits go too only when asked: they are the build cache's only record of
    what quick builds rewrote until a build cache that took them in is saved."""
    for name in (HEAD, MODEL, EDITS) if edits else (HEAD, MODEL):
        try:
            (root / FOLDER / name).unlink(missing_ok=True)
        except OSError:
            pass


def load_head(root: Path, key: str) -> tuple[Head, Edits] | None:
    """The snapshot's head and the quick builds since, when they are for this key."""
    try:
        with (root / FOLDER / HEAD).open("rb") as handle:
            found = pickle.load(handle)
        if not (isinstance(found, tuple) and found[0] == FORMAT and found[1].key == key):
            return None
        head: Head = found[1]
        edits = load_edits(root, head.generation) or Edits(head.generation)
        if edits == DAMAGED:
            return None
    except Exception:  # noqa: BLE001 - a missing or damaged snapshot is only a slower build
        return None
    for edit in edits.edits:
        head.stats[edit.source] = edit.stat
        head.problems[edit.source] = edit.problems
    return head, edits


#: what `load_edits` gives for an edits file that cannot be read: what the output holds is unknown
DAMAGED = "damaged"


def load_edits(root: Path, generation: str) -> Edits | str | None:
    """The quick builds made on the snapshot of this generation: None when there are none (or
    they were made on another, older snapshot), DAMAGED when the file cannot be read."""
    try:
        with (root / FOLDER / EDITS).open("rb") as handle:
            edits = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged file
        return DAMAGED
    if not isinstance(edits, Edits):
        return DAMAGED
    return edits if edits.generation == generation else None


def load_model(root: Path, generation: str, edits: Edits) -> tuple[Model, dict] | None:
    """The kept model with the quick builds' edits set into it, and its articles by source."""
    try:
        with (root / FOLDER / MODEL).open("rb") as handle:
            found = pickle.load(handle)
        if not (isinstance(found, tuple) and found[0] == FORMAT and found[1].generation == generation):
            return None
    except Exception:  # noqa: BLE001 - a missing or damaged snapshot is only a slower build
        return None
    model: Model = found[1]
    by_source = {a.source: a for e in model.site.editions for a in e.articles}
    for edit in edits.edits:
        apply(model, by_source[edit.source], edit)
    model.wanted.update(edits.outputs)
    return model, by_source


def apply(model: Model, article, edit: Edit) -> None:
    """Give a kept article (and the reference listings hold of it) its new body and fields in
    place: everything that holds them sees the new ones."""
    ref = model.refs.get(article.url)
    # The model's classes are frozen so that templates cannot change them; the snapshot is
    # the one place that sets a field, on the copy it has just read.
    object.__setattr__(article, "body", replace(article.body, key=edit.body_key, references=edit.meta.references))
    object.__setattr__(article, "text_length", edit.meta.text_length)
    for name, value in edit.fields.items():
        object.__setattr__(article, name, value)
    if ref is not None:
        for name in ("title", "kicker", "summary"):
            object.__setattr__(ref, name, getattr(article, name))
        ref.__dict__.pop("_repr", None)  # its repr, made once, showed the old ones


def save_edits(root: Path, edits: Edits) -> bool:
    """Keep the quick builds' edits; when they cannot be written, the snapshot goes too (False)."""
    try:
        write_pickle(root / FOLDER / EDITS, edits)
    except OSError:
        drop(root)
        return False
    return True


# -- deciding ----------------------------------------------------------------------------


def changed_sources(head: Head, stats: dict[str, tuple[int, int]], folders: set[str]) -> list[str] | None:
    """The articles whose files changed since the snapshot; None when anything else did (a file
    or folder added or removed, a non-article file changed)."""
    if folders != head.folders or stats.keys() != head.stats.keys():
        return None
    changed = [path for path, stat in stats.items() if head.stats[path] != stat]
    if any(path not in head.articles for path in changed):
        return None
    return sorted(changed)


def read_edit(config: SiteConfig, head: Head, source: str, stat: tuple[int, int]) -> tuple[Edit, str] | None:
    """An edited article's new body, listing fields and problems, and its HTML; None when more
    changed (front matter besides LISTING_KEYS, links to files) or it has errors: then the full
    build runs."""
    front, structure, plain, alt_from_title = head.articles[source]
    if not plain:
        return None
    path = config.root / source
    try:
        data = path.read_bytes()
        day = date.fromisoformat(path.parent.parent.name)
    except (OSError, ValueError):
        return None
    settings = Settings(config.zone, config.language, config.trust_raw_html)
    record, document = read_article(data, source, path.stem, day, settings)
    if record.values is None or document is None or record.structure != structure:
        return None
    if record.front != front and alt_from_title:
        return None  # the headline stands in for a photo's alt text
    if any(not problem.warning for problem in record.problems):
        return None
    try:
        body = render_body(config.language, document.body, document.body_line, config.trust_raw_html)
    except RecursionError:
        return None
    if body.meta.references:
        return None
    problems = (*record.problems, *head.kept.get(source, ()), *body_warnings(source, record.switches, body.meta))
    fields = {name: record.values[name] for name in LISTING_KEYS}
    if fields["summary"] is None:
        fields["summary"] = body.meta.summary
    return Edit(source, stat, record.body_key, body.meta, tuple(sorted(set(problems))), fields), body.html
