#!/usr/bin/env python3
"""Write a deterministic Broadsheet corpus: N Chinese articles, 24 per edition over 8 pages.

Each article has ~2,000 characters of body text with 3 `###` sub-heads; one in
six has a photo. The same N and seed always give the same bytes.

`--rich` writes newsroom copy instead: a bold lead-in, an italic phrase and a
link in the text, a block quote, a bulleted or numbered list, a small table in
one article of ten, a photo on every third article, 40 tags and 120 byline
names.

    python bench/make_corpus.py 10000 /tmp/corpus
    python bench/make_corpus.py 10000 /tmp/rich --rich
"""

from __future__ import annotations

import argparse
import random
import shutil
import struct
import zlib
from datetime import date, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PER_EDITION = 24
PAGES = 8
WORDS = ("河川", "清溪", "石门", "柳岸", "乡村", "振兴", "产业", "合作社", "大棚", "蔬菜", "冬小麦", "农技", "服务",
         "群众", "党员", "社区", "网格", "治理", "文化", "古窑", "茶园", "物流", "冷链", "项目", "工地", "交通",
         "枢纽", "学校", "医院", "养老", "就业", "培训", "电商", "直播", "销售", "收入", "增长", "记者", "采访",
         "村民", "干部", "企业", "市场", "规划", "建设", "环境", "整治", "生态", "保护", "河道")
PUNCT = ("，", "，", "，", "、", "。", "。", "；")
TAGS = WORDS[:40]  # the rich corpus: 40 tags and 120 names
NAMES = tuple(f"{a}{b}" for a in WORDS[:12] for b in WORDS[12:22])


def png(width: int, height: int, shade: int) -> bytes:
    """A small grey PNG, written without Pillow so the generator needs nothing."""
    raw = b"".join(b"\x00" + bytes([shade]) * width for _ in range(height))
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def sentence(rng: random.Random) -> str:
    return "".join(rng.choice(WORDS) + rng.choice(PUNCT[:4]) for _ in range(rng.randint(3, 7)))[:-1] + "。"


def paragraph(rng: random.Random, size: int) -> str:
    text = ""
    while len(text) < size:
        text += sentence(rng)
    return text


def rich_body(rng: random.Random, n: int) -> list[str]:
    """Blocks of newsroom copy: what the plain corpus lacks."""
    body = [f"**{rng.choice(WORDS)}{rng.choice(WORDS)}消息** " + paragraph(rng, 250),
            paragraph(rng, 120) + f"*{rng.choice(WORDS)}{rng.choice(WORDS)}*，详见[{rng.choice(WORDS)}专题](https://example.org/zt/{n})。",
            "> " + paragraph(rng, 120)]
    marker = "-" if n % 2 else "1."
    body.append("\n".join(f"{marker} {sentence(rng)}" for _ in range(3)))
    body.append(f"### {rng.choice(WORDS)}{rng.choice(WORDS)}")
    body.append(paragraph(rng, 400))
    if n % 10 == 0:
        body.append("| 项目 | 数量 |\n|---|---|\n" + "\n".join(f"| {rng.choice(WORDS)} | {rng.randint(1, 999)} |" for _ in range(3)))
    body.append(f"**{rng.choice(WORDS)}** " + paragraph(rng, 300))
    body.append(paragraph(rng, 400))
    return body


def article(rng: random.Random, n: int, day: date, photo: bool, rich: bool = False) -> str:
    title = "".join(rng.choice(WORDS) for _ in range(rng.randint(4, 7)))
    front = [
        "---",
        f"title: {title}{n}",
        f"kicker: {rng.choice(WORDS)}{rng.choice(WORDS)}",
        "byline:",
        f"  - {{role: 本报记者, names: [{rng.choice(NAMES) if rich else rng.choice(WORDS) + rng.choice(WORDS)}]}}",
        "dateline: 本报讯",
        f"date: {day.isoformat()} {7 + n % 12:02d}:{n % 60:02d}",
        f"order: {n % PER_EDITION % 3 + 1}",
        f"tags: [{', '.join(rng.sample(TAGS, 2)) if rich else rng.choice(WORDS) + ', ' + rng.choice(WORDS)}]",
    ]
    if n % 7 == 0:
        front.append("column: 党员先锋故事")
    if photo:
        front += ["photos:", f"  - {{src: images/p{n}.png, caption: {rng.choice(WORDS)}现场。, credit: 本报记者 摄, alt: 现场}}"]
    if rich:
        return "\n".join(front) + "\n---\n\n" + "\n\n".join(rich_body(rng, n)) + "\n"
    body = []
    for head in range(3):
        body.append(paragraph(rng, 270))
        body.append(f"### {rng.choice(WORDS)}{rng.choice(WORDS)}{head + 1}")
        body.append(paragraph(rng, 330))
    body.append(paragraph(rng, 150))
    return "\n".join(front) + "\n---\n\n" + "\n\n".join(body) + "\n"


def make(count: int, folder: Path, seed: int = 20261127, rich: bool = False) -> None:
    """Write the corpus site (site.yaml and content/; it is built with the packaged theme);
    `rich`: newsroom copy, with a photo on every third article."""
    rng = random.Random(seed)
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "content").mkdir(parents=True)
    (folder / "site.yaml").write_text("title: 基准日报\nbase_url: https://bench.example.org/\n", encoding="utf-8")
    start = date(2026, 11, 27) - timedelta(days=count // PER_EDITION)
    for n in range(count):
        day = start + timedelta(days=n // PER_EDITION)
        page = folder / "content" / day.isoformat() / f"{n % PER_EDITION % PAGES + 1:02d}"
        page.mkdir(parents=True, exist_ok=True)
        photo = n % (3 if rich else 6) == 0
        if photo:
            (page / "images").mkdir(exist_ok=True)
            (page / "images" / f"p{n}.png").write_bytes(png(64, 40, 96 + n % 128))
        (page / f"a{n:06d}.md").write_text(article(rng, n, day, photo, rich), encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--rich", action="store_true", help="newsroom copy: bold, quotes, lists, tables, more photos")
    args = parser.parse_args()
    make(args.count, args.folder, rich=args.rich)
