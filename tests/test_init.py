"""`init DIR`: a new paper that builds at once, and a folder holding a paper left alone."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from broadsheet.articles import ARTICLE_KEYS
from broadsheet.cli import main
from broadsheet.config import PUBLISHER_KEYS, SITE_KEYS
from conftest import PROJECT, Run, Site, snapshot, warnings_of
from crawl import crawl


def init(*args: str) -> Run:
    """Run `init` in-process, as `broadsheet init …`."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(["init", *args], prog="broadsheet")
        except SystemExit as exc:
            status = exc.code
    return Run(status, out.getvalue(), err.getvalue())


def today(zone: str) -> str:
    return datetime.now(ZoneInfo(zone)).date().isoformat()


def test_init_writes_a_paper_that_builds_at_once_and_a_reader_can_crawl(tmp_path):
    run = init(str(tmp_path / "paper"))
    assert run.status == 0, run.err
    paper = Site(tmp_path / "paper")
    built = paper.run("--strict")
    assert built.status == 0, built.err
    assert built.out.startswith("Built 1 edition, 1 page, 1 article")
    found = crawl(paper.out)
    day = today("Asia/Shanghai")
    assert {f"{day}/index.html", f"{day}/01/index.html", f"{day}/01/welcome.html", "archive/index.html"} <= found.pages
    assert "static/css/broadsheet.css" in found.files
    assert (found.broken, found.absolute, found.unnamed) == ([], [], [])


def test_init_writes_the_files_it_lists_and_the_next_two_commands(tmp_path):
    run = init(str(tmp_path / "paper"), "--title", "河川日报")
    day = today("Asia/Shanghai")
    written = ["site.yaml", f"content/{day}/01/page.yaml", f"content/{day}/01/welcome.md",
               f"content/{day}/edition.yaml", "content/columns.yaml", "templates/README.md", ".gitignore"]
    assert run.out == (f"Created a new paper in {tmp_path / 'paper'}:\n" + "".join(f"  {rel}\n" for rel in written)
                       + f"Next:\n  cd {tmp_path / 'paper'}\n"
                       "  broadsheet build      # then open _site/index.html ('serve' to see it live)\n")
    files = sorted(p.relative_to(tmp_path / "paper").as_posix() for p in (tmp_path / "paper").rglob("*") if p.is_file())
    assert files == sorted(written)
    assert [p.name for p in (tmp_path / "paper/templates").iterdir()] == ["README.md"]
    assert "/_site/" in (tmp_path / "paper/.gitignore").read_text(encoding="utf-8")


def test_the_new_site_yaml_shows_and_explains_every_key(tmp_path):
    for language in ("zh-CN", "en"):
        assert init(str(tmp_path / language), "--language", language).status == 0
        text = (tmp_path / language / "site.yaml").read_text(encoding="utf-8")
        lines = text.splitlines()
        for key in SITE_KEYS:
            at = next(i for i, line in enumerate(lines) if re.match(rf"#? ?{key}:", line))
            assert lines[at - 1].startswith("# "), f"{language}: '{key}' has a comment above it"
        for key in PUBLISHER_KEYS:
            assert re.search(rf"^#   {key}: ", text, re.M), key


def test_the_welcome_article_uses_the_main_keys_and_shows_the_others(tmp_path):
    assert init(str(tmp_path / "paper")).status == 0
    text = next((tmp_path / "paper/content").rglob("welcome.md")).read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    used = set(re.findall(r"^(\w+):", front, re.M))
    assert {"title", "kicker", "subtitle", "byline", "dateline", "column", "tags", "summary"} <= used
    assert used | set(re.findall(r"^# (\w+):", front, re.M)) == set(ARTICLE_KEYS)


def test_an_english_paper_gets_english_copy_and_page_a1(tmp_path):
    assert init(str(tmp_path / "gazette"), "--language", "en", "--title", 'The "Riverside": Gazette').status == 0
    paper = Site(tmp_path / "gazette")
    run = paper.run()
    assert run.status == 0 and not warnings_of(run), run.err
    welcome = paper.read(f"{today('UTC')}/A1/welcome.html")
    assert '<html lang="en"' in welcome and "Welcome to Broadsheet" in welcome
    assert "The &#34;Riverside&#34;: Gazette" in welcome or "The &quot;Riverside&quot;: Gazette" in welcome


def test_a_chinese_paper_passes_the_copy_editing_lint(tmp_path):
    assert init(str(tmp_path / "paper")).status == 0
    run = Site(tmp_path / "paper").run("check", "--strict")
    assert run.status == 0, run.err


@pytest.mark.parametrize("held", ["site.yaml", "content/2026-11-27/01/a.md", ".gitignore"])
def test_init_refuses_a_folder_that_holds_a_paper_or_a_file_it_would_write_and_changes_nothing(tmp_path, held):
    folder = tmp_path / "paper"
    (folder / held).parent.mkdir(parents=True, exist_ok=True)
    (folder / held).write_text("mine\n", encoding="utf-8")
    before = snapshot(folder)
    run = init(str(folder))
    assert run.status == 1
    assert run.err.startswith(f"{folder}: already ") and run.err.endswith("; nothing changed\n")
    assert snapshot(folder) == before
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == {held}


def test_init_fills_an_empty_existing_folder(tmp_path):
    (tmp_path / "paper").mkdir()
    assert init(str(tmp_path / "paper")).status == 0
    assert (tmp_path / "paper/site.yaml").is_file()


def test_build_py_init_works_too_and_names_build_py_in_the_next_steps(tmp_path):
    run = subprocess.run([sys.executable, str(PROJECT / "build.py"), "init", "paper", "--language", "en"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    follow = run.stdout.splitlines()[-1].split("#")[0].split()
    assert follow == ["python", os.path.relpath(PROJECT / "build.py", (tmp_path / "paper").resolve()), "build"]
    again = subprocess.run([sys.executable, *follow[1:]], cwd=tmp_path / "paper", capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Built 1 edition, 1 page, 1 article")


def test_a_wrong_language_is_a_command_line_error(tmp_path):
    run = init(str(tmp_path / "paper"), "--language", "fr")
    assert run.status == 2 and "invalid choice: 'fr'" in run.err
    assert not (tmp_path / "paper").exists()


def test_init_of_the_current_folder_names_build_and_serve(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = init(".")
    assert run.status == 0
    assert run.out.splitlines()[-2:] == [
        "  broadsheet build      # then open _site/index.html",
        "  broadsheet serve      # to see it at http://127.0.0.1:8000/ as you edit",
    ]
