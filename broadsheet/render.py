"""Rendering: the site's Jinja2 templates applied to the model, one output per page."""

from __future__ import annotations

import hashlib
import posixpath
import re
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta
from PIL import Image
from markupsafe import Markup

from .config import SiteConfig
from .i18n import Interface
from .model import Site
from .problems import Problems

TEMPLATES = {
    "front.html": "the edition front",
    "page.html": "page views",
    "article.html": "articles",
    "column.html": "column pages",
    "columns.html": "the list of columns",
    "archive.html": "the list of past editions",
}


@dataclass(frozen=True)
class Output:
    """One file to render: where it goes, with which template and variables."""

    url: str  # path relative to the output root
    template: str
    context: dict[str, Any]


_ANALYSED: dict[tuple[str, str], tuple[frozenset[str], tuple[str, ...] | None]] = {}
_ENVIRONMENTS: dict[tuple[str, str], jinja2.Environment] = {}


def _analyse(env: jinja2.Environment, name: str, source: str) -> tuple[frozenset[str], tuple[str, ...] | None]:
    """The variables one template uses and the templates it names (None: a name computed at run time)."""
    key = (name, source)
    if key not in _ANALYSED:
        tree = env.parse(source)
        referenced = tuple(meta.find_referenced_templates(tree))
        _ANALYSED[key] = (frozenset(meta.find_undeclared_variables(tree)), None if None in referenced else referenced)
    return _ANALYSED[key]


def make_environment(config: SiteConfig) -> jinja2.Environment:
    """The Jinja2 environment for a site, kept for the life of the process (the dev server's rebuilds).

    Jinja reloads a template whose file changed, so a kept environment is never stale.
    """
    key = (str(config.templates_dir), config.language)
    if key not in _ENVIRONMENTS:
        _ENVIRONMENTS[key] = _new_environment(config)
    return _ENVIRONMENTS[key]


def _new_environment(config: SiteConfig) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(config.templates_dir)),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    t = Interface(config.language)
    env.globals.update(t=t)
    env.filters.update(
        date=t.date, short_date=t.short_date, time=t.time, page_label=t.page,
        issue_number=t.number, byline=t.byline,
        iso=lambda moment: moment.isoformat(),
        pct=lambda value: f"{value:g}%",
        run_in=run_in,
    )
    return env


def run_in(body_html: str, dateline: str | None) -> Markup:
    """The body with the dateline set at the start of its first paragraph (本报讯 …)."""
    body = Markup(body_html)
    if not dateline:
        return body
    mark = Markup('<span class="dateline">%s</span> ') % dateline
    if body.startswith("<p>"):
        return Markup("<p>") + mark + body[3:]
    return Markup('<p class="dateline-para">') + mark + Markup("</p>\n") + body


def compile_templates(env: jinja2.Environment, config: SiteConfig, problems: Problems) -> None:
    """Compile every template before any content is rendered, so syntax errors stop the build early."""
    folder = config.templates_dir
    if not folder.is_dir():
        problems.error("templates", 0, "folder not found: the site's templates go in templates/")
        return
    for name in TEMPLATES:
        if not (folder / name).is_file():
            problems.error(f"templates/{name}", 0, f"template not found (needed for {TEMPLATES[name]})")
    for name in env.list_templates(filter_func=lambda n: not Path(n).name.startswith(".")):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            problems.error(f"templates/{exc.name or name}", exc.lineno or 0, exc.message or "syntax error")
        except UnicodeDecodeError:
            problems.error(f"templates/{name}", 0, "not UTF-8")


def plan(site: Site, config: SiteConfig) -> list[Output]:
    """Every output of the site, in a fixed order."""
    outputs: list[Output] = []
    editions = site.editions
    for index, edition in enumerate(editions):
        older = editions[index + 1] if index + 1 < len(editions) else None
        newer = editions[index - 1] if index > 0 else None
        front = {"edition": edition, "prev_edition": older and older.ref, "next_edition": newer and newer.ref}
        if index == 0:
            outputs.append(Output("index.html", "front.html", front))
        outputs.append(Output(edition.url, "front.html", front))
        articles = edition.articles
        position = {a.url: i for i, a in enumerate(articles)}
        for page_index, page in enumerate(edition.pages):
            outputs.append(
                Output(page.url, "page.html", {
                    "edition": edition, "page": page,
                    "prev_page": edition.pages[page_index - 1].ref if page_index > 0 else None,
                    "next_page": edition.pages[page_index + 1].ref if page_index + 1 < len(edition.pages) else None,
                })
            )
            for article in page.articles:
                i = position[article.url]
                outputs.append(
                    Output(article.url, "article.html", {
                        "edition": edition, "page": page, "article": article,
                        "prev_article": articles[i - 1] if i > 0 else None,
                        "next_article": articles[i + 1] if i + 1 < len(articles) else None,
                    })
                )
    if not editions:
        outputs.append(Output("index.html", "archive.html", {}))  # nothing published yet
    for column in site.columns:
        outputs.append(Output(column.url, "column.html", {"column": column}))
    outputs.append(Output("columns/index.html", "columns.html", {}))
    outputs.append(Output("archive/index.html", "archive.html", {}))
    return outputs


class Renderer:
    """Renders planned outputs with the site-wide variables every template receives."""

    def __init__(self, env: jinja2.Environment, site: Site, config: SiteConfig):
        self.env = env
        self.config = config
        pages = {(p.edition, p.label): p for e in site.editions for p in e.pages}
        editions = {e.id: e for e in site.editions}
        self.common = {
            "site": config,
            "lang": config.language,
            "editions": site.editions,
            "latest": site.editions[0] if site.editions else None,
            "columns": site.columns,
            "page_of": lambda article: pages[(article.edition, article.page)],
            "edition_of": lambda item: editions[item.edition],
            "logo": _logo(config),
        }

    def render(self, output: Output) -> str:
        """Render one output to text; template errors propagate as exceptions."""
        root = "../" * output.url.count("/")
        canonical = (self.config.base_url + output.url) if self.config.base_url else None
        context = dict(self.common, root=root, path=output.url, canonical=canonical, **output.context)
        return self.env.get_template(output.template).render(context)


def _logo(config: SiteConfig) -> dict[str, Any] | None:
    """The publisher's logo with its size, for the footer and structured data."""
    if not config.publisher.logo:
        return None
    url = Path(config.publisher.logo).as_posix()
    try:
        with Image.open(config.root / url) as image:
            width, height = image.size
    except OSError:
        width = height = None
    return {"url": url, "width": width, "height": height}


def template_problem(exc: BaseException, config: SiteConfig, output: Output) -> tuple[str, int, str]:
    """Locate a template runtime error at `templates/name:line` from its traceback."""
    folder = str(config.templates_dir.resolve())
    where, line = f"templates/{output.template}", 0
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename and str(Path(filename).resolve()).startswith(folder):
            where = "templates/" + Path(filename).resolve().relative_to(folder).as_posix()
            line = lineno
    message = str(exc)
    message = re.sub(r"'[\w.]+\.(\w+) object'", lambda m: f"'{m.group(1)}'", message)
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"template '{exc.name}' not found"
    elif not isinstance(exc, jinja2.UndefinedError):
        message = f"{type(exc).__name__}: {message}"
    return where, line, f"{message} (while rendering {output.url})"


def _hash(*parts: str) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class Digests:
    """What each output shows, as one digest: equal digests mean byte-identical output.

    A template's digest covers its own source and every template it extends,
    includes or imports, and only the variables that closure names (found by
    Jinja's own analysis), so a page that does not show a thing is not
    re-rendered when it changes.
    """

    def __init__(self, env: jinja2.Environment, site: Site, config: SiteConfig, code: str):
        self.env = env
        self.objects: dict[int, str] = {}
        for article in (a for e in site.editions for p in e.pages for a in p.articles):
            self.objects[id(article)] = _hash(repr(article))  # the body by its key: no need to read it
        for edition in site.editions:
            pages = []
            for page in edition.pages:
                parts = [repr(replace(page, articles=(), continued=()))]
                parts += [self.objects[id(a)] for a in page.articles]
                parts += [f"{c.from_page}{c.areas}{self.objects[id(c.article)]}" for c in page.continued]
                self.objects[id(page)] = _hash(*parts)
                pages.append(self.objects[id(page)])
            self.objects[id(edition)] = _hash(repr(replace(edition, pages=())), *pages)
        for column in site.columns:
            self.objects[id(column)] = _hash(repr(replace(column, articles=())), *(self.objects[id(a)] for a in column.articles))
        self.everything = _hash(*(self.objects[id(x)] for x in (*site.editions, *site.columns)))
        self.base = _hash(code, repr(config))
        self.templates: dict[str, tuple[frozenset[str], str]] = {}
        self.commons: dict[str, str] = {}  # template -> digest of the site-wide variables it uses

    def template(self, name: str) -> tuple[frozenset[str], str]:
        """The variables a template's closure uses, and the digest of the closure's sources."""
        if name not in self.templates:
            names: set[str] = set()
            sources: list[str] = []
            seen: set[str] = set()
            queue = [name]
            while queue:
                current = queue.pop()
                if current in seen:
                    continue
                seen.add(current)
                source = self.env.loader.get_source(self.env, current)[0]
                sources.append(current + "\0" + source)
                used, referenced = _analyse(self.env, current, source)
                names |= used
                queue.extend(self.env.list_templates() if referenced is None else referenced)
            self.templates[name] = (frozenset(names), _hash(*sorted(sources)))
        return self.templates[name]

    def value(self, value: Any) -> str:
        """A digest of one template variable's value."""
        if id(value) in self.objects:
            return self.objects[id(value)]
        if isinstance(value, (tuple, list)):
            return "[" + ",".join(self.value(v) for v in value) + "]"
        if callable(value) or isinstance(value, Interface):
            return self.everything  # a helper can reach anything in the site
        return repr(value)

    def output(self, output: Output, renderer: "Renderer") -> str:
        """The digest of everything one output shows."""
        names, sources = self.template(output.template)
        if output.template not in self.commons:
            self.commons[output.template] = _hash(*(
                f"{name}={self.value(renderer.common[name])}" for name in sorted(names) if name in renderer.common
            ))
        parts = [self.base, sources, self.commons[output.template], output.url]
        for name in sorted(names & output.context.keys()):
            parts.append(f"{name}={self.value(output.context[name])}")
        return _hash(*parts)
