"""A printed page's PDF read with PDFium (pypdfium2): checked, its first page measured, its
characters with their boxes taken out, and its picture rendered. The only module that opens a PDF."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

#: the page picture's resolution: 9-point body type is 25 pixels high, readable when zoomed
DPI = 200
#: its longest side at most (a broadsheet page at 200 dpi is about 4,400 pixels high)
MAX_SIDE = 4800

#: PDFium's load errors (FPDF_ERR_FILE, _FORMAT, _PASSWORD, _SECURITY), in plain words
_LOAD_ERRORS = {
    2: "cannot be read",
    3: "is damaged (PDFium cannot read its structure): export the page again",
    4: "is encrypted (it asks for a password): export the page again without a password",
    5: "is protected by a security handler PDFium does not support: export it again without protection",
}


class BadPdf(Exception):
    """A PDF that cannot be used; the message says why in plain words, after the file's name."""


@dataclass(frozen=True)
class Printed:
    """What a PDF's first page holds: its size in points, the document's page count, and each
    character as (text, left, top, right, bottom, font size), points from the top left."""

    width: float
    height: float
    pages: int
    chars: tuple[tuple[str, float, float, float, float, float], ...]


def scale(width: float, height: float) -> float:
    """The rendering scale of a page of this size (points): `DPI`, less for a very large page."""
    return min(DPI / 72, MAX_SIDE / max(width, height, 1.0))


def picture_size(width: float, height: float) -> tuple[int, int]:
    """The picture's size in pixels, as PDFium renders it at `scale`."""
    factor = scale(width, height)
    return math.ceil(width * factor), math.ceil(height * factor)


def read(data: bytes, picture: Path | None = None) -> Printed:
    """Check a PDF's bytes and read its first page; with `picture`, render that page to it (PNG).

    Raises BadPdf when the file is empty, not a PDF, damaged or encrypted."""
    import pypdfium2 as pdfium  # here, not at start-up: a build with nothing to read pays nothing for it

    if not data.strip():
        raise BadPdf("is empty (0 pages): export the page again")
    if b"%PDF-" not in data[:1024]:
        raise BadPdf("is not a PDF (it does not start with %PDF-): name the printed page's PDF")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise BadPdf(_LOAD_ERRORS.get(exc.err_code, "is damaged (PDFium cannot open it): export the page again")) from None
    try:
        pages = len(document)
        if pages == 0:
            raise BadPdf("has no pages: export the page again")
        try:
            page = document[0]
            width, height = page.get_size()
            chars = _chars(page, height)
            if picture is not None:
                _render(page, width, height, picture)
        except pdfium.PdfiumError:
            raise BadPdf("is damaged (PDFium cannot read its first page): export the page again") from None
        return Printed(width, height, pages, chars)
    finally:
        document.close()


def _chars(page, height: float) -> tuple[tuple[str, float, float, float, float, float], ...]:
    import pypdfium2.raw as pdfium_raw

    text = page.get_textpage()
    try:
        found = []
        for index in range(text.count_chars()):
            code = pdfium_raw.FPDFText_GetUnicode(text, index)
            char = chr(code) if 0 < code < 0x110000 else ""
            if not char or char.isspace() or not char.isprintable():
                found.append((" ", 0.0, 0.0, 0.0, 0.0, 0.0))  # a space or line end: breaks a word
                continue
            left, bottom, right, top = text.get_charbox(index, loose=True)
            size = pdfium_raw.FPDFText_GetFontSize(text, index)
            found.append((char, left, height - top, right, height - bottom, size))
        return tuple(found)
    finally:
        text.close()


def _render(page, width: float, height: float, picture: Path) -> None:
    """The page drawn on white at `scale`, written whole (a temporary file renamed over it)."""
    bitmap = page.render(scale=scale(width, height), fill_color=(255, 255, 255, 255), may_draw_forms=True)
    try:
        image = bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()
    picture.parent.mkdir(parents=True, exist_ok=True)
    temporary = picture.with_name(f".{picture.name}.partial")
    image.save(temporary, "PNG")
    temporary.replace(picture)
