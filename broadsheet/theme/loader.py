"""The Jinja loader of the site's `templates/` over the theme's (`ThemeLoader`)."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from . import is_template, template_folders


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
