"""Chinese lines broken between phrases, never inside a word (W3C clreq).

BudouX's Simplified Chinese model finds the phrase boundaries; each becomes a `<wbr>`, and
the theme sets headlines `word-break: keep-all`, so a browser breaks them only there (and at
spaces). An editor forces a break with `|` in the headline: it becomes `<br>` on the page and
is gone everywhere else (page title, feeds, search).
"""

from __future__ import annotations

import functools
import re

from markupsafe import Markup, escape

BREAK = "|"
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_WIDE = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
                   r"\u201c\u201d\u2018\u2019\u00b7\u2014\u2026\U00020000-\U0003134f]")
_OPENING = "([{“‘（《〈「『【〔"
_CLOSING = ")]}”’）》〉」』】〕，。、；：！？…,.;:!?"
_PARSER: list = []
_KNOWN: dict[str, tuple[int, ...]] = {}


def split_breaks(text: str | None) -> tuple[str | None, tuple[int, ...]]:
    """A headline without its `|` marks, and where they stood in it. Between two words of
    Latin script the mark stands for a space; beside Chinese, for nothing."""
    if not text or BREAK not in text:
        return text, ()
    clean, breaks = "", []
    for part in (p.strip() for p in text.split(BREAK)):
        if not part:
            continue
        if clean:
            breaks.append(len(clean))
            if not _WIDE.match(clean[-1]) and not _WIDE.match(part[0]):
                clean += " "
        clean += part
    return clean, tuple(breaks)


def known(found: tuple[tuple[str, tuple[int, ...]], ...]) -> None:
    """Remember boundaries found before (with an article's front matter, in the build cache), so
    that rendering does not ask BudouX again."""
    _KNOWN.update(found)


def of(*texts: str | None) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """(text, boundaries) for the Chinese texts among `texts`, for `known`."""
    return tuple((text, boundaries(text)) for text in texts if text and _HAN.search(text))


def boundaries(text: str) -> tuple[int, ...]:
    """Where BudouX puts phrase boundaries in `text`, as offsets, beside Chinese characters only:
    a Latin word or number keeps its own line-breaking (at its spaces)."""
    if not _HAN.search(text):
        return ()
    found = _KNOWN.get(text)
    if found is not None:
        return found
    if not _PARSER:
        import budoux

        _PARSER.append(budoux.load_default_simplified_chinese_parser())
    cuts, offset = [], 0
    for chunk in _PARSER[0].parse(text)[:-1]:
        offset += len(chunk)
        before, after = text[offset - 1], text[offset]
        if before in _OPENING or after in _CLOSING or before.isspace() or after.isspace():
            continue  # no line ends on an opening mark or starts with a closing one
        if _WIDE.match(before) or _WIDE.match(after):
            cuts.append(offset)
    # kickers and column names come again and again: BudouX once for each
    found = _KNOWN[text] = tuple(cuts)
    return found


@functools.lru_cache(maxsize=65536)
def phrases(text: str | None, breaks: tuple[int, ...] = ()) -> Markup | str | None:
    """`text` as HTML with `<wbr>` at its phrase boundaries and `<br>` at the editor's breaks."""
    if not text:
        return text
    cuts = dict.fromkeys(boundaries(text), "<wbr>")
    cuts.update(dict.fromkeys(breaks, "<br>"))
    if not cuts:
        return escape(text)
    parts, last = [], 0
    for offset in sorted(cuts):
        parts += [str(escape(text[last:offset])), cuts[offset]]
        last = offset
    parts.append(str(escape(text[last:])))
    return Markup("".join(parts))
