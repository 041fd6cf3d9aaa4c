"""A page's characters as printed lines: each run of characters on one baseline, cut where the
text jumps across a column's gutter. Pure: plain data in and out."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

#: a gap wider than this many font sizes between two characters is a gutter between columns;
#: between two words (a space in the text) it takes more, as justified lines stretch their spaces
GUTTER = 0.6
WORD_GUTTER = 1.0
#: characters whose centres differ by more than this share of their height are on other lines
BASELINE = 0.45


@dataclass(frozen=True)
class Line:
    """A printed line: its text normalised for matching (`normalise`), its box in points from
    the page's top left, and its font size."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float

    def centre(self) -> tuple[float, float]:
        """The middle of its box."""
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2


def normalise(text: str) -> str:
    """Text as compared with the PDF's: full-width forms folded to half-width (NFKC), case
    folded, and only letters and digits kept, so spaces between CJK characters, punctuation,
    quotes of any kind, hyphens and line breaks do not count."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(char for char in folded if char.isalnum())


def lines(chars) -> tuple[Line, ...]:
    """The printed lines of a page's characters (text, left, top, right, bottom, size), in the
    order the PDF draws them."""
    found: list[Line] = []
    run: list[tuple] = []
    spaced = False
    for char in chars:
        if char[0] == " ":
            spaced = True
            continue
        if run and _breaks(run[-1], char, WORD_GUTTER if spaced else GUTTER):
            _close(run, found)
            run = []
        run.append(char)
        spaced = False
    _close(run, found)
    return tuple(found)


def _breaks(last: tuple, char: tuple, gutter: float) -> bool:
    """True when `char` does not follow `last` on the same line of the same column."""
    height = min(last[4] - last[2], char[4] - char[2]) or 1.0
    if abs((last[2] + last[4]) - (char[2] + char[4])) / 2 > BASELINE * height:
        return True
    gap = char[1] - last[3]
    size = max(last[5], char[5], height)
    return gap > gutter * size or gap < -0.5 * size


def _close(run: list[tuple], found: list[Line]) -> None:
    text = normalise("".join(char[0] for char in run))
    if not text:
        return
    sizes = sorted(char[5] for char in run)
    found.append(Line(
        text, min(c[1] for c in run), min(c[2] for c in run), max(c[3] for c in run), max(c[4] for c in run),
        round(sizes[len(sizes) // 2], 2),
    ))
