"""The command line: `build` (the default), `serve`, `check`, `new`, `init`, `import`, each with its own `--help`.

A command is registered with `@command(...)`: its name, a one-line summary, a
description and an example for its `--help`, the option groups it takes and a
function adding its own arguments; the decorated function runs it and returns
the exit status (0 built, 1 content errors, 2 a wrong command line).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import __version__, changes
from .console import report, shown
from .options import Options, Result
from .output import UnsafeOutput, check_output_folder
from .parallel import default_jobs
from .problems import Problems

DEFAULT = "build"
#: set by `run` for a process that runs one command (not the dev server): its templates are
#: compiled once and never looked at again
ONE_COMMAND = {"process": False}


@dataclass(frozen=True)
class Command:
    """One subcommand: how its --help reads, which options it takes, and what runs it."""

    name: str
    summary: str
    description: str
    example: str
    groups: tuple[str, ...]  # of GROUPS
    arguments: Callable[[argparse.ArgumentParser], None] | None
    run: Callable[[argparse.Namespace, argparse.ArgumentParser], int]


COMMANDS: dict[str, Command] = {}


def command(name: str, summary: str, description: str, example: str, groups: tuple[str, ...] = (),
            arguments: Callable[[argparse.ArgumentParser], None] | None = None):
    """Register the decorated function as the subcommand `name`."""
    def register(run: Callable[[argparse.Namespace, argparse.ArgumentParser], int]):
        COMMANDS[name] = Command(name, summary, description, example, groups, arguments, run)
        return run
    return register


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", default="site.yaml", metavar="FILE", help="the site configuration (default: site.yaml)")


def _content_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--base-url", metavar="URL", help="override base_url from site.yaml")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="processes for Markdown, templates and the search index (default: the machine's cores)")


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="DIR", help="the output folder (default: _site next to site.yaml)")
    parser.add_argument("--clean", action="store_true", help="ignore the build cache and render everything")


def _talk_options(parser: argparse.ArgumentParser) -> None:
    talk = parser.add_mutually_exclusive_group()
    talk.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    talk.add_argument("-v", "--verbose", action="store_true", help="print what is done, step by step")


GROUPS = {"site": _site_options, "content": _content_options, "output": _output_options, "talk": _talk_options}
BUILDING = ("site", "content", "output", "talk")


def parsers(prog: str | None = None, only: str | None = None) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The whole command line and each command's own parser: the commands registered, each with
    its options, description and example (with `only`, that command's options alone: another's
    may import much)."""
    top = argparse.ArgumentParser(
        prog=prog,
        description="Broadsheet builds a newspaper's digital edition (数字报) from Markdown articles: "
                    "content/ with site.yaml into _site/.",
        epilog=f"Without a command, '{DEFAULT}' is run. '%(prog)s COMMAND --help' explains each command.\n"
               "Exit status: 0 built, 1 the content or templates have errors, 2 the command line is wrong.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    subs = {}
    for found in COMMANDS.values():
        sub = commands.add_parser(
            found.name, help=found.summary, description=found.description,
            epilog="example:\n  " + found.example.replace("\n", "\n  "),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if found.arguments is not None and only in (None, found.name):
            found.arguments(sub)
        for group in found.groups:
            GROUPS[group](sub)
        subs[found.name] = sub
    return top, subs


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    """Run a command; return the exit status (0 built, 1 content errors, 2 bad command line)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, DEFAULT)  # `build.py --drafts` builds
    top, subs = parsers(prog, argv[0] if argv[0] in COMMANDS else None)
    args, extra = top.parse_known_args(argv)
    if extra:
        subs = parsers(prog)[1]  # every command's options, to say whose an unknown one is
        subs[args.command].error("unrecognized arguments: " + " ".join(extra) + _elsewhere(subs, extra))
    return COMMANDS[args.command].run(args, subs[args.command])


def _elsewhere(subs: dict[str, argparse.ArgumentParser], extra: list[str]) -> str:
    """' (--port is an option of serve only)' for an option another command takes."""
    for word in extra:
        option = word.split("=", 1)[0]
        owners = [name for name, sub in subs.items() if option in sub._option_string_actions]
        if owners:
            return f" ({option} is an option of {' and '.join(owners)} only)"
    return ""


def _options(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Options:
    config_path = Path(args.config)
    if args.config != "site.yaml" and not config_path.is_file():
        parser.error(f"--config {args.config}: no such file")
    out = Path(args.out) if getattr(args, "out", None) else config_path.parent / "_site"
    if getattr(args, "base_url", None) is not None:
        from .config import check_url

        if not check_url(args.base_url):
            parser.error(f"--base-url must be an absolute URL like https://news.example.org/, got '{args.base_url}'")
    jobs = getattr(args, "jobs", None)
    if jobs is not None and jobs < 1:
        parser.error(f"--jobs must be 1 or more, got {jobs}")
    return Options(
        config_path=config_path.absolute(), out=out.absolute(), drafts=getattr(args, "drafts", False),
        strict=getattr(args, "strict", False), base_url=getattr(args, "base_url", None),
        quiet=getattr(args, "quiet", False), verbose=getattr(args, "verbose", False),
        jobs=jobs or default_jobs(), clean=getattr(args, "clean", False),
    )


@command(
    "build", "build the site into _site/ (the default command)",
    "Build content/ with site.yaml and the theme into _site/, then print one line: editions, pages,\n"
    "articles and seconds. Only what changed since the last build is rendered again. On any error\n"
    "every problem is printed as path:line: message, and the previous output is left exactly as it was.",
    "%(prog)s --drafts --out preview/     # a preview with the drafts, in preview/",
    BUILDING,
)
def _build(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    options = _options(args, parser)
    try:
        check_output_folder(options.out, options.config_path.parent)
    except UnsafeOutput as exc:
        parser.error(str(exc))
    looked = changes.look(options, write=True)  # 1. nothing changed: nothing more is imported
    if looked.config is None or looked.unchanged:
        return _finish(looked.result, options, "Built")
    return _finish(_pipeline().build(options, looked=looked), options, "Built")


def _pipeline():
    """The build past its first step (imported only when there is more to do)."""
    from . import pipeline, render

    if ONE_COMMAND["process"]:
        render.RELOAD_TEMPLATES = False
    return pipeline


@command(
    "check", "validate and lint everything, write nothing",
    "Read, validate and render everything in memory, and print every error and the copy-editing\n"
    "lint's warnings, as a build would; nothing is written, not even the build cache.",
    "%(prog)s --strict        # warnings count as errors: exit 1 on any",
    ("site", "content", "talk"),
)
def _check(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    options = _options(args, parser)
    return _finish(_pipeline().check(options), options, "Checked")


def _finish(result: Result, options: Options, verb: str) -> int:
    report(result.problems, options.strict)
    if options.verbose:
        for note in result.notes:
            print(note, file=sys.stderr)
    if not result.ok:
        return 1
    if not options.quiet:
        where = f" → {shown(options.out)}" if verb == "Built" else ""
        print(result.summary(verb) + where)
    return 0


def _serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="the address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="the port (default: 8000)")


@command(
    "serve", "build, serve on http://127.0.0.1:8000/ and rebuild on every change",
    "Build, then serve the output and rebuild whenever content/, templates/, static/ or site.yaml\n"
    "changes, reloading the browser. A build error is shown in the terminal and in the browser, and\n"
    "the last good site keeps being served. Ctrl-C stops it.",
    "%(prog)s --drafts --port 8080",
    BUILDING, _serve_arguments,
)
def _serve(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .server import serve

    return serve(_options(args, parser), args.host, args.port)


def _new_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="DATE/PAGE/SLUG",
                        help="the edition's date, the page's label and the file's name, e.g. 2026-11-27/01/qingxi-chaye")


@command(
    "new", "create an article with its front matter filled in (as a draft)",
    "Create content/DATE/PAGE/SLUG.md with every main front-matter key filled in and draft: true,\n"
    "reusing the page's existing label (1 -> 01). An existing file is never overwritten.",
    "%(prog)s 2026-11-28/02/dongchu-baicai",
    ("site", "talk"), _new_arguments,
)
def _new(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .config import load_config
    from .scaffold import BadTarget, create_article

    problems = Problems()
    config = load_config(_options(args, parser).config_path, problems)
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
    if not args.quiet:
        print(f"Created {path.relative_to(config.root).as_posix()} as a draft: "
              "it is published once you delete its line 'draft: true'")
    return 0


def _init_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR", help="the folder for the new paper (made if it does not exist)")
    parser.add_argument("--title", help="the newspaper's name (default: 我的日报, or The Daily Paper in English)")
    parser.add_argument("--language", choices=("zh-CN", "en"), default="zh-CN",
                        help="the paper's language and typesetting rules (default: zh-CN)")


@command(
    "init", "write a new paper that builds at once",
    "Write a new paper into DIR: site.yaml with every key shown and commented, today's edition with\n"
    "one page and a welcome article, an empty templates/ (with a README on overriding the theme)\n"
    "and a .gitignore. A folder that already holds a paper is refused, and nothing in it changes.",
    '%(prog)s paper --title "河川日报"\n%(prog)s gazette --title "The Riverside Gazette" --language en',
    ("talk",), _init_arguments,
)
def _init(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .scaffold import NotEmpty, create_paper

    folder = Path(args.folder)
    try:
        written = create_paper(folder, args.title, args.language)
    except NotEmpty as exc:
        print(f"{args.folder}: {exc}; nothing changed", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"Created a new paper in {args.folder}:")
        for rel in written:
            print(f"  {rel}")
        print("Next:")
        program = _invocation(parser, folder)
        if folder.resolve() == Path.cwd().resolve():
            print(f"  {program} build      # then open _site/index.html")
            print(f"  {program} serve      # to see it at http://127.0.0.1:8000/ as you edit")
        else:
            print(f"  cd {args.folder}")
            print(f"  {program} build      # then open _site/index.html ('serve' to see it live)")
    return 0


def _invocation(parser: argparse.ArgumentParser, folder: Path) -> str:
    """How to run Broadsheet again from inside `folder`, as the user ran it now."""
    program = parser.prog.rsplit(" ", 1)[0]
    if program.endswith(".py"):
        return f"python {os.path.relpath(Path(sys.argv[0]).resolve(), folder.resolve())}"
    return program


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    from .importing.command import arguments

    arguments(parser)


@command(
    "import", "turn a page-layout system's text export or a Word file into a page's articles",
    "Turn text exports (.txt: UTF-8, GB18030/GBK, the encoding detected) and Word files (.docx) into\n"
    "the article files of one page: kicker, headline, subtitle, bylines, dateline, sub-heads, captions\n"
    "and credits, column and jumps; a page-wide photo credit goes into page.yaml. Cut paragraphs are\n"
    "joined and repeated sentences published once; every repair and guess is printed at the line of\n"
    "the written file. Nothing is overwritten: if any FILE cannot be read or any file to write exists,\n"
    "nothing at all is written (exit status 1).",
    "%(prog)s page-01.txt --into 2026-11-27/01\n%(prog)s story.docx --into 2026-11-27/03 --images photos/",
    ("site", "talk"), _import_arguments,
)
def _import(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .importing.command import run_import

    return run_import(args, parser)


def run() -> None:
    """Entry point: exit with main()'s status; Ctrl-C exits quietly."""
    if sys.argv[1:2] != ["serve"]:
        # A build makes millions of objects that all live to its end: the cyclic collector's
        # passes over them find nothing to free. (The server rebuilds for hours: it keeps it,
        # and has Jinja look for edited templates.)
        gc.disable()
        ONE_COMMAND["process"] = True
    try:
        status = main()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        status = 130
    # Everything is written and closed: skip freeing the model object by object on the way out.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status if isinstance(status, int) else 1)
