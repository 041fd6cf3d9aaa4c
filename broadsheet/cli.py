"""The command line: `build` (default), `serve`, `check`, `new DATE/PAGE/SLUG`, `import FILE… --into DATE/PAGE`."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from .output import UnsafeOutput, check_output_folder
from . import render
from .parallel import default_jobs
from .pipeline import Options, Result, build, check
from .problems import Problems

COMMANDS = ("build", "serve", "check", "new")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build a newspaper's digital edition from content/ into _site/. "
                    "To import copy: build.py import FILE… --into DATE/PAGE (see build.py import --help).",
    )
    parser.add_argument("command", nargs="?", default="build", choices=COMMANDS, help="what to do (default: build)")
    parser.add_argument("target", nargs="?", help="for 'new': DATE/PAGE/SLUG, e.g. 2026-11-27/01/qingxi-chaye")
    parser.add_argument("--config", default="site.yaml", metavar="FILE", help="the site configuration (default: site.yaml)")
    parser.add_argument("--out", metavar="DIR", help="the output folder (default: _site next to site.yaml)")
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--base-url", metavar="URL", help="override base_url from site.yaml")
    parser.add_argument("--quiet", action="store_true", help="print only problems")
    parser.add_argument("--verbose", action="store_true", help="print what is done, step by step")
    parser.add_argument("--jobs", type=int, default=None, metavar="N", help="processes for Markdown and templates (default: the machine's cores)")
    parser.add_argument("--clean", action="store_true", help="ignore the build cache and render everything")
    parser.add_argument("--host", default="127.0.0.1", help="serve: the address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="serve: the port (default: 8000)")
    return parser


def _options(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Options:
    config_path = Path(args.config)
    if args.config != "site.yaml" and not config_path.is_file():
        parser.error(f"--config {args.config}: no such file")
    out = Path(args.out) if args.out else config_path.parent / "_site"
    if args.base_url is not None:
        from .config import check_url

        if not check_url(args.base_url):
            parser.error(f"--base-url must be an absolute URL like https://news.example.org/, got '{args.base_url}'")
    if args.jobs is not None and args.jobs < 1:
        parser.error(f"--jobs must be 1 or more, got {args.jobs}")
    return Options(
        config_path=config_path.absolute(), out=out.absolute(), drafts=args.drafts, strict=args.strict,
        base_url=args.base_url, quiet=args.quiet, verbose=args.verbose,
        jobs=args.jobs or default_jobs(), clean=args.clean,
    )


def report(problems: Problems, strict: bool, stream=None) -> None:
    """Print every problem, errors and warnings sorted by file and line."""
    stream = stream or sys.stderr
    for problem in sorted(problems.errors + problems.warnings):
        print(problem, file=stream)
    errors, warnings = len(problems.errors), len(problems.warnings)
    if errors or (strict and warnings):
        counted = [f"{errors} error{'s' * (errors != 1)}"]
        if warnings:
            counted.append(f"{warnings} warning{'s' * (warnings != 1)}" + (" (errors with --strict)" if strict else ""))
        print(f"{', '.join(counted)}; nothing written.", file=stream)


def main(argv: list[str] | None = None) -> int:
    """Run a command; return the exit status (0 built, 1 content errors, 2 bad command line)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["import"]:  # its own parser, options and help: broadsheet/importing/command.py
        from .importing.command import main as import_main

        return import_main(argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command != "new" and args.target is not None:
        parser.error(f"unexpected argument '{args.target}'")
    if args.quiet and args.verbose:
        parser.error("--quiet and --verbose cannot be used together")
    options = _options(args, parser)
    if args.command == "new":
        return _new(args, options, parser)
    if args.command == "serve":
        from .server import serve

        return serve(options, args.host, args.port)
    if args.command == "build":
        try:
            check_output_folder(options.out, options.config_path.parent)
        except UnsafeOutput as exc:
            parser.error(str(exc))
    result: Result = (build if args.command == "build" else check)(options)
    report(result.problems, options.strict)
    if options.verbose:
        for note in result.notes:
            print(note, file=sys.stderr)
    if not result.ok:
        return 1
    if not options.quiet:
        verb = "Built" if args.command == "build" else "Checked"
        where = f" → {_shown(options.out)}" if args.command == "build" else ""
        print(result.summary(verb) + where)
    return 0


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() + "/"
    except ValueError:
        return path.as_posix() + "/"


def _new(args: argparse.Namespace, options: Options, parser: argparse.ArgumentParser) -> int:
    from .config import load_config
    from .scaffold import BadTarget, create_article

    if not args.target:
        parser.error("'new' needs DATE/PAGE/SLUG, e.g. 2026-11-27/01/qingxi-chaye")
    problems = Problems()
    config = load_config(options.config_path, problems)
    if config is None:
        report(problems, False)
        return 1
    try:
        path = create_article(config.content_dir, args.target, config.language)
    except BadTarget as exc:
        parser.error(str(exc))
    except FileExistsError as exc:
        print(f"{Path(str(exc)).relative_to(config.root).as_posix()}: already exists; not overwritten", file=sys.stderr)
        return 1
    print(f"Created {path.relative_to(config.root).as_posix()}")
    return 0


def run() -> None:
    """Entry point: exit with main()'s status; Ctrl-C exits quietly."""
    if sys.argv[1:2] != ["serve"]:
        # A build makes millions of objects that all live to its end: the cyclic collector's
        # passes over them find nothing to free. (The server rebuilds for hours: it keeps it,
        # and has Jinja look for edited templates.)
        gc.disable()
        render.RELOAD_TEMPLATES = False
    try:
        status = main()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        status = 130
    # Everything is written and closed: skip freeing the model object by object on the way out.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status if isinstance(status, int) else 1)
