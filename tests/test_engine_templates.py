"""The theme's templates compiled once for this engine (theme/compiled.py), as Python keeps an
engine's .pyc: a full build takes them instead of compiling the theme; an edited theme template,
a site's own template, a damaged file or one of another engine are compiled from their source."""

from __future__ import annotations

import pickle
import shutil

import pytest

from broadsheet import digests, render, theme
from broadsheet.theme import compiled
from conftest import tree

THEME = sorted(path.name for path in theme.TEMPLATES.iterdir() if theme.is_template(path.name))


@pytest.fixture
def engine_file(tmp_path, monkeypatch):
    """The engine's file of compiled theme templates, in a folder of the test's own."""
    path = tmp_path / "__pycache__" / "templates.pickle"  # (beside the theme, in the engine)
    monkeypatch.setattr(compiled, "FILE", path)
    return path


@pytest.fixture
def compiled_names(monkeypatch) -> list[str]:
    """The name of every template compiled (or analysed) from its source from now on, each
    build starting as a new process does: no environment, no template analysis kept."""
    names: list[str] = []
    original = render._Environment._parse

    def parse(self, source, name, filename):
        names.append(name)
        return original(self, source, name, filename)

    monkeypatch.setattr(render._Environment, "_parse", parse)
    monkeypatch.setattr(render, "_ENVIRONMENTS", {})
    monkeypatch.setattr(digests, "_ANALYSED", {})
    return names


def full_build(site, compiled_names: list[str], *args: str) -> list[str]:
    """The templates a full build (no build state: `--clean`) in a new process compiles."""
    render._ENVIRONMENTS.clear()
    digests._ANALYSED.clear()
    compiled_names.clear()
    run = site.run("--clean", *args)
    assert run.status == 0, run.err
    return sorted(compiled_names)


def test_a_full_build_compiles_no_theme_template_the_engine_kept_and_builds_the_same_site(
        site, tmp_path, engine_file, compiled_names):
    assert full_build(site, compiled_names) == THEME
    assert engine_file.exists()
    assert full_build(site, compiled_names, "--out", str(tmp_path / "again")) == []
    assert tree(tmp_path / "again") == tree(site.out)


def test_a_full_build_keeps_the_digests_a_fresh_compile_gives(site, engine_file, compiled_names):
    from broadsheet.changes import INDEX

    def kept() -> dict:
        with (site.root / ".broadsheet-cache" / "state" / INDEX).open("rb") as handle:
            _head, (rest, _tokens) = pickle.load(handle), pickle.load(handle)
        return {"outputs": pickle.loads(rest["outputs"]), "analyses": rest["analyses"]}

    full_build(site, compiled_names)
    fresh = kept()
    assert full_build(site, compiled_names) == []
    assert kept() == fresh


def test_make_compiles_the_theme_for_every_language(site, engine_file, compiled_names):
    render.compile_theme()
    assert full_build(site, compiled_names) == []
    site.write("site.yaml", "title: The Daily\nlanguage: en\n")
    assert full_build(site, compiled_names) == []


def test_an_edited_theme_template_is_compiled_from_its_source(site, tmp_path, monkeypatch, engine_file,
                                                              compiled_names):
    templates = tmp_path / "theme" / "templates"
    shutil.copytree(theme.TEMPLATES, templates)
    monkeypatch.setattr(theme, "TEMPLATES", templates)
    monkeypatch.setattr(compiled, "_THEME", str(templates) + "/")
    full_build(site, compiled_names)
    source = (templates / "article.html").read_text(encoding="utf-8")
    (templates / "article.html").write_text(source.replace("{% block main %}", "{% block main %}<!-- edited -->"),
                                            encoding="utf-8")
    assert full_build(site, compiled_names) == ["article.html"]
    assert "<!-- edited -->" in site.read("2026-11-27/01/story.html")
    assert full_build(site, compiled_names) == []  # the engine's file took the edited template in


def test_a_site_s_own_template_is_compiled_from_its_source_even_when_the_theme_s_is_the_same(
        site, engine_file, compiled_names):
    full_build(site, compiled_names)
    kept = engine_file.read_bytes()
    site.override("templates/article.html")
    assert full_build(site, compiled_names) == ["article.html"]
    assert engine_file.read_bytes() == kept  # nor does the engine keep it


def test_a_damaged_file_is_ignored_and_written_again(site, engine_file, compiled_names):
    engine_file.parent.mkdir(parents=True)
    engine_file.write_bytes(b"\x80\x05not a pickle")
    assert full_build(site, compiled_names) == THEME
    assert pickle.loads(engine_file.read_bytes())[0] == compiled.engine_key()


def test_a_file_of_another_engine_is_ignored(site, engine_file, compiled_names):
    full_build(site, compiled_names)
    _key, entries = pickle.loads(engine_file.read_bytes())
    engine_file.write_bytes(pickle.dumps(("another engine", entries)))
    assert full_build(site, compiled_names) == THEME


def test_a_build_that_cannot_write_the_file_still_builds(site, tmp_path, monkeypatch, compiled_names):
    (tmp_path / "read-only").write_text("a file, not a folder")
    monkeypatch.setattr(compiled, "FILE", tmp_path / "read-only" / "templates.pickle")
    assert full_build(site, compiled_names) == THEME
    assert full_build(site, compiled_names) == THEME
