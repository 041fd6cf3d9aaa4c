"""Digests: what each output shows, as one digest, so that a build renders only the outputs whose
digest changed. A template's closure and the variables it uses are found by Jinja's own analysis."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Protocol

import jinja2
from jinja2 import meta, nodes

from .cache import hash_parts
from .config import SiteConfig
from .i18n import Interface
from .model import Article, Column, Edition, Page, Site, Term, stable_key
from .plan import Output


class _Common(Protocol):
    """What `Digests.output` reads of a renderer (`render.Renderer`): its site-wide variables."""

    common: dict[str, Any]


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
        _ANALYSED[key] = _analysis(tree)(meta.find_undeclared_variables(tree))
    return _ANALYSED[key]


def analysing(name: str, source: str, tree: nodes.Template) -> Callable[[set[str]], None]:
    """For a template the compiler has just parsed (`render._Environment`): the call that takes in
    its analysis once the compiler, which optimises the tree in place, has found the variables it
    reads from the context (as `meta.find_undeclared_variables` does, by generating the code
    again): parsing and generating it twice cost as much as compiling it."""
    if (name, source) in _ANALYSED:
        return lambda _variables: None
    made = _analysis(tree)

    def take_in(variables: set[str]) -> None:
        _ANALYSED.setdefault((name, source), made(variables))
    return take_in


def _analysis(tree: nodes.Template) -> Callable[[set[str]], Analysis]:
    """What the tree as parsed shows; the Analysis given the variables its code reads from the context."""
    referenced = tuple(meta.find_referenced_templates(tree))
    below = _below(tree)
    # names this file binds itself (loops, sets, macro parameters) are not the context's
    assigned = {n.name for n in below if isinstance(n, nodes.Name) and n.ctx in ("store", "param")}
    bodies: set[str] | None = set()
    for node in below:
        if isinstance(node, nodes.Getattr) and node.attr in BODY_FIELDS:
            if isinstance(node.node, nodes.Name) and node.node.ctx == "load" and node.node.name not in assigned:
                bodies.add(node.node.name)
            else:
                bodies = None  # a loop's article, edition.lead.body_html…: reached through a container
                break
    if any(isinstance(n, nodes.Const) and isinstance(n.value, str) and n.value in BODY_FIELDS for n in below):
        bodies = None  # article["body_html"], map(attribute="body_html")…
    top = frozenset(n.name for statement in tree.body if isinstance(statement, (nodes.Assign, nodes.AssignBlock))
                    for n in statement.find_all(nodes.Name) if n.ctx == "store")
    found = None if bodies is None else frozenset(bodies)
    return lambda variables: Analysis(frozenset(variables), None if None in referenced else referenced, found, top)


def _below(tree: nodes.Node) -> list[nodes.Node]:
    """Every node below `tree`, as Jinja's `find_all` finds them, in one walk instead of one a kind
    (its generators cost a tenth of compiling the theme)."""
    found: list[nodes.Node] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        for field in node.fields:
            item = getattr(node, field, None)
            if isinstance(item, list):
                children = [child for child in item if isinstance(child, nodes.Node)]
                found.extend(children)
                stack.extend(children)
            elif isinstance(item, nodes.Node):
                found.append(item)
                stack.append(item)
    return found


#: values whose repr is all a digest needs, and that hold no article
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _plain(value: tuple | dict) -> bool:
    """True when a tuple or dict holds plain values alone (or tuples of them): its repr
    is its digest, as the digests of its items joined would be (an article's name cannot
    straddle the commas between them)."""
    items = value.items() if type(value) is dict else ((item, None) for item in value)
    return all((type(key) in _PLAIN or (type(key) is tuple and _plain(key))) and type(item) in _PLAIN
               for key, item in items)


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
        # by the model's stable keys (model.stable_key):
        self.objects: dict[str, str] = {}  # articles whole; pages, editions, columns without bodies
        self.deep: dict[str, str] = {}  # pages, editions and columns with their articles' bodies
        self.shallow: dict[str, str] = {}  # articles without their bodies
        self.holds: dict[str, tuple[str, ...]] = {}  # article, page, edition, column -> its articles' URLs (`_held`)
        if state is None:
            for article in self._articles():
                self._article(article)
            for edition in site.editions:
                self._edition(edition)
            for column in site.columns:
                self._column(column)
        else:  # the kept model's digests, taken over (the build state keeps what `state` gives back)
            self.objects, self.shallow, self.deep = state
        self._everything: dict[bool, str] | None = None  # made when a helper asks (`everything`)
        self.base = hash_parts(code, repr(config))
        self.templates: dict[str, tuple[frozenset[str], str, bool, frozenset[str]]] = {}
        self.commons: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {}  # template -> digest of
        # the site-wide variables it uses, and the articles whose bodies and which articles it covers
        self.analysed: set[tuple[str, str]] = set()  # the (name, source) of every template analysed
        self.deps: dict[str, frozenset[str]] = {}  # output URL -> articles whose bodies its digest covers
        self.mentions: dict[str, frozenset[str]] = {}  # output URL -> articles its digest covers at all
        self._sets: dict[frozenset[str], frozenset[str]] = {}  # each set of `deps` and `mentions` once
        self._bodies: set[str] | None = None
        self._mentions: set[str] | None = None

    def _held(self, value: Article | Page | Edition | Column) -> tuple[str, ...]:
        """The URLs of the articles a model value holds (an article: its own), found once."""
        key = stable_key(value)
        if key not in self.holds:
            if isinstance(value, Article):
                urls: tuple[str, ...] = (value.url,)
            elif isinstance(value, Page):
                urls = tuple(a.url for a in value.articles) + tuple(c.article.url for c in value.continued)
            elif isinstance(value, Edition):
                urls = tuple(url for page in value.pages for url in self._held(page))
            else:
                urls = tuple(a.url for a in value.articles)
            self.holds[key] = urls
        return self.holds[key]

    def _article(self, article) -> None:
        text = repr(article)  # the body by its key: no need to read it
        self.objects[stable_key(article)] = hash_parts(text)
        self.shallow[stable_key(article)] = hash_parts(text[:text.rindex(", body=")])  # body and text_length come last

    def _page(self, page) -> None:
        head = repr(replace(page, articles=(), continued=()))
        for digests, of in ((self.objects, self.shallow), (self.deep, self.objects)):
            parts = [head, *(of[stable_key(a)] for a in page.articles)]
            parts += [f"{c.from_page}{c.areas}{of[stable_key(c.article)]}" for c in page.continued]
            digests[stable_key(page)] = hash_parts(*parts)

    def _edition(self, edition, pages: bool = True) -> None:
        if pages:
            for page in edition.pages:
                self._page(page)
        head = repr(replace(edition, pages=()))
        for digests in (self.objects, self.deep):
            digests[stable_key(edition)] = hash_parts(head, *(digests[stable_key(p)] for p in edition.pages))

    def _column(self, column) -> None:
        head = repr(replace(column, articles=()))
        for digests, of in ((self.objects, self.shallow), (self.deep, self.objects)):
            digests[stable_key(column)] = hash_parts(head, *(of[stable_key(a)] for a in column.articles))

    @property
    def everything(self) -> dict[bool, str]:
        """The digest of the whole site, with bodies (True) and without (False): what a helper can reach."""
        if self._everything is None:
            for column in self.site.columns:
                self._kept_column(column)
            keys = [str(stable_key(x)) for x in (*self.site.editions, *self.site.columns)]
            self._everything = {deep: hash_parts(*((self.deep if deep else self.objects)[key] for key in keys))
                                for deep in (True, False)}
        return self._everything

    def _kept_column(self, column: Column) -> None:
        """A column's digests made again when the kept ones lack its bodies' (an edit read from
        its editions' shards alone could not make it: `saving._edited`)."""
        if stable_key(column) not in self.deep:
            self._column(column)

    def article(self, article: Article) -> str:
        """The digest of one article, body included."""
        return self.objects[stable_key(article)]

    def _articles(self) -> list:
        return [a for e in self.site.editions for p in e.pages for a in p.articles]

    def state(self) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        """The digests of every article, page, edition and column by stable key (kept by
        the build state with the model, which `Digests(..., state=)` takes back without digesting it)."""
        return self.objects, self.shallow, self.deep

    def update(self, changed: list) -> None:
        """Digest again these articles and every page, edition and column that holds them."""
        urls = {a.url for a in changed}
        editions = {a.edition for a in changed}
        for article in changed:
            self._article(article)
        for edition in self.site.editions:
            # a page holds its own articles and those continued on it (`Page.continued`)
            pages = [p for p in edition.pages if (edition.id in editions or p.continued)
                     and urls.intersection(self._held(p))]
            for page in pages:
                self._page(page)
            if pages:
                self._edition(edition, pages=False)
        for column in self.site.columns:
            if urls.intersection(self._held(column)):
                self._column(column)
        self._everything = None

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
        if type(value) in _PLAIN or (type(value) in (tuple, dict) and _plain(value)):
            return self._text(repr(value))  # (most values of a page: its links, their texts)
        key = stable_key(value)
        if deep and type(value) is Column:
            self._kept_column(value)
        found = key and ((self.deep if deep else self.shallow).get(key) or self.objects.get(key))
        if found:
            if self._mentions is not None:
                urls = self._held(value)
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
        if isinstance(value, Term):
            if self._mentions is not None:
                self._mentions.update(ref.url for ref in value.articles)
            return self._text(repr(value), articles=False)
        return self._text(repr(value))

    def _text(self, text: str, articles: bool = True) -> str:
        """A value's repr, noting in `mentions` and `deps` any article it may hold."""
        if self._mentions is not None:
            if articles and "Article" in text:
                self._mentions.add(EVERY_BODY)  # an article inside something else: count on nothing
            if "body=BodyText(" in text:
                self._bodies.add(EVERY_BODY)  # type: ignore[union-attr]
        return text

    def output(self, output: Output, renderer: _Common) -> str:
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
        # most outputs of a page or listing mention the same articles: one set for them all
        # (at 50,000 articles, 90 MB of sets instead of one each)
        self.deps[output.url] = self._sets.setdefault(found := frozenset(self._bodies), found)
        self.mentions[output.url] = self._sets.setdefault(found := frozenset(self._mentions), found)
        self._bodies = self._mentions = None
        return hash_parts(*parts)

