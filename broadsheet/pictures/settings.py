"""The `pictures:` settings of site.yaml: the widths, formats and quality of the derivatives."""

from __future__ import annotations

from dataclasses import dataclass

from yaml.nodes import Node, ScalarNode

from ..schema import Reader

#: the modern formats a derivative may be made in, best first; JPEG (PNG for a picture that
#: is see-through) is always made too, as the fallback every browser shows
FORMATS = ("avif", "webp")
KEYS = ("widths", "formats", "quality")
QUALITY_KEYS = ("avif", "webp", "jpeg")
DEFAULT_WIDTHS = (480, 800, 1200, 1600, 2400)
# Equal-looking qualities per format: AVIF's scale runs lower than WebP's and JPEG's.
DEFAULT_QUALITY = (("avif", 55), ("webp", 75), ("jpeg", 80))
MIN_WIDTH, MAX_WIDTH = 100, 8000


@dataclass(frozen=True)
class PictureSettings:
    """What derivatives each photo and page picture gets."""

    widths: tuple[int, ...] = DEFAULT_WIDTHS  # ascending; a picture gets those below its own width, and its own
    formats: tuple[str, ...] = FORMATS  # modern formats, in the order browsers are offered them
    quality: tuple[tuple[str, int], ...] = DEFAULT_QUALITY  # (format, 1-100)

    def quality_of(self, format: str) -> int:
        """The encoder quality of one format (PNG is lossless: none)."""
        return dict(self.quality).get(format, 0)


def read_settings(read: Reader, node: Node | None) -> PictureSettings:
    """The `pictures:` mapping of site.yaml, every mistake reported at its line; defaults where absent."""
    keys = read.mapping(node, KEYS, what="'pictures'") if node is not None else {}
    if not keys:
        return PictureSettings()
    widths = _widths(read, keys.get("widths"))
    formats = _formats(read, keys.get("formats"))
    quality = _quality(read, keys.get("quality"))
    return PictureSettings(widths, formats, quality)


def _widths(read: Reader, node: Node | None) -> tuple[int, ...]:
    if node is None:
        return DEFAULT_WIDTHS
    widths = set()
    for item in read.sequence("widths", node):
        width = read.integer("widths", item, MIN_WIDTH, MAX_WIDTH)
        if width is not None:
            widths.add(width)
    if not widths:
        read.error(node, f"'widths' must list at least one width in pixels, like [{', '.join(map(str, DEFAULT_WIDTHS))}]")
        return DEFAULT_WIDTHS
    return tuple(sorted(widths))


def _formats(read: Reader, node: Node | None) -> tuple[str, ...]:
    if node is None:
        return FORMATS
    formats = []
    for name in read.string_list("formats", node):
        name = name.lower()
        if name in ("jpeg", "jpg"):
            continue  # always made, as the fallback
        if name not in FORMATS:
            read.error(node, f"'formats' may list avif and webp (JPEG is always made as the fallback), got '{name}'")
        elif name not in formats:
            formats.append(name)
    return tuple(sorted(formats, key=FORMATS.index))


def _quality(read: Reader, node: Node | None) -> tuple[tuple[str, int], ...]:
    if node is None:
        return DEFAULT_QUALITY
    quality = dict(DEFAULT_QUALITY)
    if isinstance(node, ScalarNode):  # one number for every format
        value = read.integer("quality", node, 1, 100)
        return tuple((name, value) for name in quality) if value is not None else DEFAULT_QUALITY
    keys = read.mapping(node, QUALITY_KEYS, what="'quality'") or {}
    for name, value_node in keys.items():
        value = read.integer(f"quality {name}", value_node, 1, 100)
        if value is not None:
            quality[name] = value
    return tuple(quality.items())
