"""The raw-HTML policy: article HTML cleaned with an nh3 allow-list, each removal reported."""

from __future__ import annotations

import re
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


_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")


def _find_removals(html: str, report: Report) -> None:
    """Report, in document order, what the allow-list will remove (a regex scan: only reports)."""
    for match in _TAG.finditer(html):
        tag = match.group(1).lower()
        if tag not in TAGS:
            kind = "element" if tag in DROPPED_WITH_CONTENT else "tag (its text is kept)"
            report(f"removed <{tag}> {kind}", f"<{tag}")
            continue
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in _ATTRIBUTE.findall(match.group(2).rstrip("/")):
            name = name.lower()
            value = value.strip("\"'")
            if name not in allowed:
                report(f"removed attribute '{name}' from <{tag}>", name)
            elif name in _URL_ATTRIBUTES and value:
                scheme = _SCHEME.match(value)
                if scheme and scheme.group(1).lower() not in URL_SCHEMES:
                    report(f"removed '{scheme.group(1).lower()}:' URL from <{tag} {name}>", value.strip()[:30])


def clean(html: str, report: Report) -> str:
    """Clean rendered article HTML, calling `report` for everything removed."""
    _find_removals(html, report)
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
