"""Where each story is printed on a page: its headline (and kicker, subtitle) found among the
page's lines, then the lines of its body, then the blocks those lines make, as areas in percent
of the page. Pure: plain data in and out.

A line belongs to the one story whose text contains it; a line too short to tell (a paragraph's
last few characters) or found in several stories goes with the story of the line printed just
above or below it in the same column. A story's lines make a block where they touch (across a
column's gutter, down a column's lines); two blocks are one area when the box around both holds
no other story's line, so a story set in an L shape around another keeps two areas.
"""

from __future__ import annotations

from dataclasses import dataclass

from .layout import Line

#: a line is told apart by its text from this weight on (a CJK character weighs 2, others 1)
INFORMATIVE = 8
#: a block of fewer lines, away from the headline, with less of the story's text is dropped as stray
STRAY_LINES = 3
STRAY_SHARE = 0.15
#: a story is found with its headline, or with this many lines of its text
FOUND_LINES = 2


@dataclass(frozen=True)
class Story:
    """A story's texts, normalised (`layout.normalise`): headline, kicker and subtitle, then
    every other text it prints (body, bylines, dateline, captions), parts joined by newlines."""

    key: str
    heads: tuple[str, ...]
    text: str


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points


def locate(lines: tuple[Line, ...], width: float, height: float, stories: list[Story]) -> dict[str, tuple[Box, ...]]:
    """Each story's areas as (x, y, w, h) in percent of the page; an empty tuple when the story
    is not found on it."""
    owner: dict[int, str] = {}
    titled: set[str] = set()
    for story in stories:
        for index in _heads(lines, story, owner):
            owner[index] = story.key
            titled.add(story.key)
    _body(lines, stories, owner)
    found = {}
    for story in stories:
        mine = [index for index, key in owner.items() if key == story.key]
        blocks = _blocks(lines, mine, owner, story.key)
        if story.key not in titled and sum(len(block) for block in blocks) < FOUND_LINES:
            blocks = []
        found[story.key] = tuple(sorted(_percent(_box(lines, block), width, height) for block in blocks))
    return found


def _heads(lines: tuple[Line, ...], story: Story, owner: dict[int, str]) -> list[int]:
    """The lines of the story's headline, kicker and subtitle: for the headline the run in the
    largest type; for the others the run nearest the headline."""
    taken: list[int] = []
    anchor: tuple[float, float] | None = None
    for head in story.heads:
        runs = [run for run in _runs(lines, head) if not any(i in owner for i in run)]
        if not runs:
            continue
        if anchor is None:
            best = max(runs, key=lambda run: (lines[run[0]].size, -run[0]))
            anchor = lines[best[0]].centre()
        else:
            near = anchor
            best = min(runs, key=lambda run: (_distance(lines[run[0]].centre(), near), run[0]))
        taken.extend(best)
    return taken


def _runs(lines: tuple[Line, ...], head: str) -> list[range]:
    """Runs of consecutive lines in one size of type that print `head` and little else."""
    runs: list[range] = []
    if len(head) < 2:
        return runs
    for start, line in enumerate(lines):
        if head[0] not in line.text:
            continue
        joined = ""
        for end in range(start, min(len(lines), start + len(head) + 1)):  # a vertical headline: a line a character
            if not 0.8 <= lines[end].size / (line.size or 1.0) <= 1.25:
                break
            joined += lines[end].text
            at = joined.find(head)
            if at >= 0:
                if at < len(line.text) and len(head) >= 0.6 * len(joined):
                    runs.append(range(start, end + 1))
                break
            if len(joined) >= len(head) + len(line.text):
                break
    return runs


def _body(lines: tuple[Line, ...], stories: list[Story], owner: dict[int, str]) -> None:
    """Give each line not taken by a headline to the story whose text prints it."""
    undecided: dict[int, list[str]] = {}
    for index, line in enumerate(lines):
        if index in owner:
            continue
        candidates = [story.key for story in stories if line.text in story.text]
        if len(candidates) == 1 and _weight(line.text) >= INFORMATIVE:
            owner[index] = candidates[0]
        elif candidates:
            undecided[index] = candidates
    for _ in range(4):  # a paragraph's short last line after an undecided one: a few rounds settle them
        settled = {}
        for index, candidates in undecided.items():
            key = _neighbour(lines, index, owner)
            if key in candidates:
                settled[index] = key
        if not settled:
            break
        owner.update(settled)
        for index in settled:
            del undecided[index]


def _weight(text: str) -> int:
    return sum(2 if ord(char) >= 0x2E80 else 1 for char in text)


def _neighbour(lines: tuple[Line, ...], index: int, owner: dict[int, str]) -> str | None:
    """The story of the nearest decided line just above or below this one, in its column."""
    line = lines[index]
    best: tuple[float, str] | None = None
    for other, key in owner.items():
        near = lines[other]
        overlap = min(line.x1, near.x1) - max(line.x0, near.x0)
        if overlap < 0.5 * min(line.x1 - line.x0, near.x1 - near.x0):
            continue
        gap = max(near.y0 - line.y1, line.y0 - near.y1)
        if gap <= 1.5 * max(line.size, near.size, 1.0) and (best is None or gap < best[0]):
            best = (gap, key)
    return best[1] if best else None


def _blocks(lines: tuple[Line, ...], mine: list[int], owner: dict[int, str], key: str) -> list[list[int]]:
    """The story's lines grouped into blocks, joined where no other story sits between them,
    strays dropped."""
    blocks = _touching(lines, mine)
    others = [lines[index].centre() for index, who in owner.items() if who != key]
    merged = True
    while merged and len(blocks) > 1:
        merged = False
        for a in range(len(blocks)):
            for b in range(a + 1, len(blocks)):
                x0, y0, x1, y1 = _union(_box(lines, blocks[a]), _box(lines, blocks[b]))
                if not any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in others):
                    blocks[a] = blocks[a] + blocks.pop(b)
                    merged = True
                    break
            if merged:
                break
    total = sum(len(lines[index].text) for index in mine) or 1
    largest = max(blocks, key=len, default=[])
    return [block for block in blocks if block is largest or len(block) >= STRAY_LINES
            or sum(len(lines[index].text) for index in block) >= STRAY_SHARE * total]


def _touching(lines: tuple[Line, ...], mine: list[int]) -> list[list[int]]:
    """Lines joined where their boxes, widened by a gutter and a line's leading, meet."""
    order = sorted(mine, key=lambda index: lines[index].y0)
    parent = {index: index for index in order}

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for position, index in enumerate(order):
        line = lines[index]
        reach = 1.5 * line.size
        for other in order[position + 1:]:
            near = lines[other]
            if near.y0 > line.y1 + reach:
                break
            if near.x0 <= line.x1 + reach and line.x0 <= near.x1 + reach:
                parent[root(other)] = root(index)
    blocks: dict[int, list[int]] = {}
    for index in order:
        blocks.setdefault(root(index), []).append(index)
    return list(blocks.values())


def _box(lines: tuple[Line, ...], block: list[int]) -> Box:
    return (min(lines[i].x0 for i in block), min(lines[i].y0 for i in block),
            max(lines[i].x1 for i in block), max(lines[i].y1 for i in block))


def _union(a: Box, b: Box) -> Box:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5


def _percent(box: Box, width: float, height: float) -> Box:
    """(x, y, w, h) in percent of the page, to a hundredth of a percent."""
    x0, y0, x1, y1 = (max(0.0, box[0]), max(0.0, box[1]), min(width, box[2]), min(height, box[3]))
    return (round(100 * x0 / width, 2), round(100 * y0 / height, 2),
            round(100 * (x1 - x0) / width, 2), round(100 * (y1 - y0) / height, 2))
