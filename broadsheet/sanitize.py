"""The raw-HTML policy: article HTML cleaned with an nh3 allow-list, each removal reported."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Callable

import nh3

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
})
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript", "frame", "frameset"})
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "rel", "rev"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"align", "style", "colspan", "rowspan"},
    "th": {"align", "style", "colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_URL_ATTRIBUTES = {"href", "src", "cite"}
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")

# report(what, needle): `what` says what was removed; `needle` is text to find its source line by.
Report = Callable[[str, str], None]


class _Finder(HTMLParser):
    """Lists what the allow-list will remove, in document order."""

    def __init__(self, report: Report):
        super().__init__(convert_charrefs=True)
        self.report = report

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            kind = "element" if tag in DROPPED_WITH_CONTENT else "tag (its text is kept)"
            self.report(f"removed <{tag}> {kind}", f"<{tag}")
            return
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self.report(f"removed attribute '{name}' from <{tag}>", name)
            elif name in _URL_ATTRIBUTES and value:
                scheme = _SCHEME.match(value)
                if scheme and scheme.group(1).lower() not in URL_SCHEMES:
                    self.report(f"removed '{scheme.group(1).lower()}:' URL from <{tag} {name}>", value.strip()[:30])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data):
        pass  # comments (lint switches among them) are dropped silently


def clean(html: str, report: Report) -> str:
    """Clean rendered article HTML, calling `report` for everything removed."""
    finder = _Finder(report)
    finder.feed(html)
    finder.close()
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={key: set(value) for key, value in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
        filter_style_properties={"text-align"},
    )
