"""Which derivatives a picture gets, and their names: pure, from its facts and the settings."""

from __future__ import annotations

import hashlib
import posixpath
from functools import lru_cache

from .published import Picture, Rendition
from .reading import Facts
from .settings import PictureSettings

EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}


@lru_cache(maxsize=1)
def encoders() -> str:
    """The versions of the libraries that encode derivatives: a new one may give other bytes."""
    import PIL
    from PIL import features

    return " ".join(f"{name}={features.version(name)}" for name in ("jpg", "webp", "avif")) + f" pillow={PIL.__version__}"


@lru_cache(maxsize=None)
def available(format: str) -> bool:
    """True when this Pillow can encode the format (AVIF needs Pillow 11.3 or later)."""
    from PIL import features

    return bool(features.check({"jpeg": "jpg"}.get(format, format)))


def key_of(facts: Facts, settings: PictureSettings, full: bool) -> str:
    """The key of one source's derivatives: its content and everything that shapes them."""
    text = f"{facts.digest}\0{settings!r}\0{full}\0{encoders()}\0{ENCODING_VERSION}"
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


#: raised when the way derivatives are encoded (encoding.py) changes, so that they are made again
ENCODING_VERSION = 2


def widths_for(width: int, settings: PictureSettings) -> tuple[int, ...]:
    """The widths of a picture's derivatives: those of the settings narrower than it, and its own
    width when it is narrower than the widest setting."""
    narrower = [w for w in settings.widths if w < width]
    if width <= settings.widths[-1]:
        narrower.append(width)
    return tuple(narrower)


def plan(facts: Facts, settings: PictureSettings, url: str, full: bool = False) -> tuple[str, Picture]:
    """The key and the published picture of a source whose original would be at `url`: its
    derivatives are written beside that URL. With `full`, the fallback is made at the source's
    own width too (a page scan that readers zoom into)."""
    key = key_of(facts, settings, full)
    folder, name = posixpath.split(url)
    stem = posixpath.splitext(name)[0]
    fallback = "png" if facts.transparent else "jpeg"
    widths = widths_for(facts.width, settings)
    renditions = []
    for format in (*filter(available, settings.formats), fallback):
        sizes = widths + ((facts.width,) if full and format == fallback and facts.width not in widths else ())
        for width in sizes:
            height = max(1, round(facts.height * width / facts.width))
            file = f"{stem}.{key}.{width}.{EXTENSIONS[format]}"
            renditions.append(Rendition(posixpath.join(folder, file), width, height, format))
    return key, Picture(facts.width, facts.height, fallback, tuple(renditions))


def stored_name(rendition: Rendition) -> str:
    """The file name of a rendition in the picture store (its key's folder)."""
    return f"{rendition.width}.{EXTENSIONS[rendition.format]}"
