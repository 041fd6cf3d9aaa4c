"""Contract: site.yaml, edition.yaml, page.yaml, columns.yaml and the layout of content/."""

import os

import pytest

from conftest import errors_of, warnings_of


@pytest.mark.parametrize(
    "text, message",
    [
        ("titel: 日报\n", "site.yaml:1: unknown key 'titel' (did you mean 'title'?)"),
        ("title: 日报\nlanguage: fr\n", "site.yaml:2: 'language' must be zh-CN or en, got 'fr'"),
        ("title: 日报\nlanguage: zh-cn\n", "site.yaml:2: 'language' must be zh-CN or en, got 'zh-cn' (did you mean 'zh-CN'?)"),
        ("title: 日报\nbase_url: example.com\n",
         "site.yaml:2: 'base_url' must be an absolute URL like https://news.example.org/, got 'example.com'"),
        ("title: 日报\ntimezone: Asia/Shangai\n", "site.yaml:2: unknown time zone 'Asia/Shangai' (did you mean 'Asia/Shanghai'?)"),
        ("description: x\n", "site.yaml:1: missing required key 'title' in site.yaml"),
        ("title: 日报\npublisher: 日报社\n", "site.yaml:2: 'publisher' must be a mapping of keys, got text"),
        ("title: 日报\npublisher:\n  logo: static/nologo.png\n", "site.yaml:3: publisher logo 'static/nologo.png' not found"),
        ("title: 日报\npublisher:\n  nmae: 日报社\n", "site.yaml:3: unknown key 'nmae' (did you mean 'name'?)"),
        ("title: [日报]\n", "site.yaml:1: 'title' must be text, got a list"),
        ("title: 日报: 数字版\n", "site.yaml:1: a value containing ': ' must be in quotes: title: \"日报: 数字版\""),
    ],
)
def test_site_yaml_bad_values(site, text, message):
    site.write("site.yaml", text)
    run = site.run()
    assert run.status == 1
    assert errors_of(run) == [message]


def test_missing_site_yaml_is_an_error(site):
    (site.root / "site.yaml").unlink()
    run = site.run_process()
    assert run.status == 1
    assert run.err.splitlines()[0] == "site.yaml: not found: run in a site folder or pass --config FILE"


@pytest.mark.parametrize(
    "rel, text, message",
    [
        ("content/2026-11-27/edition.yaml", "number: 八千\n", "content/2026-11-27/edition.yaml:1: 'number' must be a whole number, got '八千'"),
        ("content/2026-11-27/edition.yaml", "numbr: 1\n", "content/2026-11-27/edition.yaml:1: unknown key 'numbr' (did you mean 'number'?)"),
        ("content/2026-11-27/01/page.yaml", "nme: 要闻\n", "content/2026-11-27/01/page.yaml:1: unknown key 'nme' (did you mean 'name'?)"),
        ("content/2026-11-27/01/page.yaml", "name: 要闻\nimage: images/page.png\n",
         "content/2026-11-27/01/page.yaml:2: page image 'images/page.png' not found"),
        ("content/2026-11-27/01/page.yaml", "pdf: ../../../../etc/passwd\n",
         "content/2026-11-27/01/page.yaml:1: PDF '../../../../etc/passwd' is outside content/"),
        ("content/2026-11-27/01/page.yaml", "editor: {a: b}\n", "content/2026-11-27/01/page.yaml:1: 'editor' must be a list, got a mapping"),
        ("content/columns.yaml", "党员先锋故事: {slug: 党员}\n",
         "content/columns.yaml:1: 'slug' '党员' may contain only lowercase letters, digits and '-'"),
        ("content/columns.yaml", "党员先锋故事: {slg: a}\n", "content/columns.yaml:1: unknown key 'slg' (did you mean 'slug'?)"),
    ],
)
def test_edition_page_and_column_files_bad_values(site, rel, text, message):
    site.write(rel, text)
    assert errors_of(site.run()) == [message]


@pytest.mark.parametrize(
    "rel, message",
    [
        ("content/notes.md", "content/notes.md: Markdown file outside any edition/page folder"),
        ("content/2026-11-27/lost.md",
         "content/2026-11-27/lost.md: Markdown file outside any page folder: articles go in a page folder like 01/"),
        ("content/drafts/a.md", "content/drafts: folder is not an edition: editions are named by their date, YYYY-MM-DD"),
        ("content/2026-11-27/front/a.md",
         "content/2026-11-27/front: folder is not a page: pages are named by their label, like 01, 2, A1 or B03"),
        ("content/2026-02-30/01/a.md", "content/2026-02-30: edition folder '2026-02-30' is not a real date"),
        ("content/site.yaml", "content/site.yaml: YAML file not used here: content/ holds only columns.yaml and edition folders"),
        ("content/2026-11-27/01/pages.yaml", "content/2026-11-27/01/pages.yaml: YAML file not used here (did you mean 'page.yaml'?)"),
        ("content/2026-11-27/01/images/a.md",
         "content/2026-11-27/01/images/a.md: Markdown or YAML file in a page's sub-folder: articles and page.yaml go in the page folder itself"),
    ],
)
def test_nothing_under_content_is_silently_skipped(site, rel, message):
    site.write(rel, "---\ntitle: x\n---\n")
    assert errors_of(site.run()) == [message]


def test_unreferenced_file_is_a_warning_and_not_copied(site):
    site.write("content/2026-11-27/01/images/unused.jpg", b"x")
    run = site.run()
    assert run.status == 0
    assert warnings_of(run) == [
        "content/2026-11-27/01/images/unused.jpg: warning: file is not referenced by any article or page; not copied"
    ]
    assert not (site.out / "2026-11-27/01/images/unused.jpg").exists()


@pytest.mark.parametrize("name", [".DS_Store", "story.md~", "#story.md#", ".story.md.swp", "Thumbs.db"])
def test_hidden_and_editor_files_are_ignored(site, name):
    site.write(f"content/2026-11-27/01/{name}", "junk")
    run = site.run()
    assert run.status == 0 and run.err == ""


def test_symlink_out_of_the_site_is_an_error_and_not_followed(site, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: 机密\n---\n机密内容\n", encoding="utf-8")
    os.symlink(secret, site.root / "content/2026-11-27/01/leak.md")
    run = site.run()
    assert errors_of(run) == ["content/2026-11-27/01/leak.md: symbolic link to a path outside the site; not followed"]


def test_two_labels_for_one_page_are_an_error(site):
    site.article("2026-11-27/1/a.md")
    assert errors_of(site.run()) == ["content/2026-11-27/1: page 1 is the same page as 01: use one label"]


