"""The documentation in the repository: every key of the schema, every template, no link leaving it."""

from __future__ import annotations

import re

import pytest

from broadsheet import articles, config, content, render, theme
from broadsheet.cli import COMMANDS
from broadsheet.pictures import settings as picture_settings
from conftest import PROJECT

DOCS = PROJECT / "docs"
CONTRACT = PROJECT.parent / "shared" / "spec" / "content-format.md"  # the team's, beside the repository

# Each file's keys as the code reads them, and the section of docs/content-format.md for them.
SECTIONS = {
    "site.yaml": (*config.SITE_KEYS, *(f"publisher.{key}" for key in config.PUBLISHER_KEYS),
                  *(f"pictures.{key}" for key in picture_settings.KEYS)),
    "edition.yaml (optional)": content.EDITION_KEYS,
    "page.yaml (optional)": content.PAGE_KEYS,
    "columns.yaml (optional)": content.COLUMN_KEYS,
    "Article front matter": articles.ARTICLE_KEYS,
}
# Keys of entries inside a front-matter key, named in that key's row.
ENTRIES = {"byline": articles.BYLINE_KEYS, "photos": articles.PHOTO_KEYS,
           "corrections": articles.CORRECTION_KEYS, "continued_on": articles.JUMP_KEYS}


def table(section: str) -> dict[str, list[str]]:
    """The rows of the key table under `## section`: key -> its cells."""
    text = (DOCS / "content-format.md").read_text(encoding="utf-8")
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in body.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        found = re.fullmatch(r"`([\w.]+)`", cells[0]) if line.startswith("|") else None
        if found:
            rows[found.group(1)] = cells[1:]
    return rows


@pytest.mark.parametrize("section", SECTIONS)
def test_every_key_is_documented_with_its_type_default_and_example(section):
    rows = table(section)
    assert set(SECTIONS[section]) <= rows.keys(), f"undocumented: {set(SECTIONS[section]) - rows.keys()}"
    for key in SECTIONS[section]:
        kind, default, example, meaning = rows[key]
        assert kind and default and meaning, key
        assert f"{key.split('.')[-1]}:" in example or key == "publisher", f"{key}: the example shows the key"


@pytest.mark.parametrize("key", ENTRIES)
def test_the_keys_of_each_entry_are_named_in_its_row(key):
    row = " ".join(table("Article front matter")[key])
    assert all(f"`{part}`" in row or f"{part}:" in row or f"{part}," in row or f"{part}}}" in row
               for part in ENTRIES[key]), row


@pytest.mark.skipif(not CONTRACT.exists(), reason="the team's contract is not beside this repository")
def test_the_schema_reads_every_key_of_the_contract():
    text = CONTRACT.read_text(encoding="utf-8")
    named = set()
    for heading, body in re.findall(r"^## (.+?)\n(.*?)(?=^## |\Z)", text, re.M | re.S):
        if heading.split()[0] in ("site.yaml", "edition.yaml", "page.yaml", "Article"):
            named |= set(re.findall(r"^\| `(\w+)` \|", body, re.M))
    known = {key.split(".")[-1] for keys in SECTIONS.values() for key in keys}
    assert named and named <= known, named - known


def test_every_template_is_documented_with_its_variables():
    text = (DOCS / "theme.md").read_text(encoding="utf-8")
    for name in render.TEMPLATES:
        assert (theme.TEMPLATES / name).is_file(), name
        assert re.search(rf"^\| [^|]*`{re.escape(name)}`", text, re.M), f"{name} has a row in docs/theme.md"


def test_every_command_is_documented():
    text = (DOCS / "commands.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"\n## {name}\n" in text and f"broadsheet {name}" in text, name


def test_no_link_in_the_readme_or_the_docs_leaves_the_repository():
    for page in [PROJECT / "README.md", *sorted(DOCS.glob("*.md"))]:
        text = re.sub(r"`[^`\n]*`", "", page.read_text(encoding="utf-8"))  # code shows links, it makes none
        assert "shared/" not in text, f"{page.name} names a folder outside the repository"
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = (page.parent / target.split("#")[0]).resolve()
            assert path.is_relative_to(PROJECT) and path.exists(), f"{page.name}: {target}"
