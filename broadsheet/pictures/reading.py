"""Reading a picture's source: what it is (format, upright size, content digest), its pixels
turned upright, and the only metadata a derivative keeps (colour profile, copyright, credit)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

#: what Pillow (and pillow-heif) call the formats a newsroom's pictures come in
ACCEPTED = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "TIFF": "TIFF",
            "HEIF": "HEIC/HEIF", "AVIF": "AVIF"}
ACCEPTED_NAMES = "JPEG, PNG, WebP, GIF, TIFF, HEIC/HEIF or AVIF"
#: EXIF tags a derivative keeps: who holds the rights and who took it
KEPT_TAGS = (0x8298, 0x013B)  # Copyright, Artist
ORIENTATION = 0x0112
_SWAPPED = (5, 6, 7, 8)  # orientations that turn the picture a quarter
_heif_ready = False


@dataclass(frozen=True)
class Facts:
    """What a source is: its format, its size once upright, whether it is see-through, its digest."""

    format: str
    width: int
    height: int
    transparent: bool
    digest: str


class NotAPicture(Exception):
    """A source that is not a picture Broadsheet publishes; its message says what to do."""


def _register_heif() -> None:
    global _heif_ready
    if not _heif_ready:
        try:
            import pillow_heif
        except ImportError:
            pass
        else:
            pillow_heif.register_heif_opener()  # AVIF is Pillow's own (11.3 and later)
        _heif_ready = True


def open_picture(data: bytes, name: str) -> Image.Image:
    """The picture in `data`, opened lazily; NotAPicture when it is none Broadsheet accepts."""
    _register_heif()
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise NotAPicture(f"'{name}' is too large to be a photo ({exc}); export it at 12,000 px or less") from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise NotAPicture(f"'{name}' is not an image ({ACCEPTED_NAMES})") from exc
    if image.format not in ACCEPTED:
        kind = image.format or "unknown"
        image.close()
        raise NotAPicture(f"'{name}' is a {kind} file: photos and page pictures must be {ACCEPTED_NAMES}; "
                          "export it as JPEG")
    return image


def facts(path: Path, name: str) -> Facts:
    """The facts of one source file (read whole, for its digest); NotAPicture or OSError."""
    data = path.read_bytes()
    with open_picture(data, name) as image:
        try:
            orientation = image.getexif().get(ORIENTATION, 1)
        except Exception:  # noqa: BLE001 - a damaged EXIF block: the picture is taken as stored
            orientation = 1
        width, height = image.size
        if orientation in _SWAPPED:
            width, height = height, width
        transparent = _see_through(image)
        return Facts(ACCEPTED[image.format or ""], width, height, transparent,
                     hashlib.blake2b(data, digest_size=16).hexdigest())


def _see_through(image: Image.Image) -> bool:
    """True when some pixel of the picture is not fully opaque (a screenshot's unused alpha is not)."""
    if image.mode not in ("RGBA", "LA", "PA") and "transparency" not in image.info:
        return False
    try:
        alpha = image.convert("RGBA").getchannel("A")
    except (OSError, ValueError):
        return False
    lowest, _ = alpha.getextrema()
    return int(lowest) < 255  # type: ignore[arg-type]


def upright(path: Path, name: str, largest: tuple[int, int]) -> tuple[Image.Image, bytes | None, bytes | None]:
    """The source's pixels turned upright (RGB or RGBA), decoded no larger than needed for the
    largest derivative; its colour profile and its EXIF reduced to the kept tags (or None)."""
    from PIL import ImageOps  # only where pictures are made: not loaded by a build with nothing to do

    with open_picture(path.read_bytes(), name) as image:
        exif = image.getexif()
        if exif.get(ORIENTATION, 1) in _SWAPPED:
            largest = (largest[1], largest[0])
        if image.format == "JPEG":
            image.draft("RGB", largest)  # the decoder scales by 1/2, 1/4 or 1/8: far less to resize
        icc = image.info.get("icc_profile") or None
        kept = _kept_exif(exif)
        turned = ImageOps.exif_transpose(image) or image
        converted = _colours(turned)
        if turned.mode in ("CMYK", "L", "LA", "I", "I;16", "F", "1"):
            icc = None  # a CMYK or grey profile does not describe the RGB pixels made from it
        converted.load()
    return converted, icc, kept


def _colours(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "RGBA"):
        return image
    if image.mode in ("I;16", "I", "F"):
        image = image.point(lambda value: value / 256).convert("L")
    if image.mode in ("LA", "PA", "P") and ("transparency" in image.info or image.mode != "P"):
        return image.convert("RGBA")
    return image.convert("RGB")


def _kept_exif(exif: Image.Exif) -> bytes | None:
    kept = Image.Exif()
    for tag in KEPT_TAGS:
        value = exif.get(tag)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str) and value.strip("\0 "):
            kept[tag] = value.strip("\0 ")
    return kept.tobytes() if len(kept) else None
