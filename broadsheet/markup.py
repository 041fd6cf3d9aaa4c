"""Markdown bodies to HTML: one configured Python-Markdown per language."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ["tables", "footnotes", "attr_list"]
BACKLINK_TITLE = {"zh-CN": "返回正文第%d个注释处", "en": "Back to footnote %d in the text"}
_EXTERNAL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//|#|/)")

@dataclass(frozen=True)
class Resolved:
    """What a local reference resolved to: a new URL (None: keep it) and an image's size."""

    url: str | None
    size: tuple[int, int] | None


# resolve(reference, element_tag) -> Resolved; it reports problems itself.
Resolver = Callable[[str, str], Resolved]


@dataclass(frozen=True)
class Rendered:
    """A body rendered to HTML, with its plain opening for summaries."""

    html: str
    first_paragraph: str
    text_length: int


class _References(Treeprocessor):
    """Finds local images and links so their files are checked and copied."""

    resolver: Resolver | None = None

    def run(self, root):
        if self.resolver is None:
            return None
        for element in root.iter():
            attribute = {"img": "src", "a": "href"}.get(element.tag)
            value = element.get(attribute) if attribute else None
            if not value or _EXTERNAL.match(value):
                continue
            resolved = self.resolver(value, element.tag)
            if resolved.url is not None:
                element.set(attribute, resolved.url)
            size = resolved.size
            if element.tag == "img" and size and not element.get("width"):
                element.set("width", str(size[0]))
                element.set("height", str(size[1]))
            if element.tag == "img":
                element.set("loading", "lazy")
        return None


class _ReferenceExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's hook name
        self.processor = _References(md)
        md.treeprocessors.register(self.processor, "broadsheet-references", 1)


class Renderer:
    """Renders article bodies; one instance is reused (and reset) for every article."""

    def __init__(self, language: str):
        self._references = _ReferenceExtension()
        extensions = list(EXTENSIONS) + [self._references]
        if language == "en":
            extensions.append("smarty")
        self._md = markdown.Markdown(
            extensions=extensions,
            extension_configs={"footnotes": {"BACKLINK_TITLE": BACKLINK_TITLE[language]}},
            output_format="html",
        )

    def render(self, body: str, resolver: Resolver | None = None) -> Rendered:
        """Convert one body; `resolver` checks local references."""
        self._md.reset()
        self._references.processor.resolver = resolver
        try:
            output = self._md.convert(body)
        finally:
            self._references.processor.resolver = None
        return Rendered(output, first_paragraph(output), len(plain_text(output)))


_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment, tags removed and entities decoded."""
    return html.unescape(_TAG.sub("", fragment))


def first_paragraph(fragment: str) -> str:
    """The plain text of the first non-empty paragraph."""
    for match in _PARAGRAPH.finditer(fragment):
        text = " ".join(plain_text(match.group(1)).split())
        if text:
            return text
    return ""


_SENTENCE_END = re.compile(r"[。！？!?…]+[”’」』）)]*|\.(?=\s)")


def cut_summary(text: str, limit: int = 120) -> str:
    """Cut text on a sentence boundary within `limit` characters, else on a character boundary."""
    if len(text) <= limit:
        return text
    best = 0
    for match in _SENTENCE_END.finditer(text, 0, limit + 1):
        if match.end() <= limit:
            best = match.end()
    if best >= limit // 4:
        return text[:best].strip()
    cut = text[: limit - 1]
    if " " in cut and not re.search(r"[\u3400-\u9fff]", cut):
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"
