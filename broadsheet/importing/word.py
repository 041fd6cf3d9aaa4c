"""Word files (.docx) through python-docx: paragraphs as lines, headings, bold, embedded pictures."""

from __future__ import annotations

import io
import re

from .copy import BadCopy, Line, Picture

_HEADING = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_SUFFIXES = {"jpg": ".jpg", "jpeg": ".jpg", "png": ".png", "gif": ".gif", "webp": ".webp"}


def read_docx(data: bytes) -> tuple[Line, ...]:
    """The paragraphs of a Word file in reading order (table cells included), pictures as lines of their own."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise BadCopy(f"is not a Word file that can be read ({exc}); open it in Word and save it as .docx again") from None
    except Exception as exc:  # noqa: BLE001 - lxml and zipfile raise many kinds for a damaged file
        raise BadCopy(f"is a damaged Word file ({type(exc).__name__}); open it in Word and save it again") from None
    lines: list[Line] = []
    for block in document.iter_inner_content():
        for paragraph in [block] if hasattr(block, "runs") else _cells(block):
            lines += _paragraph(paragraph, len(lines) + 1)
    return tuple(lines)


def _cells(table):
    seen = set()
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # a merged cell is listed once for every column it spans
            seen.add(id(cell._tc))
            yield from cell.paragraphs


def _paragraph(paragraph, number: int) -> list[Line]:
    """A paragraph's pictures (each a line) then its text as Markdown."""
    style = paragraph.style.name if paragraph.style is not None else ""
    pieces: list[tuple[str, bool, bool]] = []  # (text, bold, italic)
    pictures: list[Picture] = []
    for item in paragraph.iter_inner_content():
        runs = item.runs if hasattr(item, "runs") else [item]  # a hyperlink holds runs of its own
        for run in runs:
            for inner in run.iter_inner_content():
                if isinstance(inner, str):
                    pieces.append((inner, bool(run.bold), bool(run.italic)))
                elif getattr(inner, "has_picture", False):
                    pictures.append(_picture(inner.image, number))
    text, all_bold = _markdown(pieces)
    lines = [Line("", number + n, picture=p, style=style) for n, p in enumerate(pictures)]
    number += len(pictures)
    if text.strip():
        lines.append(Line(text, number, heading=_level(style), bold=all_bold, style=style))
    return lines


def _level(style: str) -> int:
    if style in ("Title", "标题"):
        return 1
    match = _HEADING.match(style)
    return int(match.group(1)) if match else 0


def _markdown(pieces: list[tuple[str, bool, bool]]) -> tuple[str, bool]:
    """Runs joined into Markdown (bold as **, italic as *); and whether all the text is bold."""
    merged: list[list] = []
    for text, bold, italic in pieces:
        if merged and merged[-1][1:] == [bold, italic]:
            merged[-1][0] += text
        else:
            merged.append([text, bold, italic])
    visible = [m for m in merged if m[0].strip()]
    if visible and all(m[1] for m in visible):
        return "".join(m[0] for m in merged).strip(), True
    out = []
    for text, bold, italic in merged:
        mark = ("**" if bold else "") + ("*" if italic else "")
        core = text.strip()
        if mark and core:
            lead, tail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
            text = f"{lead}{mark}{core}{mark[::-1]}{tail}"
        out.append(text)
    return "".join(out).strip(), False


def _picture(image, number: int) -> Picture:
    """An embedded picture; formats the web cannot show (BMP, TIFF) converted to PNG when Pillow can."""
    suffix = _SUFFIXES.get(image.ext.lower(), "")
    data = image.blob
    if not suffix:
        try:
            from PIL import Image

            with Image.open(io.BytesIO(data)) as opened:
                buffer = io.BytesIO()
                opened.save(buffer, "PNG")
            data, suffix = buffer.getvalue(), ".png"
        except Exception:  # noqa: BLE001 - EMF, WMF and the like: reported by the writer
            suffix = ""
    return Picture(data, suffix, f"picture in paragraph {number} ({image.ext})")
