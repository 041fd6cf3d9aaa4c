"""Rendering: the site's Jinja2 templates applied to the model, one output per page."""

from __future__ import annotations

import email.utils
import re
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.ext import Extension
from jinja2.lexer import TOKEN_STRING, Token
from PIL import Image
from markupsafe import Markup

from . import archive, feeds, search, taxonomy
from .cache import hash_parts
from .config import SiteConfig
from .i18n import STRINGS, Interface
from .model import Site, Term
from .phrases import phrases
from .problems import Problems
from .structured import news_article

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


@dataclass(frozen=True)
class Output:
    """One file to render: where it goes, with which template and variables."""

    url: str  # path relative to the output root
    template: str
    context: dict[str, Any]


#: the version of what FoldInterfaceStrings does, in the name of the compiled templates' folder
FOLDING = 1

#: in `Digests.deps` and `Digests.mentions`: the output may show any article (or its body)
EVERY_BODY = "*"

# What an article shows only on its own page: its body and what is measured from it.
BODY_FIELDS = frozenset({"body", "body_html", "text_length"})


@dataclass(frozen=True)
class Analysis:
    """What a template file uses, found by Jinja's own analysis of it."""

    variables: frozenset[str]  # the variables it reads from the context
    referenced: tuple[str, ...] | None  # the templates it names (None: a name computed at run time)
    body_names: frozenset[str] | None  # context names whose body it shows (`article.body_html`); None: otherwise
    top_assigned: frozenset[str]  # names it sets outside any block or macro


_ANALYSED: dict[tuple[str, str], Analysis] = {}
_ENVIRONMENTS: dict[tuple[str, str], jinja2.Environment] = {}
#: False in a process that builds once (the command line): Jinja then reads each template once
#: instead of checking its file before every page; the server keeps it True to see edits.
RELOAD_TEMPLATES = True


def analyses(known: dict[tuple[str, str], Analysis] | None = None) -> dict[tuple[str, str], Analysis]:
    """The template analyses of this process, after taking in `known` (kept by the build cache:
    parsing every template to analyse it costs a tenth of a second each build)."""
    if known:
        _ANALYSED.update(known)
    return _ANALYSED


def _analyse(env: jinja2.Environment, name: str, source: str) -> Analysis:
    """The variables one template uses, the templates it names and how it reaches bodies."""
    key = (name, source)
    if key not in _ANALYSED:
        tree = env.parse(source)
        referenced = tuple(meta.find_referenced_templates(tree))
        # names this file binds itself (loops, sets, macro parameters) are not the context's
        assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
        bodies: set[str] | None = set()
        for node in tree.find_all(nodes.Getattr):
            if node.attr in BODY_FIELDS:
                if isinstance(node.node, nodes.Name) and node.node.ctx == "load" and node.node.name not in assigned:
                    bodies.add(node.node.name)
                else:
                    bodies = None  # a loop's article, edition.lead.body_html…: reached through a container
                    break
        if any(isinstance(n.value, str) and n.value in BODY_FIELDS for n in tree.find_all(nodes.Const)):
            bodies = None  # article["body_html"], map(attribute="body_html")…
        top = frozenset(n.name for statement in tree.body if isinstance(statement, (nodes.Assign, nodes.AssignBlock))
                        for n in statement.find_all(nodes.Name) if n.ctx == "store")
        _ANALYSED[key] = Analysis(frozenset(meta.find_undeclared_variables(tree)),
                                  None if None in referenced else referenced,
                                  None if bodies is None else frozenset(bodies), top)
    return _ANALYSED[key]


def make_environment(config: SiteConfig, bytecode: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment for a site, kept for the life of the process (the dev server's rebuilds).

    Jinja reloads a template whose file changed, so a kept environment is never
    stale. With `bytecode`, compiled templates are kept in that folder between runs.
    """
    key = (str(config.templates_dir), config.language, str(bytecode), RELOAD_TEMPLATES)
    if key not in _ENVIRONMENTS:
        _ENVIRONMENTS[key] = _new_environment(config, bytecode)
    return _ENVIRONMENTS[key]


class FoldInterfaceStrings(Extension):
    """`t("key")`, a literal key and nothing more, becomes the interface string itself when the
    template is compiled. A page makes dozens of such calls, each through Jinja's runtime: a
    tenth of rendering. A template that binds `t` itself (a macro, a loop, `set`…) or uses it
    otherwise than calling it (or its methods) is compiled as written; `t` bound in one
    template for another to use is not seen: the README reserves the name."""

    def filter_stream(self, stream):  # noqa: D102 - Jinja's hook
        tokens = list(stream)
        strings = getattr(self.environment.globals.get("t"), "strings", {})
        after = tokens[1:] + [None]
        before = [None] + tokens[:-1]
        if any(token.type == "name" and token.value == "t"
               and (following is None or following.type not in ("lparen", "dot")
                    or (previous is not None and previous.type == "name" and previous.value == "macro"))
               for previous, token, following in zip(before, tokens, after)):
            return iter(tokens)
        folded, index = [], 0
        while index < len(tokens):
            token = tokens[index]
            text = None
            if (token.type == "name" and token.value == "t" and index + 3 < len(tokens)
                    and (index == 0 or tokens[index - 1].type != "dot")
                    and [t.type for t in tokens[index + 1:index + 4]] == ["lparen", "string", "rparen"]):
                try:
                    text = strings[tokens[index + 2].value].format()
                except (KeyError, IndexError, ValueError):
                    text = None  # a value is missing: the call reports it when the page renders
            if text is None:
                folded.append(token)
                index += 1
            else:
                folded.append(Token(token.lineno, TOKEN_STRING, text))
                index += 4
        return iter(folded)


def _new_environment(config: SiteConfig, bytecode: Path | None) -> jinja2.Environment:
    cache = None
    if bytecode is not None:
        # compiled templates hold the interface strings of their language (FoldInterfaceStrings),
        # which Jinja's own check of the template's source does not cover
        bytecode = bytecode / hash_parts(str(FOLDING), config.language, repr(sorted(STRINGS[config.language].items())))
        try:
            bytecode.mkdir(parents=True, exist_ok=True)
            cache = jinja2.FileSystemBytecodeCache(str(bytecode))  # checked against each source by Jinja
        except OSError:
            cache = None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(config.templates_dir)),
        bytecode_cache=cache,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=RELOAD_TEMPLATES,
        extensions=[FoldInterfaceStrings],
    )
    t = Interface(config.language)
    env.globals.update(t=t, news_article_ld=news_article_ld)
    env.filters.update(
        date=t.date, short_date=t.short_date, time=t.time, page_label=t.page,
        issue_number=t.number, byline=t.byline, byline_parts=t.byline_parts,
        month=lambda m: t.month(m.year, m.month), count=lambda n, key: t.count(key, n),
        iso=lambda moment: moment.isoformat(),
        rfc822=lambda moment: email.utils.format_datetime(moment),
        pct=lambda value: f"{value:g}%",
        run_in=run_in, phrases=phrases,
    )
    # JSON-LD: sorted keys, Chinese as written; tojson still escapes < > & ' for <script>.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return env


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
    t = Interface(config.language)
    terms = taxonomy.build(site, config)
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
                        "tag_links": terms.tag_links.get(article.url, ()),
                        "person_links": terms.person_links.get(article.url, {}),
                    })
                )
    months = archive.months(site, t)
    overview = {"calendar_years": archive.years(months)}
    if not editions:
        outputs.append(Output("index.html", "archive.html", overview))  # nothing published yet
    for column in site.columns:
        outputs.append(Output(column.url, "column.html", {"column": column}))
    outputs.append(Output("columns/index.html", "columns.html", {}))
    outputs.append(Output("archive/index.html", "archive.html", overview))
    for index, month in enumerate(months):
        outputs.append(Output(month.url, "calendar.html", {
            "month": month,
            "prev_month": months[index - 1] if index > 0 else None,
            "next_month": months[index + 1] if index + 1 < len(months) else None,
        }))
    for kind, found in (("tag", terms.tags), ("person", terms.people)):
        index_url = "tags/index.html" if kind == "tag" else "people/index.html"
        listing = tuple((term.name, term.url, len(term.articles)) for term in found)
        outputs.append(Output(index_url, f"{'tags' if kind == 'tag' else 'people'}.html", {"terms": listing}))
        outputs.extend(Output(term.url, f"{kind}.html", {"term": term}) for term in found)
    outputs.append(Output("search/index.html", "search.html", {"bundles": tuple(b.url for b in search.buckets(site))}))
    outputs.append(Output("search/search.js", "search.js", {}))
    if config.base_url:
        outputs.extend(_machine_outputs(site, config, outputs))
    return outputs


def _iso(entries) -> tuple[tuple[str, str], ...]:
    """(URL, W3C datetime with its UTC offset): plain text, quick to digest."""
    return tuple((url, moment.isoformat()) for url, moment in entries)


def _machine_outputs(site: Site, config: SiteConfig, pages: list[Output]) -> list[Output]:
    """Feeds, sitemaps and robots.txt: they need absolute URLs, so only with a base_url."""
    made: list[Output] = []
    subtitle = config.description
    feed_sets = [(feeds.Feed(config.title, subtitle, "atom.xml", "index.html"),
                  feeds.Feed(config.title, subtitle, "rss.xml", "index.html"), site.articles)]
    for column in site.columns:
        title = f"{config.title} · {column.name}"
        stem = column.url[: -len(".html")]
        feed_sets.append((feeds.Feed(title, column.description, f"{stem}.atom.xml", column.url),
                          feeds.Feed(title, column.description, f"{stem}.rss.xml", column.url), column.articles))
    for atom, rss, articles in feed_sets:
        entries = feeds.newest(articles)
        for feed, template in ((atom, "atom.xml"), (rss, "rss.xml")):
            made.append(Output(feed.url, template, {"feed": feed, "entries": entries, "updated": feeds.updated(entries)}))
    entries = []
    for output in pages:
        moment = feeds.lastmod(output.template, output.context, site)
        if moment is not None:
            entries.append((output.url, moment))
    chunks = feeds.chunks(entries)
    if len(chunks) == 1:
        made.append(Output("sitemap.xml", "sitemap.xml", {"entries": _iso(chunks[0])}))
    else:
        parts = []
        for number, chunk in enumerate(chunks, start=1):
            url = f"sitemap-{number}.xml"
            made.append(Output(url, "sitemap.xml", {"entries": _iso(chunk)}))
            parts.append((url, max(lastmod for _, lastmod in chunk).isoformat()))
        made.append(Output("sitemap.xml", "sitemap-index.xml", {"sitemaps": tuple(parts)}))
    made.append(Output("news-sitemap.xml", "news-sitemap.xml", {"articles": feeds.news_articles(site)}))
    made.append(Output("robots.txt", "robots.txt", {"sitemaps": ("sitemap.xml", "news-sitemap.xml")}))
    return made


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
    """Locate a template runtime error at `templates/name:line` from its traceback; and the output."""
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
    return where, line, message, output.url


class Digests:
    """What each output shows, as one digest: equal digests mean byte-identical output.

    A template's digest covers its own source and every template it extends,
    includes or imports, and only the variables that closure names (found by
    Jinja's own analysis), so a page that does not show a thing is not
    re-rendered when it changes.
    """

    def __init__(self, env: jinja2.Environment, site: Site, config: SiteConfig, code: str,
                 state: tuple | None = None):
        self.env = env
        self.site = site
        self.objects: dict[int, str] = {}  # articles whole; pages, editions, columns without bodies
        self.deep: dict[int, str] = {}  # pages, editions and columns with their articles' bodies
        self.shallow: dict[int, str] = {}  # articles without their bodies
        self.holds: dict[int, tuple[str, ...]] = {}  # page, edition, column -> its articles' URLs
        self.urls: dict[int, str] = {}  # article -> URL
        articles = self._articles()
        for article in articles:
            self.urls[id(article)] = article.url
        for edition in site.editions:
            for page in edition.pages:
                self.holds[id(page)] = tuple(a.url for a in page.articles) + tuple(c.article.url for c in page.continued)
            self.holds[id(edition)] = tuple(url for page in edition.pages for url in self.holds[id(page)])
        for column in site.columns:
            self.holds[id(column)] = tuple(a.url for a in column.articles)
        if state is None:
            for article in articles:
                self._article(article)
            for edition in site.editions:
                self._edition(edition)
            for column in site.columns:
                self._column(column)
        else:
            for article, (whole, shallow) in zip(articles, state[0], strict=True):
                self.objects[id(article)], self.shallow[id(article)] = whole, shallow
            for container, (plain, deep) in zip(self._containers(), state[1], strict=True):
                self.objects[id(container)], self.deep[id(container)] = plain, deep
        self._everything()
        self.base = hash_parts(code, repr(config))
        self.templates: dict[str, tuple[frozenset[str], str, bool, frozenset[str]]] = {}
        self.commons: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {}  # template -> digest of
        # the site-wide variables it uses, and the articles whose bodies and which articles it covers
        self.analysed: set[tuple[str, str]] = set()  # the (name, source) of every template analysed
        self.deps: dict[str, frozenset[str]] = {}  # output URL -> articles whose bodies its digest covers
        self.mentions: dict[str, frozenset[str]] = {}  # output URL -> articles its digest covers at all
        self._bodies: set[str] | None = None
        self._mentions: set[str] | None = None

    def _article(self, article) -> None:
        text = repr(article)  # the body by its key: no need to read it
        self.objects[id(article)] = hash_parts(text)
        self.shallow[id(article)] = hash_parts(text[:text.rindex(", body=")])  # body and text_length come last

    def _page(self, page) -> None:
        head = repr(replace(page, articles=(), continued=()))
        for digests, of in ((self.objects, self.shallow), (self.deep, self.objects)):
            parts = [head, *(of[id(a)] for a in page.articles)]
            parts += [f"{c.from_page}{c.areas}{of[id(c.article)]}" for c in page.continued]
            digests[id(page)] = hash_parts(*parts)

    def _edition(self, edition, pages: bool = True) -> None:
        if pages:
            for page in edition.pages:
                self._page(page)
        head = repr(replace(edition, pages=()))
        for digests in (self.objects, self.deep):
            digests[id(edition)] = hash_parts(head, *(digests[id(p)] for p in edition.pages))

    def _column(self, column) -> None:
        head = repr(replace(column, articles=()))
        for digests, of in ((self.objects, self.shallow), (self.deep, self.objects)):
            digests[id(column)] = hash_parts(head, *(of[id(a)] for a in column.articles))

    def _everything(self) -> None:
        containers = (*self.site.editions, *self.site.columns)
        self.everything = {deep: hash_parts(*((self.deep if deep else self.objects)[id(x)] for x in containers))
                           for deep in (True, False)}

    def _articles(self) -> list:
        return [a for e in self.site.editions for p in e.pages for a in p.articles]

    def _containers(self) -> list:
        site = self.site
        return [*(p for e in site.editions for p in e.pages), *site.editions, *site.columns]

    def state(self) -> tuple:
        """The digests of every article, page, edition and column, in the model's order (kept by
        `snapshot` with the model, which `Digests(..., state=)` takes back without digesting it)."""
        return ([(self.objects[id(a)], self.shallow[id(a)]) for a in self._articles()],
                [(self.objects[id(c)], self.deep[id(c)]) for c in self._containers()])

    def update(self, changed: list) -> None:
        """Digest again these articles and every page, edition and column that holds them."""
        urls = {a.url for a in changed}
        for article in changed:
            self._article(article)
        for edition in self.site.editions:
            pages = [p for p in edition.pages if urls.intersection(self.holds[id(p)])]
            for page in pages:
                self._page(page)
            if pages:
                self._edition(edition, pages=False)
        for column in self.site.columns:
            if urls.intersection(self.holds[id(column)]):
                self._column(column)
        self._everything()

    def template(self, name: str) -> tuple[frozenset[str], str, bool, frozenset[str]]:
        """The variables a template's closure uses, the digest of the closure's sources, whether
        it may show a body it reaches through a page, edition or column, and the variables whose
        own body it shows."""
        if name not in self.templates:
            names: set[str] = set()
            sources: list[str] = []
            seen: set[str] = set()
            body_names: set[str] | None = set()
            assigned: set[str] = set()
            queue = [name]
            while queue:
                current = queue.pop()
                if current in seen:
                    continue
                seen.add(current)
                source = self.env.loader.get_source(self.env, current)[0]
                sources.append(current + "\0" + source)
                found = _analyse(self.env, current, source)
                self.analysed.add((current, source))
                names |= found.variables
                assigned |= found.top_assigned
                body_names = None if body_names is None or found.body_names is None else body_names | found.body_names
                queue.extend(self.env.list_templates() if found.referenced is None else found.referenced)
            # `article.body_html` shows the body of the article passed in, whose digest covers it;
            # a body reached any other way makes the containers' digests cover their bodies too
            deep = body_names is None or bool(body_names & assigned) or not body_names <= names
            self.templates[name] = (frozenset(names), hash_parts(*sorted(sources)), deep, frozenset(body_names or ()))
        return self.templates[name]

    def value(self, value: Any, deep: bool = True) -> str:
        """A digest of one template variable's value (`deep`: with the bodies of what it holds)."""
        key = id(value)
        found = (self.deep if deep else self.shallow).get(key) or self.objects.get(key)
        if found is not None:
            if self._mentions is not None:
                urls = self.holds.get(key) or ((self.urls[key],) if key in self.urls else ())
                self._mentions.update(urls)
                if deep:
                    self._bodies.update(urls)
            return found
        if isinstance(value, (tuple, list)):
            return "[" + ",".join(self.value(v, deep) for v in value) + "]"
        if callable(value) or isinstance(value, Interface):
            if self._mentions is not None:
                self._mentions.add(EVERY_BODY)
                if deep:
                    self._bodies.add(EVERY_BODY)
            return self.everything[deep]  # a helper can reach anything in the site
        text = repr(value)
        if self._mentions is not None:
            if isinstance(value, Term):
                self._mentions.update(ref.url for ref in value.articles)
            elif "Article" in text:
                self._mentions.add(EVERY_BODY)  # an article inside something else: count on nothing
            if "body=BodyText(" in text:
                self._bodies.add(EVERY_BODY)
        return text

    def output(self, output: Output, renderer: "Renderer") -> str:
        """The digest of everything one output shows; `deps` and `mentions` keep which articles'
        bodies, and which articles at all, it covers."""
        names, sources, deep, bodies = self.template(output.template)
        if output.template not in self.commons:
            self._bodies, self._mentions = set(), set()
            digest = hash_parts(*(
                f"{name}={self.value(renderer.common[name], deep or name in bodies)}"
                for name in sorted(names) if name in renderer.common
            ))
            self.commons[output.template] = (digest, frozenset(self._bodies), frozenset(self._mentions))
        common, common_bodies, common_mentions = self.commons[output.template]
        self._bodies, self._mentions = set(common_bodies), set(common_mentions)
        parts = [self.base, sources, common, output.url]
        for name in sorted(names & output.context.keys()):
            parts.append(f"{name}={self.value(output.context[name], deep or name in bodies)}")
        self.deps[output.url] = frozenset(self._bodies)
        self.mentions[output.url] = frozenset(self._mentions)
        self._bodies = self._mentions = None
        return hash_parts(*parts)
