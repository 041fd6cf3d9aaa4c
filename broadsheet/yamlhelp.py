"""YAML mistakes a reporter makes, explained in plain words at the line where they start.

PyYAML says where it gave up (`expected <block end>, but found '<scalar>'`, often lines
after the mistake); these checks read the lines themselves and say what to write instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable

INDICATORS = "[{*&!%@`"
_LIST = re.compile(r"(- +|-$)")
# `key:` then a value: the key is a plain run up to the first ':' followed by a blank or the end
_KEY = re.compile(r"([^\s#'\"\[\]{},:-][^:\t]*?|-[^\s:][^:\t]*?):([ \t]+|$)")
_NO_SPACE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):([^\s:/\\])")
_EMPTY_BY_COMMENT = re.compile(r"^( *(?:- +)*)([^\s#'\"\[\]{},:][^:]*?):[ \t]+(#.*)$")


def fix(key: str | None, value: str) -> str:
    """`key: "value"` as the line should be written (long values cut with …)."""
    shown = value if len(value) <= 16 else value[:12] + "…"
    quoted = f"'{shown}'" if '"' in shown else f'"{shown}"'
    return f"{key}: {quoted}" if key else f"- {quoted}"


def indicator(key: str | None, value: str) -> str:
    """The message for a value that starts with one of YAML's special characters."""
    return f"a value starting with {value[0]} must be in quotes: {fix(key, value)}"


def _split(line: str) -> tuple[int, int, str | None, str, str]:
    """(indent, column of the content after any '- ', key or None, separator, value) of a line."""
    rest = line.lstrip(" ")
    column = len(line) - len(rest)
    indent = column
    while (dash := _LIST.match(rest)) is not None:
        column += dash.end()
        rest = rest[dash.end():]
    found = _KEY.match(rest)
    if found is None or rest[:1] in "\"'":
        return indent, column, None, "", rest
    return indent, column, found.group(1).strip(), found.group(2), rest[found.end():]


def value_of(line: str) -> tuple[str | None, str]:
    """(key or None, value) of one line of YAML."""
    _, _, key, _, value = _split(line)
    return key, value.strip()


def tab_after_key(text: str) -> tuple[int, str] | None:
    """(0-based line, message) of the first `key:<tab>value`: libyaml reads it and PyYAML's own
    parser refuses it, so it is refused whichever of the two reads the file."""
    if "\t" not in text:
        return None
    for number, line in enumerate(text.split("\n")):
        _, _, key, sep, _ = _split(line)
        if key is not None and "\t" in sep:
            return number, f"a tab after '{key}:'; use a space"
    return None


def missing_space(line: str) -> str | None:
    """The message for `key:value`, which YAML reads as one piece of text, or None."""
    _, _, key, _, value = _split(line)
    found = _NO_SPACE.match(value) if key is None else None
    if found is None:
        return None
    name = found.group(1)
    return f"a space is missing after '{name}:': write {name}: {value[len(name) + 1:].strip()}"


def _closing(value: str) -> int:
    """Where the quote that opens `value` closes, or -1."""
    mark, index = value[0], 1
    while index < len(value):
        char = value[index]
        if mark == '"' and char == "\\":
            index += 2
            continue
        if char == mark:
            if mark == "'" and value[index + 1:index + 2] == "'":
                index += 2
                continue
            return index
        index += 1
    return -1


def _value_problem(key: str | None, sep: str, value: str, parses: Callable[[str], bool]) -> str | None:
    """What is wrong with one line's value, in plain words, or None."""
    if "\t" in sep:
        return f"a tab after '{key}:'; use a space"
    value = value.rstrip()
    if not value or value.startswith("#"):
        return None
    if value[0] in "\"'":
        end = _closing(value)
        if end < 0:
            return f"the quote {value[0]} opened here is never closed: end the value with {value[0]}"
        after = value[end + 1:].strip()
        if after and not after.startswith("#"):
            return f"text follows the closing quote; put the whole value in quotes: {fix(key, value)}"
        return None
    if value[0] in "[{":
        if parses(value):
            return None
        return indicator(key, value)
    if value[0] in INDICATORS:
        return indicator(key, value)
    if ": " in value or value.endswith(":") or ":\t" in value:
        return f"a value containing ': ' must be in quotes: {fix(key, value)}"
    return None


def explain(text: str, error_line: int, parses: Callable[[str], bool]) -> tuple[int, str]:
    """(0-based line, message) for YAML the parser refused at `error_line`: the first line at or
    before it that shows a mistake, else that line with advice on quotes and indentation.
    `parses(value)` says whether a `[…]` or `{…}` value is a whole list or mapping by itself."""
    lines = text.split("\n")
    blocks: list[int] = []  # columns of the mappings and lists open above the current line
    opened = continued = False  # the line above opens a block / has a plain value lines may continue
    last_column = 0
    for number, line in enumerate(lines[: error_line + 1]):
        if not line.strip() or line.lstrip(" ").startswith("#"):
            continue
        if line[: len(line) - len(line.lstrip(" \t"))].count("\t"):
            return number, "tab character in YAML indentation; use spaces"
        indent, column, key, sep, value = _split(line)
        if continued and indent > last_column and not opened:
            if key is not None and not line.lstrip().startswith("-"):
                return number, (f"'{key}' is indented more than the key above it: "
                                "line up the keys of one item in the same column")
            continue  # a long value running on: YAML joins it to the line above
        deeper = None
        while blocks and blocks[-1] > indent:
            deeper = blocks.pop()
        if blocks and blocks[-1] < indent and not opened:
            near = f"{blocks[-1]} or {deeper}" if deeper is not None else f"{blocks[-1]}"
            return number, (f"this line is indented {indent} space{'s' * (indent != 1)}, the lines above it {near}: "
                            "line up a list's '-' marks, and the keys of a list item, in one column")
        if not blocks or blocks[-1] != indent:
            blocks.append(indent)
        if column != indent:
            blocks.append(column)
        problem = missing_space(line) or _value_problem(key, sep, value, parses)
        if problem:
            return number, problem
        opened = not value.strip() or value.strip().startswith("#")
        continued = not opened and value[:1] not in INDICATORS + "\"'"
        last_column = column
    return error_line, ("this line is not valid YAML: write each line as key: value, "
                        "start list items with '- ' in one column, and quote values that hold : # or quotes")


def silent_mistakes(text: str) -> list[tuple[int, str]]:
    """(0-based line, warning) for valid YAML that does not say what was meant: `key: #…`, whose
    value is empty because '#' starts a comment, and a '- ' item indented under the item above,
    which YAML joins to that item's text."""
    lines = text.split("\n")
    # the first needs '#', the second two lines starting '-': most front matter has neither
    if "#" not in text and sum(line.lstrip().startswith("-") for line in lines) < 2:
        return []
    found = []
    above = None  # (indent, is a '- text' item) of the line above
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        indent, column, key, _, value = _split(line)
        if above and above[1] and indent > above[0] and line.lstrip().startswith("- "):
            found.append((number, ("this item is indented more than the '-' above it, so YAML joins it to "
                                   "that item's text: line up a list's '-' marks in one column")))
            continue
        above = (indent, column > indent and key is None and bool(value) and value[0] not in "[{#")
        match = _EMPTY_BY_COMMENT.match(line)
        if match and "lint:" not in match.group(3):
            key, comment = match.group(2), match.group(3)
            found.append((number, (f"the value of '{key}' is empty: '#' starts a comment in YAML; "
                                   f"if it is part of the value, put it in quotes: {fix(key, comment)}")))
    return found
