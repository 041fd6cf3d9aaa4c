"""Markdown bodies to HTML: one configured Python-Markdown per language.

`render_body` is pure — the same body, language and settings always give the
same `Body` — so its result is cached across builds and computed in parallel.
Local references (images, links to files and articles) are left as tokens in
the HTML and filled in per build by `fill`, because what they resolve to
depends on other files.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import lint, sanitize
from .model import Reference

if TYPE_CHECKING:
    import markdown

EXTENSIONS = ["tables", "footnotes", "attr_list"]
BACKLINK_TITLE = {"zh-CN": "返回正文第%d个注释处", "en": "Back to footnote %d in the text"}
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_EXTERNAL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//|#|/)")


@dataclass(frozen=True)
class Body:
    """A body rendered, sanitised and linted: everything that depends on its text alone."""

    html: str  # with a token in place of each local reference
    meta: "BodyMeta"


@dataclass(frozen=True)
class BodyMeta:
    """What the build needs of a body besides its HTML (kept in the cache's main file)."""

    references: tuple[Reference, ...]
    summary: str  # the first paragraph's text cut to a summary, for articles that give none
    text_length: int
    removals: tuple[tuple[int, str], ...]  # (line, what the raw-HTML policy removed)
    findings: tuple[tuple[int, str, str], ...]  # (line, rule, message) from the copy-editing lint


def body_key(language: str, trust_raw_html: bool, body: str, body_line: int) -> str:
    """The cache key of a body: everything `render_body` depends on."""
    text = f"{language}\0{trust_raw_html}\0{body_line}\0{body}"
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class Renderer:
    """Renders article bodies; one instance is reused (and reset) for every article."""

    def __init__(self, language: str):
        self.language = language
        self._markdown: tuple[markdown.Markdown, _Found] | None = None

    def python_markdown(self, nonce: str) -> tuple[markdown.Markdown, "_Found"]:
        """The language's Python-Markdown, reset, and what it finds of the next body's local
        references; made (and the package imported) on the first body the direct way cannot take."""
        if self._markdown is None:
            self._markdown = _configured(self.language)
        converter, found = self._markdown
        converter.reset()
        found.nonce, found.references = nonce, []
        return converter, found

    def render(self, body: str, body_line: int, trust_raw_html: bool, key: str | None = None) -> Body:
        """Render, sanitise and lint one body (RecursionError for absurdly nested Markdown); `key`
        is its `body_key` when the caller has it."""
        key = key or body_key(self.language, trust_raw_html, body, body_line)
        output = plain_html(body, smart=self.language == "en")
        direct = output is not None
        found: list[tuple[str, str, bool]] = []  # the direct HTML has no local references
        if output is None:
            converter, noted = self.python_markdown(key[:12])
            output = converter.convert(body)
            found = noted.references
        references = tuple(
            Reference(f"broadsheet-ref-{i}-{key[:12]}", tag, target, body_line + _line_in(body, target), sized)
            for i, (tag, target, sized) in enumerate(found)
        )
        removals: list[tuple[int, str]] = []
        # the direct HTML holds no markup to clean: the sanitiser would return it as it is (its
        # serialiser writes U+00A0 as &nbsp;, so such text still goes through it)
        if not trust_raw_html and not (direct and "\u00a0" not in output):
            def removed(what: str, needle: str) -> None:
                index = body.lower().find(needle.lower())
                removals.append((body_line + (body.count("\n", 0, index) if index >= 0 else 0), what))

            output = sanitize.clean(output, removed)
        output = join_east_asian_lines(output)
        findings: list[tuple[int, str, str]] = []
        lint.lint_body(body, body_line, lambda line, rule, message: findings.append((line, rule, message)))
        meta = BodyMeta(references, cut_summary(first_paragraph(output)), len(plain_text(output)), tuple(removals),
                        tuple(findings))
        return Body(output, meta)


class _Found:
    """The local references Python-Markdown's tree held, replaced by tokens made with the nonce."""

    def __init__(self) -> None:
        self.nonce = ""
        self.references: list[tuple[str, str, bool]] = []  # (tag, target, sized)


def _configured(language: str) -> tuple[markdown.Markdown, _Found]:
    """Python-Markdown as bodies are rendered in the language, with the tree processor that
    turns local references into tokens (noted in the `_Found`) and sets the heading levels."""
    import markdown
    from markdown.extensions import Extension
    from markdown.treeprocessors import Treeprocessor

    found = _Found()

    class References(Treeprocessor):
        def run(self, root):
            shifted = heading_levels([int(e.tag[1]) for e in root.iter() if e.tag in _HEADINGS])
            for element in root.iter():
                if element.tag in _HEADINGS:
                    element.tag = f"h{shifted[int(element.tag[1])]}"
                attribute = {"img": "src", "a": "href"}.get(element.tag)
                value = element.get(attribute) if attribute else None
                if element.tag == "img":
                    element.set("loading", "lazy")
                if not value or _EXTERNAL.match(value):
                    continue
                token = f"broadsheet-ref-{len(found.references)}-{found.nonce}"
                found.references.append((element.tag, value, element.get("width") is not None))
                element.set(attribute, token)
            return None

    class ReferenceExtension(Extension):
        def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's hook name
            md.treeprocessors.register(References(md), "broadsheet-references", 1)

    extensions = [*EXTENSIONS, ReferenceExtension()] + (["smarty"] if language == "en" else [])
    converter = markdown.Markdown(extensions=extensions, output_format="html",
                                  extension_configs={"footnotes": {"BACKLINK_TITLE": BACKLINK_TITLE[language]}})
    return converter, found


# Chinese and Japanese have no spaces between words: a line break between two of their
# characters is the source's hard wrap, not a space (Pandoc's east_asian_line_breaks).
_WIDE = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f"
# (the pattern starts with the line break itself, which the regex engine then searches for alone)
_EAST_ASIAN_BREAK = re.compile(
    f"\n(?:(?<=[{_WIDE}]\n)(?=[{_WIDE}\u201c\u2018])|(?<=[\u201d\u2019]\n)(?=[{_WIDE}]))")
_PRE = re.compile(r"(<pre[\s>].*?</pre>)", re.DOTALL)


def join_east_asian_lines(fragment: str) -> str:
    """HTML with each line break between two Chinese (or Japanese) characters dropped, outside <pre>."""
    if "\n" not in fragment:
        return fragment
    parts = _PRE.split(fragment)
    return "".join(part if index % 2 else _EAST_ASIAN_BREAK.sub("", part) for index, part in enumerate(parts))


# Most bodies are paragraphs, sub-heads, bold and italic phrases, links, block quotes, simple
# lists and tables, and nothing else: for them the HTML is built directly, exactly as Python-Markdown builds it
# (tests/test_properties.py compares the two), at a fraction of its cost. Anything else that could
# be Markdown syntax sends the body to Python-Markdown.
_BLANK_LINES = re.compile(r"\n{2,}")
_HEADING_LINE = re.compile(r"(#{1,6}) (\S(?:[^\n#]*\S)?)")
_SYNTAX_CHAR = re.compile(r"""[\\`*_\[\]<>&!|{}#\t\x00-\x08\x0b-\x1f\x7f]""")
_SYNTAX_START = re.compile(r"[-+=>]|\d+[.)]|\s")  # at a line's start
_SMART = re.compile(r"""['"]|--|\.\.\.""")
# **bold**, *italic* (neither with a space inside its marks, nor another mark) and [text](URL)
# with an absolute http(s) URL of characters that need no escaping
_INLINE = re.compile(r"\*\*(?=[^*\s])([^*\n]*?[^*\s])\*\*|\*(?=[^*\s])([^*\n]*?[^*\s])\*"
                     r"|\[([^\[\]\n]+)\]\((https?://[A-Za-z0-9._~:/?#=%-]+)\)")
_QUOTE_LINE = re.compile(r"> (\S.*)")
_LIST_ITEM = {"ul": re.compile(r"- (\S.*)"), "ol": re.compile(r"\d+\. (\S.*)")}


def plain_html(body: str, smart: bool = False) -> str | None:
    """The HTML of a body of paragraphs, `#` sub-heads, `> ` quotes of one paragraph, one-line
    `- ` or `1. ` lists and `| a | b |` tables (see `_table`), with `**bold**`, `*italic*` and `[links](https://…)` in their text, headings
    set as `heading_levels` sets them; None when the body may hold any other Markdown."""
    text = body.strip("\n")
    # (a run of two line breaks at most: str.split finds them faster than the regex)
    blocks = text.split("\n\n") if "\n\n\n" not in text else _BLANK_LINES.split(text)
    if not blocks[0] or (smart and _SMART.search(body)) or "***" in body:
        return None
    parts: list[tuple[int, str]] = []  # (heading level, or 0 for any other block; its HTML)
    previous: str | None = ""
    for block in blocks:
        made = _direct_block(block)
        # a list right after a list, or a quote after a quote, is one with it, in paragraphs: not done here
        kind = "list" if made and made[0] in ("ul", "ol") else made and made[0]
        if made is None or (kind in ("list", "blockquote") and kind == previous):
            return None
        previous = kind
        parts.append((made[1], made[2]))
    shifted = heading_levels([level for level, _ in parts if level])
    return "\n".join(f"<h{shifted[level]}>{text}</h{shifted[level]}>" if level else text for level, text in parts)


def _direct_block(block: str) -> tuple[str, int, str] | None:
    """(kind, heading level, HTML) of one block, or None when it is not for the direct way."""
    if block.startswith("#"):
        match = _HEADING_LINE.fullmatch(block)
        text = _inline(match.group(2)) if match else None
        return None if text is None else ("h", len(match.group(1)), text)
    lines = block.split("\n")
    if block.startswith("|"):
        table = _table(lines)
        return None if table is None else ("table", 0, table)
    if block.startswith("> "):
        quoted = [_QUOTE_LINE.fullmatch(line) for line in lines]
        inner = "\n".join(m.group(1) for m in quoted if m)
        text = _inline(inner) if all(quoted) and not _syntax_at_ends(inner) else None
        return None if text is None else ("blockquote", 0, f"<blockquote>\n<p>{text}</p>\n</blockquote>")
    for kind, item in _LIST_ITEM.items() if block[0] == "-" or block[0].isdecimal() else ():
        if item.match(block):
            found = [item.fullmatch(line) for line in lines]
            if not all(found) or _syntax_at_ends("\n".join(m.group(1) for m in found if m)):
                return None
            items = [_inline(m.group(1)) for m in found if m]
            if None in items:
                return None
            return kind, 0, f"<{kind}>\n" + "".join(f"<li>{text}</li>\n" for text in items) + f"</{kind}>"
    text = None if _syntax_at_ends(block) else _inline(block)
    return None if text is None else ("p", 0, f"<p>{text}</p>")


def _table(lines: list[str]) -> str | None:
    """The HTML of a table as the `tables` extension makes it, for a header, a `|---|---|` rule and
    body rows, each line starting and ending with `|`, every cell of text, no column aligned, no
    row short or long; None for any other block."""
    rows = [line[1:-1].split("|") if len(line) > 1 and line[0] == line[-1] == "|" else [] for line in lines]
    if len(rows) < 3 or len(rows[0]) < 2 or any(len(row) != len(rows[0]) for row in rows):
        return None
    if any(cell.strip(" ").strip("-") or "-" not in cell for cell in rows[1]):
        return None
    made = []
    for index, row in enumerate(rows):
        if index == 1:
            continue
        cells = [cell.strip(" ") for cell in row]
        texts = [_inline(cell) if cell and not cell[0].isspace() and not cell[-1].isspace() else None
                 for cell in cells]
        if None in texts:
            return None
        tag = "td" if index else "th"
        made.append("<tr>\n" + "".join(f"<{tag}>{text}</{tag}>\n" for text in texts) + "</tr>\n")
    return f"<table>\n<thead>\n{made[0]}</thead>\n<tbody>\n{''.join(made[1:])}</tbody>\n</table>"


def _inline(text: str) -> str | None:
    """A block's text with its bold, italic and links as HTML; None when it holds other syntax."""
    if "*" not in text and "[" not in text:  # (str's search for one character is faster than _INLINE's)
        return None if _SYNTAX_CHAR.search(text) else text
    made: list[str] = []
    last = 0
    marks = 0  # the syntax characters the matches' own marks account for: ** ** and * *, [ ]
    for match in _INLINE.finditer(text):
        strong, em, label, url = match.groups()
        inner = strong or em or label
        if text[match.end():match.end() + 1] == "*" or text[match.start() - 1:match.start()] == "*":
            return None  # marks that touch (`*a**b*`) pair up otherwise in Python-Markdown
        made.append(text[last:match.start()])
        made.append(f"<strong>{inner}</strong>" if strong else f"<em>{inner}</em>" if em else f'<a href="{url}">{inner}</a>')
        marks += 4 if strong else 2 if em else 2 + len(_SYNTAX_CHAR.findall(url))  # a URL's own # and _
        last = match.end()
    # any other syntax character, between the matches or inside one, is other Markdown: one count
    # over the text says whether there is one
    if len(_SYNTAX_CHAR.findall(text)) != marks:
        return None
    return "".join(made) + text[last:]


def _syntax_at_ends(block: str) -> bool:
    """Whether a line of the block starts like a list, quote, rule or indented code, or ends in
    white space (a line break). One regex with `^` and `$` for this tries them at every character."""
    for line in block.split("\n"):
        if _SYNTAX_START.match(line) or line[-1:].isspace():
            return True
    return False


def heading_levels(levels: list[int]) -> dict[int, int]:
    """Each Markdown heading level (1–6) as set: the body's top heading becomes <h2>, the
    headline being the page's <h1>, and the others keep their distance below it, down to <h6>."""
    shift = min(levels) - 2 if levels else 0
    return {level: min(6, level - shift) for level in range(1, 7)}


_RENDERERS: dict[str, Renderer] = {}


def render_body(language: str, body: str, body_line: int, trust_raw_html: bool, key: str | None = None) -> Body:
    """Render one body with this process's renderer for the language (`key`: its `body_key`, if known)."""
    renderer = _RENDERERS.get(language)
    if renderer is None:
        renderer = _RENDERERS[language] = Renderer(language)
    return renderer.render(body, body_line, trust_raw_html, key)


def fill(text: str, references: tuple[Reference, ...], resolved: dict[str, tuple[str, tuple[int, int] | None]]) -> str:
    """Body HTML with each reference token replaced by its URL (and an image's size)."""
    for reference in references:
        url, size = resolved.get(reference.token, (reference.target, None))
        attribute = "src" if reference.tag == "img" else "href"
        replacement = f'{attribute}="{html.escape(url)}"'
        if size and reference.tag == "img" and not reference.sized:
            replacement += f' width="{size[0]}" height="{size[1]}"'
        text = text.replace(f'{attribute}="{reference.token}"', replacement)
    return text


def _line_in(body: str, target: str) -> int:
    """The 0-based line of the body where a reference is written (0 when not found)."""
    index = body.find(target)
    return body.count("\n", 0, index) if index >= 0 else 0


_TAG = re.compile(r"<[^>]+>")


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment, tags removed and entities decoded."""
    return html.unescape(_TAG.sub("", fragment))


def first_paragraph(fragment: str) -> str:
    """The plain text of the first non-empty paragraph."""
    start = fragment.find("<p>")  # (str.find: faster than a lazy <p>(.*?)</p> regex)
    while start >= 0:
        end = fragment.find("</p>", start + 3)
        if end < 0:
            break
        text = " ".join(plain_text(fragment[start + 3:end]).split())
        if text:
            return text
        start = fragment.find("<p>", end + 4)
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


_SMARTY: list[markdown.Markdown] = []
# what Markdown would read as markup in a line of text; quotes, dashes and dots are left to smarty
_LINE_SYNTAX = re.compile(r"([\\`*_{}\[\]()!]|^[#>+-])")
_LIST_NUMBER = re.compile(r"^(\d+)\.")


def smart_quotes(text: str) -> str:
    """A line of English text with the body's typographer's quotes, dashes and ellipses
    (Python-Markdown's smarty itself, so a headline's `'90s` is the body's ’90s)."""
    if not _SMARTY:
        import markdown

        _SMARTY.append(markdown.Markdown(extensions=["smarty"], output_format="html"))
    converter = _SMARTY[0]
    converter.reset()
    escaped = _LINE_SYNTAX.sub(r"\\\1", html.escape(text.strip().replace("\n", " "), quote=False))
    escaped = _LIST_NUMBER.sub(r"\1\\.", escaped)
    output = converter.convert(escaped)
    return html.unescape(output.removeprefix("<p>").removesuffix("</p>"))
