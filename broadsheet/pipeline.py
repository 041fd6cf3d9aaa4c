"""The build: read and validate everything, then render, then write — in that order."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .config import SiteConfig, load_config
from .content import ignored, load_site
from .model import Site
from .output import Staging
from .problems import Problems
from .progress import Progress
from .render import Output, Renderer, compile_templates, make_environment, plan, template_problem


@dataclass(frozen=True)
class Options:
    """What the command line asked for."""

    config_path: Path
    out: Path
    drafts: bool = False
    strict: bool = False
    base_url: str | None = None
    quiet: bool = False
    verbose: bool = False


@dataclass
class Result:
    """What a build or check did: its problems and counts."""

    problems: Problems = field(default_factory=Problems)
    site: Site | None = None
    outputs: int = 0
    seconds: float = 0.0
    ok: bool = False

    def summary(self, verb: str) -> str:
        """The one-line summary: editions, pages, articles, seconds."""
        site = self.site
        editions = len(site.editions) if site else 0
        pages = sum(len(e.pages) for e in site.editions) if site else 0
        articles = len(site.articles) if site else 0
        warnings = len(self.problems.warnings)
        extra = f", {warnings} warning{'s' * (warnings != 1)}" if warnings else ""
        return (
            f"{verb} {editions} edition{'s' * (editions != 1)}, {pages} page{'s' * (pages != 1)}, "
            f"{articles} article{'s' * (articles != 1)} in {self.seconds:.2f} s{extra}"
        )


@dataclass(frozen=True)
class Loaded:
    """Everything read and validated, ready to render."""

    config: SiteConfig
    site: Site
    env: jinja2.Environment
    static_files: tuple[tuple[Path, str], ...]


def load(options: Options, problems: Problems) -> Loaded | None:
    """Read and validate the configuration, content, templates and static files."""
    config = load_config(options.config_path, problems, base_url=options.base_url)
    if config is None:
        return None
    site = load_site(config, problems, drafts=options.drafts)
    env = make_environment(config)
    compile_templates(env, config, problems)
    static_files = _static_files(config, problems)
    if problems.has_errors(options.strict) or site is None:
        return None
    return Loaded(config, site, env, static_files)


def _static_files(config: SiteConfig, problems: Problems) -> tuple[tuple[Path, str], ...]:
    files: list[tuple[Path, str]] = []
    root = config.root.resolve()
    if config.static_dir.is_dir():
        for folder, dirs, names in os.walk(config.static_dir):
            dirs[:] = sorted(d for d in dirs if not ignored(d))
            for name in sorted(names):
                path = Path(folder) / name
                rel = path.relative_to(config.root).as_posix()
                if ignored(name):
                    continue
                if path.is_symlink() and not path.resolve().is_relative_to(root):
                    problems.error(rel, 0, "symbolic link to a path outside the site; not followed")
                    continue
                files.append((path, rel))
    logo = config.publisher.logo
    if logo and not logo.startswith("static/"):
        files.append((config.root / logo, Path(logo).as_posix()))
    return tuple(files)


def render_all(loaded: Loaded, problems: Problems, options: Options, write=None) -> int:
    """Render every planned output; `write(url, bytes)` stores each (None: render only)."""
    outputs = plan(loaded.site, loaded.config)
    renderer = Renderer(loaded.env, loaded.site, loaded.config)
    progress = Progress(len(outputs), "rendering", enabled=not options.quiet)
    seen: dict[str, Output] = {}
    try:
        for index, output in enumerate(outputs):
            if output.url in seen:
                problems.error(output.url, 0, "internal error: two outputs share this path")
                continue
            seen[output.url] = output
            try:
                text = renderer.render(output)
            except Exception as exc:  # noqa: BLE001 - any template error is reported at its line
                problems.error(*template_problem(exc, loaded.config, output))
                continue
            if write is not None:
                write(output.url, text.encode("utf-8"))
            progress.update(index + 1)
    finally:
        progress.close()
    return len(outputs)


def build(options: Options) -> Result:
    """Build the site into the output folder; on any error the old output stays as it was."""
    return _run(options, write=True)


def check(options: Options) -> Result:
    """Validate everything and render in memory; write nothing."""
    return _run(options, write=False)


def _run(options: Options, write: bool) -> Result:
    started = time.monotonic()
    result = Result()
    loaded = load(options, result.problems)
    if loaded is not None:
        result.site = loaded.site
        if write:
            with Staging(options.out) as staging:
                result.outputs = render_all(loaded, result.problems, options, staging.write)
                if not result.problems.has_errors(options.strict):
                    for path, url in loaded.static_files:
                        staging.copy(path, url)
                    for source, url in loaded.site.assets:
                        staging.copy(loaded.config.root / source, url)
                    staging.commit()
        else:
            result.outputs = render_all(loaded, result.problems, options)
        result.ok = not result.problems.has_errors(options.strict)
    result.seconds = time.monotonic() - started
    return result
