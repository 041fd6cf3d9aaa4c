"""Typed reading of YAML nodes, with every message at its file line."""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Iterable

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problems

_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\s*(Z|[+-]\d{2}:?\d{2}))?)?$"
)
DATE_FORMS = "YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS (optionally with +08:00)"


def kind(node: Node) -> str:
    """How a node's type is named in messages."""
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a mapping"
    return "text"


def is_blank(node: Node) -> bool:
    """True for a key written with no value (`kicker:`), which counts as not given."""
    return isinstance(node, ScalarNode) and node.value == "" and node.style is None


# Words newsrooms use for our keys; a typo of one of them still finds the key.
SYNONYMS = {
    "headline": "title", "hed": "title", "dek": "subtitle", "author": "byline",
    "authors": "byline", "bylines": "byline", "photo": "photos", "images": "photos",
    "tag": "tags", "section": "column", "excerpt": "summary", "standfirst": "summary",
    "published": "date", "jump": "continued_on", "correction": "corrections",
}


def suggest(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean …?)' hint, or '' when nothing is close."""
    choices = list(choices)
    names = {c: c for c in choices}
    names.update({alias: key for alias, key in SYNONYMS.items() if key in names and alias not in names})
    match = difflib.get_close_matches(word.lower(), list(names), n=1, cutoff=0.6)
    return f" (did you mean '{names[match[0]]}'?)" if match else ""


def read_yaml_file(path, rel: str, problems: Problems) -> "tuple[Node | None, Reader] | None":
    """Read a whole YAML file into nodes and a Reader for it; None when it has errors."""
    from .sources import Unreadable, compose, read_text

    try:
        text = read_text(path)
    except Unreadable as exc:
        problems.error(rel, exc.line, exc.message)
        return None
    before = len(problems.errors)
    node = compose(text, rel, problems)
    if len(problems.errors) > before:
        return None
    return node, Reader(rel, problems)


def read_mapping_file(path, rel: str, problems: Problems, allowed: Iterable[str], required: Iterable[str] = (), what: str = "") -> "tuple[dict[str, Node], Reader] | None":
    """Read a YAML file that holds one mapping with known keys."""
    loaded = read_yaml_file(path, rel, problems)
    if loaded is None:
        return None
    node, read = loaded
    keys = read.mapping(node, allowed, required=required, what=what)
    return None if keys is None else (keys, read)


class Reader:
    """Reads values of one file's YAML nodes into Python types, reporting problems."""

    def __init__(self, rel: str, problems: Problems, offset: int = 0):
        self.rel = rel
        self.problems = problems
        self.offset = offset

    def line(self, node: Node) -> int:
        """The file line of a node."""
        return node.start_mark.line + 1 + self.offset

    def error(self, node: Node | None, message: str) -> None:
        """Record an error at a node's line (line 1 when there is no node)."""
        self.problems.error(self.rel, self.line(node) if node is not None else 1, message)

    def warn(self, node: Node | None, message: str) -> None:
        """Record a warning at a node's line."""
        self.problems.warn(self.rel, self.line(node) if node is not None else 1, message)

    def mapping(
        self,
        node: Node | None,
        allowed: Iterable[str],
        required: Iterable[str] = (),
        what: str = "",
        free_keys: bool = False,
    ) -> dict[str, Node] | None:
        """Read a mapping's keys: duplicates, unknown keys and missing required keys are errors."""
        allowed = list(allowed)
        guessed: set[str] = set()
        if node is None:
            found: dict[str, Node] = {}
        elif not isinstance(node, MappingNode):
            self.error(node, f"{what or 'this'} must be a mapping of keys, got {kind(node)}")
            return None
        else:
            found = {}
            lines: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    self.error(key_node, f"a key must be text, got {kind(key_node)}")
                    continue
                key = key_node.value
                if key in found:
                    self.error(key_node, f"duplicate key '{key}' (first at line {lines[key]})")
                    continue
                if not free_keys and key not in allowed:
                    hint = suggest(key, allowed)
                    guessed.add(hint.split("'")[1] if hint else "")
                    self.error(key_node, f"unknown key '{key}'{hint}")
                    continue
                lines[key] = self.line(key_node)
                if is_blank(value_node):
                    value_node.start_mark = key_node.start_mark
                found[key] = value_node
        for key in required:
            value = found.get(key)
            if value is None and key in guessed:
                continue  # the unknown key's "did you mean" already says it
            if value is None:
                where = f" in {what}" if what else ""
                self.error(node, f"missing required key '{key}'{where}")
            elif isinstance(value, ScalarNode) and not value.value.strip():
                self.error(value, f"'{key}' must not be empty")
        return found

    def string(self, key: str, node: Node | None) -> str | None:
        """A text value, or None when absent."""
        if node is None or is_blank(node):
            return None
        if not isinstance(node, ScalarNode):
            self.error(node, f"'{key}' must be text, got {kind(node)}")
            return None
        return node.value.strip()

    def integer(self, key: str, node: Node | None, low: int | None = None, high: int | None = None) -> int | None:
        """A whole number, optionally within [low, high]."""
        text = self.string(key, node)
        if text is None:
            return None
        if not re.fullmatch(r"[+-]?\d+", text):
            self.error(node, f"'{key}' must be a whole number, got '{text}'")
            return None
        value = int(text)
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(node, f"'{key}' must be between {low} and {high}, got {value}")
            return None
        return value

    def boolean(self, key: str, node: Node | None) -> bool | None:
        """`true` or `false`."""
        text = self.string(key, node)
        if text is None:
            return None
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        self.error(node, f"'{key}' must be true or false, got '{text}'")
        return None

    def sequence(self, key: str, node: Node | None) -> list[Node]:
        """The items of a list (empty when absent)."""
        if node is None or is_blank(node):
            return []
        if not isinstance(node, SequenceNode):
            self.error(node, f"'{key}' must be a list, got {kind(node)}")
            return []
        return list(node.value)

    def string_list(self, key: str, node: Node | None, allow_single: bool = False) -> tuple[str, ...]:
        """A list of texts (with `allow_single`, one text alone is accepted too)."""
        if allow_single and isinstance(node, ScalarNode):
            value = self.string(key, node)
            return (value,) if value else ()
        values = []
        for item in self.sequence(key, node):
            if not isinstance(item, ScalarNode):
                self.error(item, f"'{key}' must be a list of texts, got {kind(item)} in it")
                continue
            value = self.string(key, item)
            if value:
                values.append(value)
        return tuple(values)

    def number(self, key: str, node: Node) -> float | None:
        """A decimal number."""
        text = self.string(key, node)
        if text is None:
            self.error(node, f"'{key}' must be a number, got {kind(node)}")
            return None
        try:
            value = float(text)
        except ValueError:
            self.error(node, f"'{key}' must be a number, got '{text}'")
            return None
        if value != value or value in (float("inf"), float("-inf")):
            self.error(node, f"'{key}' must be a number, got '{text}'")
            return None
        return value

    def moment(self, key: str, node: Node | None, zone: tzinfo, date_only: bool = False) -> datetime | None:
        """A strict date or date-time in the contract's forms, made aware in `zone`."""
        text = self.string(key, node)
        if text is None:
            return None
        return parse_moment(text, zone, lambda message: self.error(node, f"'{key}' {message}"), date_only)


def parse_moment(text: str, zone: tzinfo, report, date_only: bool = False) -> datetime | None:
    """Parse a contract date; on failure call `report(message)` and return None."""
    match = _DATE.match(text)
    if not match or (date_only and match.group(4)):
        forms = "YYYY-MM-DD" if date_only else DATE_FORMS
        report(f"must be {forms}: got '{text}'")
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        day_value = date(int(year), int(month), int(day))
        clock = time(int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError as exc:
        report(f"'{text}' is not a real date or time ({exc})")
        return None
    zone_value: tzinfo = zone
    if offset:
        if offset == "Z":
            zone_value = timezone.utc
        else:
            sign = -1 if offset[0] == "-" else 1
            digits = offset[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:])
            if hours > 23 or minutes > 59:
                report(f"has an impossible UTC offset: got '{text}'")
                return None
            zone_value = timezone(sign * timedelta(hours=hours, minutes=minutes))
    return datetime.combine(day_value, clock, tzinfo=zone_value)
