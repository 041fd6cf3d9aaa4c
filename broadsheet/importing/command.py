"""`import FILE… --into DATE/PAGE`: the importer's arguments, their checks, the run and its report."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from ..config import load_config
from ..console import report
from ..model import is_label, same_page
from ..problems import Problems
from .copy import BadCopy
from .reading import Copy, known_encoding, read_copy, read_pictures
from .repairs import repair
from .stories import split
from .writing import Plan, conflicts, edition_pages, plan, write


def arguments(parser: argparse.ArgumentParser) -> None:
    """The `import` subcommand's own arguments (the command line registers it: broadsheet/cli.py)."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="the copy of the page: .txt exports and .docx files, in page order")
    parser.add_argument("--into", required=True, metavar="DATE/PAGE", help="the page to write into, e.g. 2026-11-27/01")
    parser.add_argument("--encoding", metavar="NAME", help="the text files' encoding (default: detected; e.g. gb18030, utf-8)")
    parser.add_argument("--images", metavar="DIR", help="a folder of the page's pictures, taken by the captions in order of file name")


def _into(text: str, made: argparse.ArgumentParser) -> tuple[str, str]:
    parts = text.strip("/").split("/")
    if len(parts) != 2:
        made.error(f"--into '{text}' must be DATE/PAGE, e.g. 2026-11-27/01")
    day, label = parts
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            raise ValueError
        date.fromisoformat(day)
    except ValueError:
        made.error(f"--into: '{day}' is not a real date in the form YYYY-MM-DD")
    if not is_label(label):
        made.error(f"--into: '{label}' is not a page label like 01, 2, A1 or B03")
    return day, label


def run_import(args: argparse.Namespace, made: argparse.ArgumentParser) -> int:
    """Run `import`; return 0 when written, 1 when the copy or the site has errors (nothing written)."""
    day, label = _into(args.into, made)
    if args.encoding and not known_encoding(args.encoding):
        made.error(f"--encoding: unknown encoding '{args.encoding}' (try gb18030 or utf-8)")
    if args.images and not Path(args.images).is_dir():
        made.error(f"--images: '{args.images}' is not a folder")
    problems = Problems()
    config = load_config(Path(args.config).absolute(), problems)
    if config is None:
        report(problems, False)
        return 1
    edition = config.content_dir / day
    page_dir = edition / (same_page(label, edition_pages(edition)) or label)
    copies, errors = _read(args.files, args.encoding)
    if errors:
        return _refuse(errors)
    pages = [(copy.name, split(copy.lines)) for copy in copies]
    for name, page in pages:
        for story in page.stories:
            repair(story, name)
    result = plan(pages, page_dir, config.language, read_pictures(Path(args.images)) if args.images else [])
    rel = page_dir.relative_to(config.root).as_posix()
    clashes = conflicts(result)
    if clashes:
        return _refuse([f"{rel}/{name}: already exists; the import never overwrites: move it away, "
                        "or import into another page" for name in clashes])
    write(result)
    _tell(result, rel, copies, args.quiet)
    return 0


def _read(files: list[str], encoding: str | None) -> tuple[list[Copy], list[str]]:
    copies, errors = [], []
    for name in files:
        try:
            copies.append(read_copy(Path(name), name, encoding))
        except BadCopy as exc:
            errors.append(f"{name}:{exc.line}: {exc.message}" if exc.line else f"{name}: {exc.message}")
    return copies, errors


def _refuse(errors: list[str]) -> int:
    for error in errors:
        print(error, file=sys.stderr)
    print(f"{len(errors)} error{'s' * (len(errors) != 1)}; nothing written.", file=sys.stderr)
    return 1


def _tell(result: Plan, rel: str, copies: list[Copy], quiet: bool) -> None:
    """What was made (stdout), then each repair and guess at its written line (stderr), then a summary."""
    if not quiet:
        for name, held in result.made:
            print(f"{rel}/{name}: {held}")
    for name, line, level, message in result.notes:
        where = f"{rel}/{name}:{line}" if line else name
        print(f"{where}: {level}: {message}", file=sys.stderr)
    if not quiet:
        articles = sum(name.endswith(".md") for name in result.files)
        pictures = sum(name.startswith("images/") for name in result.files)
        repaired = sum(level == "repaired" for _, _, level, _ in result.notes)
        warned = len(result.notes) - repaired
        read = ", ".join(f"{c.name} ({c.encoding})" for c in copies)
        print(f"Imported {read} → {rel}/: {articles} article{'s' * (articles != 1)}, {pictures} picture"
              f"{'s' * (pictures != 1)}; {repaired} repaired, {warned} to check.")
