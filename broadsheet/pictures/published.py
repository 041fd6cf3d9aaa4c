"""A picture as the model holds it: the derivatives published (their URLs, sizes and formats)
and the source they are made from. Plain data, made by `catalogue`, shown by the templates."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rendition:
    """One derived file of a picture: its URL, size in pixels and format."""

    url: str
    width: int
    height: int
    format: str  # "avif", "webp", "jpeg" or "png"


#: the width a shared picture (og:image, JSON-LD) is about
SHARE_WIDTH = 1200


@dataclass(frozen=True)
class Picture:
    """A photo or page picture as published: resized derivatives of the upright source, never
    the original (`pictures/`); `width` and `height` are the upright source's."""

    width: int
    height: int
    fallback_format: str  # "jpeg", or "png" for a see-through picture
    renditions: tuple[Rendition, ...]  # by format (modern ones first, best first), then width

    @property
    def formats(self) -> tuple[str, ...]:
        """The modern formats offered before the fallback, best first."""
        return tuple(dict.fromkeys(r.format for r in self.renditions if r.format != self.fallback_format))

    def of(self, format: str) -> tuple[Rendition, ...]:
        """The renditions in one format, narrowest first."""
        return tuple(r for r in self.renditions if r.format == format)

    def srcset(self, format: str, root: str = "") -> str:
        """The `srcset` of one format: each rendition's URL (after `root`) and width."""
        return ", ".join(f"{root}{r.url} {r.width}w" for r in self.of(format))

    def near(self, width: int) -> Rendition:
        """The fallback rendition closest to a width, the wider on a tie."""
        return min(self.of(self.fallback_format), key=lambda r: (abs(r.width - width), -r.width))

    @property
    def fallback(self) -> Rendition:
        """The fallback's `src`: the one about as wide as a shared picture."""
        return self.near(SHARE_WIDTH)

    @property
    def largest(self) -> Rendition:
        """The widest fallback rendition: the full-size picture."""
        return self.of(self.fallback_format)[-1]


@dataclass(frozen=True)
class PictureSource:
    """A source whose derivatives the build makes: the file as found (time, size, format,
    content digest), the key naming its derivatives, and the picture they publish."""

    path: str
    mtime_ns: int
    size: int
    format: str
    digest: str
    key: str
    picture: Picture
    named_at: tuple[str, int, str] = ("", 0, "")  # (file, line, name as written) of the first that names it
