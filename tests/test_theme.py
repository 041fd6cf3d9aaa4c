"""The default theme ships in the package; a site's templates/ and static/ override it file by file."""

from __future__ import annotations

import re
import shutil

from broadsheet import theme
from conftest import PROJECT, errors_of, tree

ARTICLES = {"2026-11-27/01/story.html", "2026-11-27/01/second.html", "2026-11-27/02/third.html"}


def test_a_site_with_no_templates_or_static_folder_builds_with_the_packaged_theme(site):
    assert not (site.root / "templates").exists() and not (site.root / "static").exists()
    assert site.run().status == 0
    assert site.read("static/css/broadsheet.css") == (theme.STATIC / "css/broadsheet.css").read_text(encoding="utf-8")
    assert 'href="../../static/css/broadsheet.css"' in site.read("2026-11-27/01/story.html")


def test_an_article_override_extending_base_changes_the_article_pages_only(site):
    site.article("2026-11-27/01/second.md", "title: 第二篇\n")
    site.article("2026-11-27/02/third.md", "title: 第三篇\n")
    assert site.run().status == 0
    before = tree(site.out)
    documented = (PROJECT / "docs/theme.md").read_text(encoding="utf-8")
    site.write("templates/article.html", re.search(r"```jinja\n(.*?)```", documented, re.S).group(1))
    run = site.run("--clean")
    assert run.status == 0, run.err
    after = tree(site.out)
    assert after.keys() == before.keys()
    assert {url for url in after if after[url] != before[url]} == ARTICLES
    page = site.read("2026-11-27/01/second.html")
    assert re.search(r'<article class="story">\s*<h1>第二篇</h1>', page)
    assert "测试日报" in page and "broadsheet.css" in page, "the theme's base.html is still around it"


def test_a_static_file_of_the_site_replaces_the_themes_of_that_name_only(site):
    site.write("static/css/broadsheet.css", "body { color: #222 }\n")
    site.write("static/css/extra.css", "p { margin: 0 }\n")
    assert site.run().status == 0
    assert site.read("static/css/broadsheet.css") == "body { color: #222 }\n"
    assert site.read("static/css/extra.css") == "p { margin: 0 }\n"


def test_an_override_with_a_syntax_error_is_reported_at_its_own_line(site):
    site.write("templates/front.html", '{% extends "base.html" %}\n{% block main %}\n{% if %}\n{% endblock %}\n')
    run = site.run()
    assert run.status == 1
    assert errors_of(run) == ["templates/front.html:3: Expected an expression, got 'end of statement block'"]


def test_a_readme_in_the_templates_folder_is_not_read_as_a_template(site):
    site.write("templates/README.md", "Copy a template here, e.g. `{% extends \"base.html\" %}` and {{ oops\n")
    assert site.run().status == 0


def test_an_error_in_the_packaged_theme_is_reported_at_that_file(site, tmp_path, monkeypatch):
    copy = tmp_path / "theme"
    shutil.copytree(theme.TEMPLATES, copy)
    base = copy / "base.html"
    lines = base.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, "{{ no_such_variable }}\n")
    base.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr(theme, "TEMPLATES", copy)
    errors = errors_of(site.run())
    assert errors and all(e.startswith(f"{base.as_posix()}:3: 'no_such_variable' is undefined") for e in errors)
