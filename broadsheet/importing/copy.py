"""What copy is made of, as read from a text export or a Word file: lines, pictures, and the error for copy that cannot be imported."""

from __future__ import annotations

from dataclasses import dataclass


class BadCopy(Exception):
    """Copy that cannot be imported; the message says why and what to do."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Picture:
    """A picture taken from a Word file or the --images folder."""

    data: bytes
    suffix: str  # ".jpg", ".png", ".gif" or ".webp"
    origin: str  # where it came from, for messages


@dataclass(frozen=True)
class Line:
    """One paragraph of the copy: its text (Markdown for Word files) and where it was."""

    text: str
    number: int  # the line of the text file, or the paragraph of the Word file
    heading: int = 0  # a Word heading's level (1 for Title and Heading 1)
    bold: bool = False  # the whole Word paragraph is bold
    picture: Picture | None = None
    style: str = ""  # the Word paragraph style's name
