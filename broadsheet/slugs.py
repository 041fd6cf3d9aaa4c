"""Slugs: output file names from titles and file names, Chinese transliterated to pinyin."""

from __future__ import annotations

import re
import unicodedata

SLUG = re.compile(r"^[a-z0-9-]+$")
RESERVED = frozenset({"index"})


def warm() -> None:
    """Load the transliteration dictionaries now (0.4 s), as `slugify` would on its first Chinese
    text: a build does it while its workers read the articles."""
    try:
        from pypinyin import lazy_pinyin
    except ImportError:
        return  # slugify raises it, where it is reported
    lazy_pinyin("中文")


def slugify(text: str) -> str:
    """`冬储大白菜` → `dong-chu-da-bai-cai`; `Big News!` → `big-news`; may return ''."""
    if text.isascii():
        words = [text]
    else:
        from pypinyin import lazy_pinyin  # its dictionaries take 0.3 s to load: only for Chinese names

        words = lazy_pinyin(text)
    ascii_text = unicodedata.normalize("NFKD", "-".join(words)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
