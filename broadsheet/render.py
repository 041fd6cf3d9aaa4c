"""Rendering: the site's Jinja2 templates applied to the model, one output per page."""

from __future__ import annotations

import functools
import re
import traceback
from pathlib import Path
from typing import Any, Callable

import jinja2
from jinja2 import nodes
from markupsafe import Markup

from . import theme
from .articles import read_body
from .cache import BodyStore, hash_parts
from .compiling import FOLDING, Context, FoldInterfaceStrings, Generator, Modules, StateBytecode, escape_text, escaped
from .config import LANGUAGES, Publisher, SiteConfig
from .digests import analysing
from .i18n import STRINGS, Interface
from .markup import fill, render_body
from .model import Article, BodyText, Site
from .plan import Output
from .phrases import phrases
from .problems import Problems
from .structured import news_article
from .theme.compiled import EngineTemplates
from .theme.loader import ThemeLoader

TEMPLATES = {
    "front.html": "the edition front",
    "page.html": "page views",
    "article.html": "articles",
    "column.html": "column pages",
    "columns.html": "the list of columns",
    "archive.html": "the list of past editions",
    "calendar.html": "the past-editions calendar, a page per month",
    "search.html": "the search page",
    "search.js": "the search page's script",
    "tag.html": "a page per tag",
    "tags.html": "the list of tags",
    "person.html": "a page per byline name",
    "people.html": "the list of byline names",
    "atom.xml": "Atom feeds",
    "rss.xml": "RSS feeds",
    "sitemap.xml": "the sitemap",
    "sitemap-index.xml": "the sitemap index of a site with more than 50,000 pages",
    "news-sitemap.xml": "the Google News sitemap",
    "robots.txt": "robots.txt",
}


_ENVIRONMENTS: dict[tuple, jinja2.Environment] = {}
#: False in a process that builds once (the command line): Jinja then reads each template once
#: instead of checking its file before every page; the server keeps it True to see edits.
RELOAD_TEMPLATES = True


def make_environment(config: SiteConfig, bytecode: dict[str, bytes] | None = None) -> jinja2.Environment:
    """The Jinja2 environment for a site, kept for the life of the process (the dev server's rebuilds).

    Jinja reloads a template whose file changed, so a kept environment is never
    stale. With `bytecode` (the build state's), compiled templates are kept there between runs.
    """
    key = (*map(str, theme.template_folders(config.templates_dir)), config.language, bytecode is not None, RELOAD_TEMPLATES)
    if key not in _ENVIRONMENTS:
        _ENVIRONMENTS[key] = _new_environment(config, bytecode)
    env = _ENVIRONMENTS[key]
    if bytecode is not None:
        env.bytecode_cache.compiled = bytecode  # type: ignore[union-attr]  # this build's state
    return env


class BodyHtml:
    """Body HTML, fetched when a template shows it: the model holds each body's key, the body
    store its HTML (rendered again from the file when the store lost it)."""

    #: how many of the store's shards read from disk this renderer keeps loaded: re-rendering the
    #: archive (a template edited) held every body in each rendering worker otherwise (at 50,000
    #: articles, 300 MB of shards and 110 MB of decoded bodies beside the model it shares)
    KEPT_SHARDS = 8

    def __init__(self, store: BodyStore):
        self.store = store
        self.read: dict[str, None] = {}  # the shards loaded for it, oldest first

    def html(self, body: BodyText) -> str:
        """A body's HTML, with every reference filled in."""
        shard = body.key[:2]  # the store's shard (BodyStore._shard)
        if shard not in self.store.shards:
            self.read[shard] = None
            if len(self.read) > self.KEPT_SHARDS:
                oldest = next(iter(self.read))
                del self.read[oldest]
                if oldest not in self.store.dirty:  # as on disk: read again if asked
                    self.store.shards.pop(oldest, None)
        text = self.store.get(body.key)
        if text is None:  # a lost or damaged cache shard: render the body again
            path, rel, language, trust = body.source
            document = read_body(Path(path), rel)
            text = render_body(language, document.body, document.body_line, trust).html if document else ""
            self.store.put(body.key, text)
        return fill(text, body.references, {t: (u, s) for t, u, s in body.resolved})

    def of(self, article: Article) -> str:
        """An article's body HTML."""
        return self.html(article.body)


def body_order(outputs: list[Output]) -> list[int]:
    """The outputs' indexes, the articles' grouped by their body's shard in the body store, so
    that a renderer (BodyHtml) reads each shard once and lets it go."""
    def shard(index: int) -> str:
        article = outputs[index].context.get("article")
        return article.body.key[:2] if isinstance(article, Article) else ""
    return sorted(range(len(outputs)), key=shard)


class _Environment(jinja2.Environment):
    """Jinja's environment, where `article.body_html` is the article's body HTML from the
    renderer's `BodyHtml` (set by `Renderer`): the model holds a body's key, not its HTML."""

    bodies: BodyHtml | None = None
    _analysing: tuple[nodes.Template, Callable[[set[str]], None]] | None = None  # the tree parsed last (`_parse`)
    code_generator_class = Generator
    context_class = Context
    escaped = staticmethod(escaped)
    escape_text = staticmethod(escape_text)
    modules: Modules  # the modules imported with context (`Generator`); each Renderer's own

    def imported(self, template: jinja2.Template, context: Any, locals_: dict[str, Any]) -> Any:
        """A template's module imported with context (compiled by `Generator`)."""
        return self.modules.imported(template, context, locals_)

    def _bodies(self) -> BodyHtml:
        if self.bodies is None:
            raise RuntimeError("article.body_html asked for outside a Renderer's build")
        return self.bodies

    def getattr(self, obj: Any, attribute: str) -> Any:  # Jinja's hook
        # Jinja's own, written out: every `a.b` of every page comes here (400,000 at 2,000 articles)
        if attribute == "body_html" and isinstance(obj, Article):
            return self._bodies().of(obj)
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:  # Jinja's hook
        # the tree a template is compiled from is the one its digests' analysis reads (`digests.analysing`)
        tree = super()._parse(source, name, filename)
        if name is not None:
            self._analysing = (tree, analysing(name, source, tree))
        return tree

    def _generate(self, source: nodes.Template, name: str | None, filename: str | None,  # Jinja's hook
                  defer_init: bool = False) -> str:
        # Jinja's own (compiler.generate), keeping the variables the code reads from the context
        generator = Generator(self, name, filename, None, defer_init, self.optimized)
        generator.visit(source)
        pending, self._analysing = self._analysing, None
        if pending is not None and pending[0] is source:
            pending[1](generator.undeclared)
        return generator.stream.getvalue()  # type: ignore[attr-defined]

    def getitem(self, obj: Any, argument: Any) -> Any:  # Jinja's hook
        if argument == "body_html" and isinstance(obj, Article):
            return self._bodies().of(obj)
        return super().getitem(obj, argument)


def _new_environment(config: SiteConfig, bytecode: dict[str, bytes] | None) -> jinja2.Environment:
    cache = None
    if bytecode is not None:
        cache = StateBytecode(bytecode, hash_parts(str(FOLDING), config.language,
                                                   repr(sorted(STRINGS[config.language].items()))) + ":",
                              EngineTemplates())
    env = _Environment(
        loader=ThemeLoader(config.templates_dir),
        bytecode_cache=cache,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=RELOAD_TEMPLATES,
        extensions=[FoldInterfaceStrings],
    )
    env.modules = Modules()
    t = Interface(config.language)
    env.globals.update(t=t, news_article_ld=news_article_ld)
    env.filters.update(
        date=_kept(t.date), short_date=_kept(t.short_date), time=t.time, page_label=_kept(t.page),
        issue_number=t.number, byline=t.byline, byline_parts=t.byline_parts,
        month=lambda m: t.month(m.year, m.month), count=lambda n, key: t.count(key, n),
        iso=lambda moment: moment.isoformat(),
        rfc822=_rfc822,
        pct=lambda value: f"{value:g}%",
        run_in=run_in, phrases=phrases,
    )
    # JSON-LD: sorted keys, Chinese as written; tojson still escapes < > & ' for <script>.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return env


#: a filter whose few values come back on every page (a page's label in each page list, an
#: edition's date in each teaser: 40,000 calls at 2,000 articles), answered from what it gave
_kept = functools.lru_cache(maxsize=4096, typed=True)


def news_article_ld(article, page, edition, site, logo, person_links, root, canonical) -> dict[str, Any]:
    """The article's schema.org NewsArticle (structured.py), for `| tojson` in a script element.
    Everything it reads is passed in, so the environment (kept per process) holds no site state."""
    return news_article(
        article, page, edition, config=site, t=Interface(site.language), logo=logo,
        person_urls=dict(person_links), root=root, canonical=canonical,
    )


def run_in(body_html: str, dateline: str | None) -> Markup:
    """The body with the dateline set at the start of its first paragraph (本报讯 …)."""
    body = Markup(body_html)
    if not dateline:
        return body
    # joined as text, then made Markup once: Markup's own `%` and `+` escape through Python
    # helpers, for every article (and a Markup right of `+` would escape what is left of it)
    mark, text = f'<span class="dateline">{escaped(dateline)}</span> ', str(body)
    if text.startswith("<p>"):
        return Markup("<p>" + mark + text[3:])
    return Markup('<p class="dateline-para">' + mark + "</p>\n" + text)


def compile_templates(env: jinja2.Environment, config: SiteConfig, problems: Problems) -> None:
    """Compile every template, the site's and the theme's, before any content is rendered, so
    syntax errors stop the build early."""
    for name in env.list_templates():
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            where = theme.shown(exc.filename, config.root) if exc.filename else f"templates/{exc.name or name}"
            problems.error(where, exc.lineno or 0, exc.message or "syntax error")
        except UnicodeDecodeError:
            problems.error(_shown_template(env, name, config), 0, "not UTF-8")
    if isinstance(env.bytecode_cache, StateBytecode):
        env.bytecode_cache.save_engine()  # the theme's templates it compiled, for the next full build


def compile_theme() -> None:
    """Compile the theme's templates for every site language into the engine's file of them
    (`theme.compiled`), as `make .venv/.compiled` does."""
    nowhere = theme.FOLDER / "__pycache__" / "no-site"  # (no site templates: the theme's alone)
    for language in LANGUAGES:
        config = SiteConfig(root=nowhere, config_path=nowhere / "site.yaml", title="", language=language,
                            base_url=None, description=None, timezone="UTC", publisher=Publisher(None, None, None))
        compile_templates(_new_environment(config, {}), config, Problems())


def _shown_template(env: jinja2.Environment, name: str, config: SiteConfig) -> str:
    filename = env.loader.filename(name) if isinstance(env.loader, ThemeLoader) else None
    return theme.shown(filename, config.root) if filename else f"templates/{name}"


class Renderer:
    """Renders planned outputs with the site-wide variables every template receives."""

    def __init__(self, env: jinja2.Environment, site: Site, config: SiteConfig, bodies: BodyHtml):
        self.env = env
        env.bodies = bodies  # type: ignore[attr-defined]  # the environment is kept per process: this build's bodies
        env.modules = Modules()  # type: ignore[attr-defined]  # (they hold the pages that made them)
        self.config = config
        pages = site.page_at
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
        #: template name -> the template, and its globals under the site-wide variables (made at its
        #: first page: `common` is as it stays once rendering began, `partial.renderer`)
        self._shared: dict[str, tuple[jinja2.Template, dict[str, Any]]] = {}

    def render(self, output: Output) -> str:
        """Render one output to text; template errors propagate as exceptions."""
        root = "../" * output.url.count("/")
        canonical = (self.config.base_url + output.url) if self.config.base_url else None
        template = self.env.get_template(output.template)
        found = self._shared.get(output.template)
        if found is None or found[0] is not template:  # (a template the server saw edited is another)
            found = self._shared[output.template] = (template, {**template.globals, **self.common})
        # What `template.render(context)` does, with the context made once instead of three times
        # (copied, then copied under the globals, read from a ChainMap in Python, at each page)
        context = template.new_context(dict(found[1], root=root, path=output.url, canonical=canonical,
                                            **output.context), shared=True)
        try:
            return self.env.concat(template.root_render_func(context))
        except Exception:
            self.env.handle_exception()  # Jinja's: the traceback at the templates' lines


def _rfc822(moment) -> str:
    """A moment as feeds write it (RFC 822)."""
    import email.utils  # (here: with socket, 10 ms of imports an edit that renders no feed does without)

    return email.utils.format_datetime(moment)


def _logo(config: SiteConfig) -> dict[str, Any] | None:
    """The publisher's logo with its size, for the footer and structured data."""
    if not config.publisher.logo:
        return None
    from PIL import Image  # (here: a paper without a logo renders an edit without the picture library)

    url = Path(config.publisher.logo).as_posix()
    try:
        with Image.open(config.root / url) as image:
            width, height = image.size
    except OSError:
        width = height = None
    return {"url": url, "width": width, "height": height}


def template_problems(found: list[tuple[str, int, str, str]]) -> list[tuple[str, int, str]]:
    """One problem per template line and message, with the number of outputs it hit: an error
    in the article template would otherwise be printed once for every article of the archive."""
    hit: dict[tuple[str, int, str], list[str]] = {}
    for where, line, message, url in found:
        hit.setdefault((where, line, message), []).append(url)
    return [
        (where, line, f"{message} (while rendering {urls[0]})" if len(urls) == 1
         else f"{message} (in {len(urls):,} outputs, the first {urls[0]})")
        for (where, line, message), urls in hit.items()
    ]


def template_problem(exc: BaseException, config: SiteConfig, output: Output) -> tuple[str, int, str, str]:
    """Locate a template runtime error at its template's line (`templates/name:line` for the
    site's own) from its traceback; and the output."""
    folders = [str(folder.resolve()) + "/" for folder in theme.template_folders(config.templates_dir)]
    where, line = f"templates/{output.template}", 0
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename and any(str(Path(filename).resolve()).startswith(folder) for folder in folders):
            where = theme.shown(filename, config.root)
            line = lineno
    message = str(exc)
    message = re.sub(r"'[\w.]+\.(\w+) object'", lambda m: f"'{m.group(1)}'", message)
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"template '{exc.name}' not found"
    elif not isinstance(exc, jinja2.UndefinedError):
        message = f"{type(exc).__name__}: {message}"
    return where, line, message, output.url


