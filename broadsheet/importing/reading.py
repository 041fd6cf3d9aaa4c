"""Reading copy: a layout system's text export (UTF-8, GB18030/GBK, UTF-16) or a Word file, as lines."""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .copy import BadCopy, Line, Picture
from .word import read_docx

# Files people hand over by mistake, told apart by their first bytes.
_MAGIC = (
    (b"\x89PNG", "a PNG picture"), (b"\xff\xd8\xff", "a JPEG picture"), (b"GIF8", "a GIF picture"),
    (b"RIFF", "a WebP picture or other media file"), (b"%PDF", "a PDF"), (b"II*\x00", "a TIFF picture"),
    (b"MM\x00*", "a TIFF picture"), (b"\xd0\xcf\x11\xe0", "an old Word (.doc) or Office file: save it as .docx"),
    (b"PK\x03\x04", "a ZIP archive, not a Word file"),
)
# What a newsroom's copy comes in: Chinese layout systems on Windows write GBK (read as GB18030), Taiwan
# and Hong Kong ones Big5, English ones Windows-1252; anything else must be named with --encoding.
DETECTED = ("utf_8", "gb18030", "big5", "cp1252")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A detected GBK or GB2312 is read as GB18030, which contains both and decodes their bytes the same way.
_WIDER = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "ascii": "utf-8", "utf_8": "utf-8"}


@dataclass(frozen=True)
class Copy:
    """A file of copy, read: its lines and how its text was decoded."""

    name: str
    lines: tuple[Line, ...]
    encoding: str


def read_copy(path: Path, name: str, encoding: str | None = None) -> Copy:
    """Read one file of copy, a text export or a .docx; raise BadCopy saying why not."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadCopy("no such file") from None
    except IsADirectoryError:
        raise BadCopy("is a folder, not a file of copy") from None
    except OSError as exc:
        raise BadCopy(f"cannot be read: {exc.strerror}") from None
    if not data.strip():
        raise BadCopy("is empty: there is no copy to import")
    if path.suffix.lower() == ".docx":
        if not _is_docx(data):
            what = _binary_kind(data) if not data.startswith(b"PK\x03\x04") else "a ZIP archive"
            raise BadCopy(f"is not a Word file (.docx): it is {what or 'text; name a text export .txt'}")

        return Copy(name, read_docx(data), "docx")
    what = _binary_kind(data)
    if what:
        raise BadCopy(f"is {what}, not copy; give the text export (.txt) or the Word file (.docx)")
    text, used = decode(data, encoding)
    lines = tuple(Line(x, n) for n, x in enumerate(text.split("\n"), 1))
    if not any(line.text.strip() for line in lines):
        raise BadCopy("is empty: there is no copy to import")
    return Copy(name, lines, used)


def _binary_kind(data: bytes) -> str | None:
    if data.startswith(b"PK\x03\x04") and _is_docx(data):
        return "a Word file with the wrong name: rename it to .docx"
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "a binary file"
    return None


def _is_docx(data: bytes) -> bool:
    try:
        return "word/document.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text of an export and the encoding used: `encoding` if given, else a BOM, UTF-8 or the detected one."""
    if encoding:
        text = _strict(data, encoding)
    elif data.startswith(codecs.BOM_UTF8):
        encoding, text = "utf-8", _strict(data[3:], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, text = "utf-16", _strict(data, "utf-16")
    else:
        encoding = _detect(data)
        text = _strict(data, encoding)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise BadCopy(f"control character U+{ord(bad.group()):04X}: not text copy, or not {encoding}", line)
    return text, encoding


def _detect(data: bytes) -> str:
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(DETECTED)).best()
    if best is None:
        raise BadCopy("cannot be decoded: it is not UTF-8, GB18030/GBK, Big5 or Windows-1252 text; "
                      "if you know its encoding, name it with --encoding")
    return _WIDER.get(best.encoding, best.encoding)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BadCopy(f"cannot be read as {encoding} (byte 0x{data[exc.start]:02X} at line {line}); "
                           f"try another --encoding, e.g. gb18030 or utf-8", line) from None


def known_encoding(name: str) -> bool:
    """True for an encoding name Python knows (for checking --encoding)."""
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


PICTURE_SUFFIXES = {".jpg": ".jpg", ".jpeg": ".jpg", ".png": ".png", ".gif": ".gif", ".webp": ".webp"}


def read_pictures(folder: Path) -> list[Picture]:
    """The pictures of an --images folder, sorted by file name (the order their captions take them)."""
    pictures = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        suffix = PICTURE_SUFFIXES.get(path.suffix.lower())
        if suffix and path.is_file() and not path.name.startswith("."):
            pictures.append(Picture(path.read_bytes(), suffix, path.name))
    return pictures
