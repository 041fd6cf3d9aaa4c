"""Copy-editing lint: the damage page-layout exports do to copy, found in Markdown bodies.

Each finding is a warning at its line (an error with --strict). A line that
contains `lint: ignore` (or `lint: ignore=RULE`) silences findings on it.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator, NamedTuple

# report(line, rule, message)
Report = Callable[[int, str, str], None]

RULES = ("repeated-sentence", "repeated-paragraph", "unbalanced", "half-width", "cut-paragraph", "cut-off", "photo-caption")
PAIRS = (("“", "”"), ("‘", "’"), ("『", "』"), ("「", "」"), ("（", "）"), ("《", "》"), ("【", "】"))
FULL_WIDTH = {",": "，", ".": "。", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HALF_WIDTH = re.compile(rf"(?<=[{_HAN}])([,.;:?!()])(?=[{_HAN}])")
_HALF_WIDTH_MARK = re.compile(r"[,.;:?!()]")  # most Chinese paragraphs have none: no closer look
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[”’」』）)]*")  # a sentence with its end and closing quotes
_WORDLIKE = re.compile(rf"[{_HAN}A-Za-z0-9]")
_SKIP_BLOCK = re.compile(r"^(#|\||```|~~~|<|\[\^?[^\]]*\]:|-{3,}\s*$|\*{3,}\s*$|\s{4})")
_LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s+")
_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|\[\^[^\]]*\]|<!--.*?-->|[*_`]")
_MARKUP_START = re.compile(r"[\[<*_`]")  # every _MARKUP match holds one of these
_QUOTE_MARK = re.compile(r"^\s*>\s?")
# the first characters of _SKIP_BLOCK, _LIST_ITEM, a quote and _STYLED, besides white space and digits
_BLOCK_LEADS = frozenset("#|`~<[-*+_>")
_STYLED = re.compile(r"\s*([*_]{1,3}).+\1\s*")
_OTHER_ENDS = ("！", "？", "!", "?", "”", "’", "」", "』", "）", ")", "。。")  # what _SENTENCE ends on besides one 。
_PAIR_MARK = re.compile("[" + "".join(opening + closing for opening, closing in PAIRS) + "]")


class Block(NamedTuple):
    """A paragraph of the body: its text (markup removed) and the file line of each text line
    (a tuple: a body has dozens, made faster so than a frozen dataclass's)."""

    line: int
    lines: tuple[str, ...]
    kind: str  # "paragraph", "quote", "item", "styled" or "skip"
    text: str = ""


def _joined(lines: tuple[str, ...]) -> str:
    if len(lines) == 1:
        return lines[0].strip()
    joiner = "" if any(_HAN_CHAR.search(x) for x in lines) else " "
    return joiner.join(x.strip() for x in lines).strip()


_HAN_CHAR = re.compile(f"[{_HAN}]")


def blocks(body: str, body_line: int) -> Iterator[Block]:
    """The prose blocks of a Markdown body (headings, tables, code and HTML left out)."""
    current: list[str] = []
    start = 0
    fenced = False
    for offset, raw in enumerate(body.split("\n") + [""]):
        stripped = raw.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            current = []
            continue
        if fenced:
            continue
        if not stripped:
            if current:
                yield _block(current, start)
            current = []
            continue
        if not current:
            start = body_line + offset
        current.append(raw)
    # a trailing block is flushed by the added empty line


def _block(lines: list[str], start: int) -> Block:
    first = lines[0]
    kind = "paragraph"
    lead = first[0]
    if lead in _BLOCK_LEADS or lead.isspace() or lead.isdecimal():  # (most start with a letter or a Chinese character)
        if _SKIP_BLOCK.match(first):
            return Block(start, (), "skip")
        if first.lstrip().startswith(">"):
            kind, lines = "quote", [_QUOTE_MARK.sub("", x) for x in lines]
        elif _LIST_ITEM.match(first):
            kind, lines = "item", [_LIST_ITEM.sub("", x) for x in lines]
        elif first.lstrip()[:1] in ("*", "_") and lines[-1].rstrip()[-1:] in ("*", "_") and _STYLED.fullmatch(" ".join(lines)):
            kind = "styled"  # a signature or run-in head set in italics or bold, not running text
    cleaned = tuple(_unmarked(x) if _MARKUP_START.search(x) else x for x in lines)
    return Block(start, cleaned, kind, _joined(cleaned))


def _unlinked(match: re.Match) -> str:
    return match.group(1) or ""


def _unmarked(line: str) -> str:
    """The line without its markup; with no `[` or `<` in it, that is its `*`, `_` and backquotes."""
    if "[" in line or "<" in line:
        return _MARKUP.sub(_unlinked, line)
    return line.replace("*", "").replace("_", "").replace("`", "")  # (str.translate is slower)


def lint_body(body: str, body_line: int, report: Report) -> None:
    """Report repeated, unbalanced, half-width and cut text in an article body."""
    found = [b for b in blocks(body, body_line) if b.kind == "skip" or b.text]
    repeats = _may_repeat([b.text for b in found if b.kind != "skip"])
    seen_paragraphs: dict[str, int] = {}
    seen_sentences: dict[str, int] = {}
    for index, block in enumerate(found):
        if block.kind == "skip":
            continue
        text = block.text
        following = found[index + 1] if index + 1 < len(found) else None
        if len(text) >= 10 and text in seen_paragraphs:
            report(block.line, "repeated-paragraph", f"paragraph repeated (first at line {seen_paragraphs[text]})")
            continue
        seen_paragraphs.setdefault(text, block.line)
        for sentence, line in _sentences(block) if repeats else ():
            key = sentence.strip()
            if len(key) < 10:
                continue
            if key in seen_sentences:
                report(line, "repeated-sentence", f"sentence repeated (first at line {seen_sentences[key]}): “{_excerpt(key)}”")
            else:
                seen_sentences[key] = line
        _balance(block, following, report)
        _half_width(block, report)
        if block.kind == "paragraph" and _WORDLIKE.match(text[-1]):
            if following is None and _HAN_CHAR.match(text[-1]):
                report(block.line + len(block.lines) - 1, "cut-off",
                       f"article ends without closing punctuation: text cut off? (…{text[-8:]})")
            elif following is not None and following.kind == "paragraph" and _continues(text[-1], following.text[0]):
                report(block.line + len(block.lines) - 1, "cut-paragraph",
                       f"paragraph ends without closing punctuation and line {following.line} continues it: "
                       f"a word cut by a column break? (…{text[-6:]} | {following.text[:6]}…)")


def _half_width(block: Block, report: Report) -> None:
    """One warning per line, naming every half-width mark found between Chinese characters on it."""
    text = block.text
    if not _HALF_WIDTH_MARK.search(text):
        return
    by_line: dict[int, list[re.Match]] = {}
    for match in _HALF_WIDTH.finditer(text):
        by_line.setdefault(_line_of(block, match.start()), []).append(match)
    for line, matches in by_line.items():
        marks = list(dict.fromkeys(m.group(1) for m in matches))
        first = matches[0]
        context = text[max(0, first.start() - 4):first.end() + 4]
        report(line, "half-width",
               f"half-width {' '.join(marks)} between Chinese characters: use {' '.join(FULL_WIDTH[m] for m in marks)} (…{context}…)")


def _continues(last: str, first: str) -> bool:
    if _HAN_CHAR.match(last) and _HAN_CHAR.match(first):
        return True
    return last.isalnum() and first.islower()


def _balance(block: Block, following: Block | None, report: Report) -> None:
    text = block.text
    marks = set(_PAIR_MARK.findall(text))  # most paragraphs hold few of the marks, or none
    for opening, closing in PAIRS:
        if opening not in marks and closing not in marks:
            continue
        if opening == "‘" and not _HAN_CHAR.search(text):
            continue  # ’ is also the English apostrophe
        opened, closed = text.count(opening), text.count(closing)
        if opened == closed:
            continue
        if opened > closed and following is not None and following.kind != "skip" and following.text.startswith(opening):
            continue  # a quotation running on over paragraphs opens each one and closes only the last
        missing = f"{opened - closed} {opening} without {closing}" if opened > closed else f"{closed - opened} {closing} without {opening}"
        report(block.line, "unbalanced", f"unbalanced {opening}{closing}: {missing}")


def _may_repeat(texts: list[str]) -> bool:
    """Whether any sentence of ten characters or more comes twice: most bodies have none, and
    this is checked at C speed before the sentences are walked one by one."""
    joined = "\n".join(texts)  # (no text holds a line break: 。 and \n never meet in it)
    if not any(mark in joined for mark in _OTHER_ENDS):
        # each sentence is the text up to a 。, and the rest of a paragraph one more: when no
        # two of those pieces are alike (but the empty ones), no two sentences are
        pieces = list(map(str.lstrip, "。".join(texts).split("。")))
        if len(set(pieces)) + max(pieces.count("") - 1, 0) == len(pieces):
            return False
    keys = []
    for text in texts:
        sentences = _SENTENCE.findall(text)
        keys += sentences
        keys.append(text[sum(map(len, sentences)):])
    keys = [key for key in map(str.strip, keys) if len(key) >= 10]
    return len(set(keys)) != len(keys)


def _sentences(block: Block) -> Iterator[tuple[str, int]]:
    text = block.text
    start = 0
    for match in _SENTENCE.finditer(text):  # the matches follow each other: start is the last end
        start = match.start()
        if len(match.group().strip()) >= 10:
            yield match.group(), (_line_of(block, start) if len(block.lines) > 1 else block.line)
        start = match.end()
    if len(text[start:].strip()) >= 10:
        yield text[start:], (_line_of(block, start) if len(block.lines) > 1 else block.line)


def _line_of(block: Block, position: int) -> int:
    """The file line holding a character position of the block's joined text."""
    seen = 0
    for offset, line in enumerate(block.lines):
        seen += len(line.strip())
        if position < seen:
            return block.line + offset
    return block.line + len(block.lines) - 1


def _excerpt(text: str, size: int = 16) -> str:
    return text if len(text) <= size else text[:size] + "…"


def silenced(source_line: str, rule: str) -> bool:
    """True when a source line carries `lint: ignore` for all rules or for this one."""
    match = re.search(r"lint:\s*ignore(?:=([\w,-]+))?", source_line)
    return bool(match) and (match.group(1) is None or rule in match.group(1).split(","))
