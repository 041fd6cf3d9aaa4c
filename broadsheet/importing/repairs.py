"""Repairs of the damage a page export does: paragraphs cut by column breaks joined, sentences the
export repeated published once, text cut off warned about. Each repair is noted on its block."""

from __future__ import annotations

import re

from . import recognise as rc
from .stories import Block, Story

_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[”’」』）)]*")  # a sentence with its end and closing quotes
_HAN = re.compile(f"[{rc.HAN}]")
REPEAT_MIN = 10  # shorter sentences (“是的。”) may well be said twice


def repair(story: Story, source: str) -> None:
    """Join the story's cut paragraphs, drop repeats, and warn where its text is cut off."""
    story.blocks = _unrepeated(story.blocks, source)  # first: each block is still one line of the source
    story.blocks = _joined(story.blocks, source)
    _cut_off(story.blocks)


def _joined(blocks: list[Block], source: str) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if previous and previous.kind == block.kind == "text" and rc.continues(previous.text, block.text):
            space = "" if _HAN.match(rc.plain(previous.text)[-1]) else " "
            message = (f"joined a paragraph cut by a column break: …{rc.plain(previous.text)[-6:]} | "
                       f"{rc.plain(block.text)[:6]}… ({source}:{previous.lines[-1]} and {block.lines[0]})")
            previous.text += space + block.text
            previous.lines += block.lines
            previous.notes += [("repaired", message)] + block.notes
            continue
        out.append(block)
    return out


def _unrepeated(blocks: list[Block], source: str) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if block.kind == "text" and previous is not None and previous.text == block.text and len(block.text) >= REPEAT_MIN:
            previous.notes.append(("repaired", (f"a paragraph the export repeated is published once "
                                               f"({source}:{previous.lines[0]} and {block.lines[0]})")))
            continue
        if block.kind == "text":
            text, dropped = once(block.text)
            if dropped:
                block.text = text
                for sentence, times in dropped:
                    block.notes.append(("repaired", (f"a sentence the export repeated back to back ({times} times) "
                                                    f"is published once: “{sentence[:16]}…” ({source}:{block.lines[0]})")))
        out.append(block)
    return out


def once(text: str) -> tuple[str, list[tuple[str, int]]]:
    """The text with sentences repeated back to back kept once; and each (sentence, times it came)."""
    sentences = _SENTENCE.findall(text)
    tail = text[sum(map(len, sentences)):]
    kept: list[str] = []
    dropped: list[tuple[str, int]] = []
    for sentence in sentences:
        if kept and sentence.strip() == kept[-1].strip() and len(sentence.strip()) >= REPEAT_MIN:
            if dropped and dropped[-1][0] == sentence.strip():
                dropped[-1] = (dropped[-1][0], dropped[-1][1] + 1)
            else:
                dropped.append((sentence.strip(), 2))
            continue
        kept.append(sentence)
    return "".join(kept) + tail, dropped


def _cut_off(blocks: list[Block]) -> None:
    texts = [i for i, b in enumerate(blocks) if b.kind == "text"]
    for i in texts:
        block = blocks[i]
        if not rc.ends_open(block.text) or any(level == "warning" for level, _ in block.notes):
            continue
        if i == texts[-1]:
            block.notes.append(("warning", (f"the story ends mid-sentence (…{rc.plain(block.text)[-8:]}): "
                                           "text cut off by the export? Kept as it is")))
        elif _HAN.match(rc.plain(block.text)[-1]):
            block.notes.append(("warning", (f"the paragraph ends mid-sentence (…{rc.plain(block.text)[-8:]}) and the "
                                           "next one does not carry it on: text lost at a column break? Kept as it is")))
