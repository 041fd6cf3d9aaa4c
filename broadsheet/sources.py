"""Reading source files: encodings, line ends, YAML with line numbers, front matter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problems
from .yamlhelp import explain, indicator, missing_space, silent_mistakes, tab_after_key, value_of

MAX_FRONT_MATTER = 64 * 1024
MAX_ARTICLE = 2 * 1024 * 1024
MAX_DEPTH = 32
# C0 and C1 controls, and the Unicode line separators: YAML would count NEL, LS and PS as line
# breaks, putting its line numbers out of step with the file's.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


class Unreadable(Exception):
    """A file that cannot be read as text; the message says why."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line


class _StringLoader(yaml.SafeLoader):
    """A safe YAML loader that types nothing: every scalar stays the string written.

    YAML 1.1 would read `01` as 1, `12:30` as 750 and `NO` as False; our schema
    types values itself, so page labels and times stay as the newsroom wrote them.
    """

    yaml_implicit_resolvers: dict = {}
    depth = 0

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        event = self.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(event.start_mark.line, "*" if isinstance(event, AliasEvent) else "&")
        if self.depth >= MAX_DEPTH:
            raise _Refused(event.start_mark.line, f"YAML nested more than {MAX_DEPTH} levels deep")
        self.depth += 1
        try:
            return Composer.compose_node(self, parent, index)
        finally:
            self.depth -= 1


_CStringLoader = None
if getattr(yaml, "__with_libyaml__", False):

    class _CStringLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """libyaml's parser, typing nothing; checked by `_check_tree` since it has no hooks."""

        yaml_implicit_resolvers: dict = {}
        _PLAIN = {ScalarNode: "tag:yaml.org,2002:str", SequenceNode: "tag:yaml.org,2002:seq",
                  MappingNode: "tag:yaml.org,2002:map"}

        def resolve(self, kind, value, implicit):  # noqa: D102 - PyYAML hook, asked of every untagged node
            return self._PLAIN[kind]  # what Resolver.resolve gives with no implicit or path resolvers


class _Refused(Exception):
    """YAML that is valid but that we refuse: aliases, deep nesting."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def decode(data: bytes) -> str:
    """Decode UTF-8 (a BOM and CRLF/CR line ends accepted) or raise Unreadable."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Unreadable("encoded as UTF-16, not UTF-8; save it as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = (
            f"not UTF-8 (first bad byte 0x{data[exc.start]:02X} at line {line}, column {column})"
        )
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            message += (
                "; the bytes decode as GB18030. Convert with: "
                "iconv -f GB18030 -t UTF-8 in.md > out.md"
            )
        raise Unreadable(message) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise Unreadable(f"control character U+{ord(bad.group()):04X} not allowed", line)
    return text


def read_text(path: Path) -> str:
    """Read a UTF-8 text file; raise Unreadable with a message for people."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror}") from None
    return decode(data)


def compose(text: str, rel: str, problems: Problems, first_line: int = 1) -> Node | None:
    """Parse YAML text into a node tree with positions; report problems, never raise.

    `first_line` is the file line on which `text` starts, so messages name
    lines in the file, not in the front matter.
    """
    offset = first_line - 1
    if "\r" in text:  # (`decode` has done this for a file's text) line numbers as YAML counts them
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    node = _compose(text, rel, problems, first_line)
    if isinstance(node, ScalarNode) and (message := missing_space(_line(text, node.start_mark.line))):
        problems.error(rel, line_of(node, offset), message)
        return None
    if node is not None:
        for line, message in silent_mistakes(text):
            problems.warn(rel, line + 1 + offset, message)
    return node


def _line(text: str, number: int) -> str:
    """Line `number` (from 0) of the text; '' past its end (YAML also breaks lines at U+0085,
    U+2028 and U+2029, which `decode` refuses)."""
    lines = text.split("\n")
    return lines[number] if number < len(lines) else ""


def flow_parses(value: str) -> bool:
    """Whether a `[…]` or `{…}` value is a whole YAML list or mapping by itself."""
    try:
        yaml.compose(value, Loader=_StringLoader)
    except (yaml.YAMLError, _Refused):
        return False
    return True


def _refusal(text: str, exc: _Refused) -> str:
    if exc.message in ("&", "*"):  # an anchor or alias: the value was meant as text
        lines = text.split("\n")
        key, value = value_of(lines[exc.line]) if exc.line < len(lines) else (None, "")
        return indicator(key, value if value.startswith(exc.message) else exc.message + value)
    return exc.message


def _compose(text: str, rel: str, problems: Problems, first_line: int) -> Node | None:
    offset = first_line - 1
    tab = tab_after_key(text)
    if tab is not None:
        problems.error(rel, tab[0] + 1 + offset, tab[1])
        return None
    # libyaml has no hook to refuse an anchor nobody refers to: text that may hold one is read
    # by the Python loader, which refuses anchors and aliases as it meets them
    if _CStringLoader is not None and "&" not in text and "*" not in text:
        try:
            node = yaml.compose(text, Loader=_CStringLoader)
        except yaml.YAMLError:
            pass  # the Python parser below says what is wrong, in its words
        else:
            refused, tagged = _check_tree(node)
            if refused is None:
                return node if node is None or not tagged or _check_tags(node, rel, problems, offset, text) else None
            problems.error(rel, refused.line + 1 + offset, _refusal(text, refused))
            return None
    try:
        node = yaml.compose(text, Loader=_StringLoader)
    except _Refused as exc:
        problems.error(rel, exc.line + 1 + offset, _refusal(text, exc))
        return None
    except RecursionError:
        problems.error(rel, first_line, f"YAML nested more than {MAX_DEPTH} levels deep")
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, message = explain(text, mark.line if mark else 0, flow_parses)
        problems.error(rel, line + 1 + offset, message)
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors
        problems.error(rel, first_line, f"not valid YAML: {exc}")
        return None
    if node is not None and not _check_tags(node, rel, problems, offset, text):
        return None
    return node


def _check_tree(node: Node | None) -> "tuple[_Refused | None, bool]":
    """Refuse nesting deeper than MAX_DEPTH; and whether any node is tagged other than plainly
    (`_check_tags` then says which). libyaml's tree for text without `*` has no aliases: no node
    in it is met twice."""
    if node is None:
        return None, False
    tagged = False
    stack = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > MAX_DEPTH:
            return _Refused(current.start_mark.line, f"YAML nested more than {MAX_DEPTH} levels deep"), tagged
        if current.tag not in _PLAIN_TAGS:
            tagged = True
        if isinstance(current, SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)
        elif isinstance(current, MappingNode):
            for key, value in current.value:
                stack.extend(((key, depth + 1), (value, depth + 1)))
    return None, tagged


def _check_tags(node: Node, rel: str, problems: Problems, offset: int, text: str) -> bool:
    ok = True
    lines = text.split("\n")
    stack = [node]
    while stack:
        current = stack.pop()
        if current.tag not in _PLAIN_TAGS:
            tag = current.tag.replace("tag:yaml.org,2002:", "!!")
            key, value = value_of(lines[current.start_mark.line])
            message = indicator(key, value) if value.startswith("!") else f"YAML tag '{tag}' is not allowed"
            problems.error(rel, current.start_mark.line + 1 + offset, message)
            ok = False
        if isinstance(current, SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
    return ok


def line_of(node: Node, offset: int = 0) -> int:
    """The 1-based file line where a node starts."""
    return node.start_mark.line + 1 + offset


@dataclass(frozen=True)
class Document:
    """A source file split into its YAML front matter and its Markdown body."""

    meta: Node | None
    meta_line: int  # file line of the first YAML line
    body: str
    body_line: int  # file line of the first body line


_FENCE = re.compile(r"^---[ \t]*$")


def split_front_matter(text: str, rel: str, problems: Problems) -> Document | None:
    """Split an article into front matter and body; report problems, never raise."""
    lines = text.split("\n")
    if not text.strip():
        problems.error(rel, 1, "article is empty")
        return None
    if not _FENCE.match(lines[0]):
        problems.error(rel, 1, "no front matter: an article starts with a line '---'")
        return None
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]) or lines[index].rstrip() == "...":
            break
    else:
        problems.error(rel, 1, "front matter starts here but has no closing '---'")
        return None
    yaml_text = "\n".join(lines[1:index])
    if len(yaml_text.encode("utf-8")) > MAX_FRONT_MATTER:
        problems.error(rel, 1, "front matter larger than 64 KB")
        return None
    meta = None
    if yaml_text.strip():
        before = len(problems.errors)
        meta = compose(yaml_text, rel, problems, first_line=2)
        if len(problems.errors) > before:
            return None
    body = "\n".join(lines[index + 1 :])
    return Document(meta, 2, body, index + 2)


def scalar(node: Node) -> str | None:
    """The text of a scalar node, or None for a list or mapping."""
    return node.value if isinstance(node, ScalarNode) else None
