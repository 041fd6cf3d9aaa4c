"""The default theme, shipped in the package, and a site's own `templates/` and `static/` over it.

A file the site has replaces the theme's file of the same name; every other file
comes from the theme (`templates/` and `static/` next to this module).
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


def __getattr__(name: str):
    """`ThemeLoader`, made on first use: a build with nothing to do never imports Jinja."""
    if name != "ThemeLoader":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    loader = _theme_loader()
    globals()["ThemeLoader"] = loader
    return loader


def _theme_loader() -> type:
    import jinja2
    from jinja2.loaders import split_template_path

    class ThemeLoader(jinja2.FileSystemLoader):
        """The site's `templates/` first, then the theme's, file by file (a `ChoiceLoader` of the two,
        in one `FileSystemLoader`). A template found in one folder is stale once a file of its name
        appears in, or goes from, a folder before it, so the dev server sees an override come and go."""

        def __init__(self, site_templates: Path):
            super().__init__([str(folder) for folder in template_folders(site_templates)])

        def get_source(self, environment: jinja2.Environment, template: str):  # noqa: D102 - Jinja's hook
            source, filename, uptodate = super().get_source(environment, template)

            def still_this_file() -> bool:
                return uptodate() and self.filename(template) == filename

            return source, filename, still_this_file

        def filename(self, template: str) -> str | None:
            """The file a template's name stands for now, or None."""
            pieces = split_template_path(template)
            for folder in self.searchpath:
                path = os.path.normpath(os.path.join(folder, *pieces))
                if os.path.isfile(path):
                    return path
            return None

        def list_templates(self) -> list[str]:  # noqa: D102 - Jinja's hook
            return [name for name in super().list_templates() if is_template(name)]

    ThemeLoader.__qualname__ = "ThemeLoader"
    return ThemeLoader


def shown(filename: str | os.PathLike, site_root: Path) -> str:
    """A template or static file's path as messages show it: relative to the site when the site
    has it (`templates/article.html`), else where the theme's file is."""
    path = Path(filename).resolve()
    try:
        return path.relative_to(site_root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
