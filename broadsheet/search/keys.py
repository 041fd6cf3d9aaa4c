"""The index keys of a text, and the terms of a query: what `search.js` computes in the browser too."""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from typing import Iterable

# Han characters: the CJK unified ideographs, extension A, compatibility ideographs, extensions B–H.
_H = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# at each Han character, it and the next when that is Han too, else it alone: every pair of a
# run (overlapping) and its last character, in one pass
_HAN_KEYS = re.compile(f"(?=([{_H}][{_H}]?))")
_CUTS = "，。、；：！？ "  # neither Han nor word characters: `tokens` cuts the text at them
_WORD = re.compile(f"[^\\W_{_H}]+")


# Characters NFKC leaves alone or changes into no letter or digit: ASCII, CJK punctuation and
# ideographs, full-width punctuation, dashes and quotes. Text of these alone (most copy) needs
# no closer look.
_PLAIN = re.compile("[^\n -~\u00b7\u2010-\u2027\u3000-\u3029\u3030-\u3037\u303b-\u303f\u4e00-\u9fff\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")


def normal(text: str) -> str:
    """Text as it is indexed and searched: NFKC, lower case."""
    if _PLAIN.search(text) and _changes_words().search(text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


@functools.cache
def _changes_words() -> re.Pattern:
    """The characters whose NFKC form changes the index keys: compatibility letters, digits and
    ideographs (full-width Ｇ, ①, 兀), and combining marks and jamo, which compose. Full-width
    punctuation, in every line of Chinese, is not among them: normalising 2,000 characters costs
    more than indexing them."""
    def matters(char: str) -> bool:
        changed = unicodedata.normalize("NFKC", char)
        if changed != char:
            return char.isalnum() or any(c.isalnum() for c in changed)
        return unicodedata.category(char).startswith("M") or 0x1100 <= ord(char) <= 0x11FF

    points = [n for n in [*range(0xD800), *range(0xE000, 0x10000), *range(0x1D400, 0x1D800), *range(0x1F100, 0x1F200)]
              if matters(chr(n))] + list(range(0x2F800, 0x2FA20))
    ranges: list[list[int]] = []
    for n in points:
        if ranges and ranges[-1][1] == n - 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    return re.compile("[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges) + "]")


def tokens(texts: Iterable[str]) -> set[str]:
    """The index keys of some texts: each Han run's character pairs and last character, and the
    other words."""
    # one text, cut into pieces at common characters no key spans (a key ends at them as it ends
    # at a line's end): copy repeats its phrases, so each distinct piece is found in one pass
    # (the bench's copy has an eighth of its characters in distinct pieces)
    text = "\n".join([normal(text) for text in texts])
    for cut in _CUTS:
        text = text.replace(cut, "\n")
    text = "\n".join(set(text.split("\n")))
    found = set(_HAN_KEYS.findall(text))
    found.update(_WORD.findall(text))
    return found


def query_terms(query: str) -> list[str]:
    """A query's terms, each of which must be found: its Han runs and other words, in order,
    each once. `search.js` does the same."""
    terms: list[str] = []
    for match in re.finditer(f"[{_H}]+|[^\\W_{_H}]+", normal(query)):
        if match.group(0) not in terms:
            terms.append(match.group(0))
    return terms


_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|td|th|blockquote|figcaption|pre|tr|dt|dd)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"[ \t\r\f\v]+")


def plain_text(body_html: str) -> str:
    """An article body's text: paragraphs on their own lines, no markup."""
    # the spaces of the whole text at once, not line by line: a body has some thirty lines
    text = _SPACE.sub(" ", html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", body_html))))
    return "\n".join(filter(None, map(str.strip, text.split("\n"))))
