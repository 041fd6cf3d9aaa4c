"""The default theme, shipped in the package, and a site's own `templates/` and `static/` over it.

A file the site has replaces the theme's file of the same name; every other file
comes from the theme (`templates/` and `static/` next to this module). The Jinja loader that
looks in both is `theme.loader.ThemeLoader`, apart so that a build with nothing to do never
imports Jinja.
"""

from __future__ import annotations

import os
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
TEMPLATES = FOLDER / "templates"
STATIC = FOLDER / "static"


def template_folders(site_templates: Path) -> tuple[Path, Path]:
    """Where templates are looked for, first match wins: the site's folder, then the theme's."""
    return (site_templates, TEMPLATES)


def static_folders(site_static: Path) -> tuple[Path, Path]:
    """Where static files come from, in the order a file of the same name is taken: the theme's
    folder, then the site's, which replaces it."""
    return (STATIC, site_static)


def is_template(name: str) -> bool:
    """False for what a templates folder may hold for people: hidden files and READMEs (`.md`)."""
    return not any(part.startswith(".") for part in name.split("/")) and not name.endswith(".md")


def shown(filename: str | os.PathLike, site_root: Path) -> str:
    """A template or static file's path as messages show it: relative to the site when the site
    has it (`templates/article.html`), else where the theme's file is."""
    path = Path(filename).resolve()
    try:
        return path.relative_to(site_root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
