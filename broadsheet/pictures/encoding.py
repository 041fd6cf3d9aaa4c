"""Derivatives encoded from an upright picture: resized, in fixed encoder settings (the same
bytes on every build), carrying only the colour profile and the kept EXIF tags."""

from __future__ import annotations

import functools
import importlib
import io

from PIL import Image

from .published import Rendition
from .settings import PictureSettings

_PILLOW_FORMATS = {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG", "png": "PNG"}
_PLUGINS = {"avif": "AvifImagePlugin", "webp": "WebPImagePlugin", "jpeg": "JpegImagePlugin", "png": "PngImagePlugin"}


@functools.cache
def _loaded(format: str) -> str:
    """Pillow's name of a format, its plugin imported: without it, the first `Image.save` in AVIF
    or WebP imports all of Pillow's forty plugins to find the one (30 ms of a build)."""
    try:
        importlib.import_module(f"PIL.{_PLUGINS[format]}")
    except ImportError:
        pass  # not this Pillow's: `Image.save` looks among all of them, and says what is missing
    return _PILLOW_FORMATS[format]


def resized(image: Image.Image, width: int, height: int) -> Image.Image:
    """The picture at one size (Lanczos; the picture itself when it is that size)."""
    if image.size == (width, height):
        return image
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def encode(image: Image.Image, rendition: Rendition, settings: PictureSettings, icc: bytes | None,
           exif: bytes | None) -> bytes:
    """One rendition's bytes from the picture at its size."""
    format = rendition.format
    options: dict = {}
    if icc:
        options["icc_profile"] = icc
    if exif:
        options["exif"] = exif
    quality = settings.quality_of(format)
    if format == "jpeg":
        image = image.convert("RGB") if image.mode != "RGB" else image
        options.update(quality=quality, optimize=True, progressive=True, subsampling=2)
    elif format == "webp":
        options.update(quality=quality, method=4)
    elif format == "avif":
        # one thread: the cores are used by making several pictures at once, and the bytes are the
        # same whatever the machine; speed 8 is a quarter of the default's time for a few % more bytes
        options.update(quality=quality, speed=8, max_threads=1, subsampling="4:2:0")
    else:
        options.update(optimize=False, compress_level=9)
    out = io.BytesIO()
    image.save(out, _loaded(format), **options)
    return out.getvalue()


def derive(image: Image.Image, renditions: tuple[Rendition, ...], settings: PictureSettings,
           icc: bytes | None, exif: bytes | None) -> list[bytes]:
    """Every rendition's bytes, in the order given. Each size is resized once for all its formats,
    from the next larger one (a third less work than each from the source, and as sharp)."""
    sizes: dict[tuple[int, int], Image.Image] = {}
    larger = image
    for size in sorted({(r.width, r.height) for r in renditions}, reverse=True):
        larger = sizes[size] = resized(larger, *size)
    return [encode(sizes[(r.width, r.height)], r, settings, icc, exif) for r in renditions]
