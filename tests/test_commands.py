"""Contract: the commands, their options, exit statuses and what they leave on disk."""

import subprocess
import sys

import pytest

from broadsheet import __version__
from broadsheet.cli import COMMANDS
from conftest import PROJECT, errors_of, snapshot


def test_build_writes_the_site_and_a_marker(site):
    assert site.run().status == 0
    for rel in ["index.html", "2026-11-27/index.html", "2026-11-27/01/index.html",
                "2026-11-27/01/story.html", "archive/index.html", "columns/index.html",
                "static/css/broadsheet.css", ".broadsheet"]:
        assert (site.out / rel).is_file(), rel


def test_failing_build_leaves_the_previous_output_byte_identical(site):
    assert site.run().status == 0
    before = snapshot(site.out)
    site.article("2026-11-27/01/story.md", "title: 改了\nkicker: [坏]\n")
    run = site.run()
    assert run.status == 1
    assert run.err.splitlines()[-1] == "1 error; nothing written."
    assert snapshot(site.out) == before
    assert sorted(p.name for p in site.root.iterdir()) == [".broadsheet-cache", "_site", "content", "site.yaml"]


def test_template_error_at_render_time_leaves_the_previous_output(site):
    assert site.run().status == 0
    before = snapshot(site.out)
    site.write("templates/article.html", "{% extends 'base.html' %}{% block main %}\n{{ article.hedline }}\n{% endblock %}\n")
    run = site.run()
    assert errors_of(run) == [
        "templates/article.html:2: 'Article' has no attribute 'hedline' (while rendering 2026-11-27/01/story.html)"
    ]
    assert snapshot(site.out) == before


def test_template_syntax_error_names_template_and_line(site):
    site.write("templates/page.html", "{% extends 'base.html' %}\n{% block main %}\n{% if page %}\n{% endblock %}\n")
    assert errors_of(site.run()) == [
        "templates/page.html:4: Encountered unknown tag 'endblock'. You probably made a nesting mistake. "
        "Jinja is expecting this tag, but currently looking for 'elif' or 'else' or 'endif'. "
        "The innermost block that needs to be closed is 'if'."
    ]


def test_two_builds_of_the_same_input_are_byte_identical(site, tmp_path):
    site.article("2026-11-27/02/b.md", "title: 第二版\ncolumn: 时评\ntags: [a, b]\n")
    assert site.run("--out", str(tmp_path / "one")).status == 0
    assert site.run("--out", str(tmp_path / "two")).status == 0
    one = {k: v[0] for k, v in snapshot(tmp_path / "one").items()}
    two = {k: v[0] for k, v in snapshot(tmp_path / "two").items()}
    assert one == two


def test_check_writes_nothing(site):
    run = site.run("check")
    assert run.status == 0
    assert run.out.startswith("Checked 1 edition, 1 page, 1 article in ")
    assert not site.out.exists()
    assert not list(site.root.glob("_site*"))


def test_check_reports_template_errors_too(site):
    site.write("templates/article.html", "{{ article.nothing }}")
    assert site.run("check").status == 1


def test_drafts_are_left_out_unless_asked(site):
    site.article("2026-11-27/01/draft.md", "title: 草稿\ndraft: true\n")
    assert site.run().status == 0
    assert not (site.out / "2026-11-27/01/draft.html").exists()
    assert site.run("--drafts").status == 0
    assert (site.out / "2026-11-27/01/draft.html").exists()


def test_quiet_prints_nothing_on_success(site):
    run = site.run("--quiet")
    assert (run.status, run.out, run.err) == (0, "", "")


def test_base_url_option_sets_canonical_links(site):
    assert site.run("--base-url", "https://paper.example.com/e/").status == 0
    assert '<link rel="canonical" href="https://paper.example.com/e/2026-11-27/01/story.html">' in site.read(
        "2026-11-27/01/story.html"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["publish"], "invalid choice: 'publish'"),
        (["--colour"], "unrecognized arguments: --colour"),
        (["build", "extra"], "unrecognized arguments: extra"),
        (["new"], "the following arguments are required: DATE/PAGE/SLUG"),
        (["new", "2026-11-27/story"], "'2026-11-27/story' must be DATE/PAGE/SLUG"),
        (["new", "27-11-2026/01/story"], "'27-11-2026' is not a date in the form YYYY-MM-DD"),
        (["new", "2026-11-27/front/story"], "'front' is not a page label like 01, 2, A1 or B03"),
        (["--base-url", "paper.example.com"], "--base-url must be an absolute URL"),
        (["--quiet", "--verbose"], "argument -v/--verbose: not allowed with argument -q/--quiet"),
        (["build", "--port", "9999"], "unrecognized arguments: --port 9999 (--port is an option of serve only)"),
        (["check", "--host", "0.0.0.0"], "unrecognized arguments: --host 0.0.0.0 (--host is an option of serve only)"),
        (["check", "--out", "x"], "(--out is an option of build and serve only)"),
    ],
)
def test_wrong_command_line_exits_2(site, args, message):
    run = site.run(*args)
    assert run.status == 2
    assert message in run.err


@pytest.mark.parametrize("out", [".", "..", "content", "content/x", "templates"])
def test_dangerous_out_is_refused_with_exit_2(site, out):
    before = snapshot(site.root)
    run = site.run("--out", str(site.root / out))
    assert run.status == 2
    assert "refusing" in run.err
    assert snapshot(site.root) == before


def test_out_folder_not_made_by_broadsheet_is_refused(site, tmp_path):
    other = tmp_path / "precious"
    other.mkdir()
    (other / "thesis.txt").write_text("keep me")
    run = site.run("--out", str(other))
    assert run.status == 2
    assert "did not make" in run.err
    assert (other / "thesis.txt").read_text() == "keep me"


def test_stale_staging_folders_are_removed(site):
    stale = site.root / "_site.staging-999999999"
    stale.mkdir()
    (stale / "half.html").write_text("half")
    assert site.run().status == 0
    assert not stale.exists()


def test_new_creates_an_article_that_builds_as_a_draft(site):
    run = site.run("new", "2026-11-28/02/dongchu-baicai")
    assert run.status == 0
    path = site.root / "content/2026-11-28/02/dongchu-baicai.md"
    assert run.out == (
        "Created content/2026-11-28/02/dongchu-baicai.md as a draft: it is published once you delete its line 'draft: true'\n")
    assert "date: 2026-11-28 08:00" in path.read_text(encoding="utf-8")
    assert site.run("--strict").status == 0
    assert not (site.out / "2026-11-28").exists()
    assert site.run("--drafts").status == 0
    assert (site.out / "2026-11-28/02/dongchu-baicai.html").exists()


def test_new_never_overwrites(site):
    run = site.run("new", "2026-11-27/01/story")
    assert run.status == 1
    assert run.err == "content/2026-11-27/01/story.md: already exists; not overwritten\n"


def test_errors_never_show_a_traceback(site):
    site.write("content/2026-11-27/01/story.md", b"---\ntitle: \xff\xfe\n---\n")
    site.write("templates/front.html", "{% for %}")
    run = site.run_process()
    assert run.status == 1
    assert "Traceback" not in run.err
    assert run.err.splitlines()[-1] == "2 errors; nothing written."


def test_build_py_runs_from_the_site_folder(site):
    run = site.run_process()
    assert run.status == 0, run.err
    assert run.out.startswith("Built 1 edition")
    assert run.out.rstrip().endswith("→ _site/")


def test_no_progress_bar_when_output_is_not_a_terminal(site):
    run = site.run_process()
    assert "\r" not in run.err and "#" not in run.err


def test_verbose_says_what_was_rendered_and_reused(site):
    first = site.run("--verbose")
    assert "rendered 16 of 16 outputs, copied 1 files" in first.err and "staged and swapped in" in first.err
    second = site.run("--verbose")
    assert "no input changed since the last build of this output: nothing to do" in second.err


def test_check_on_a_built_site_writes_nothing_either(site):
    assert site.run().status == 0
    from conftest import snapshot
    before = snapshot(site.root)
    assert site.run("check").status == 0
    assert snapshot(site.root) == before


def test_version_prints_the_package_version():
    run = subprocess.run([sys.executable, str(PROJECT / "build.py"), "--version"], capture_output=True, text=True)
    assert (run.returncode, run.stdout) == (0, f"broadsheet {__version__}\n")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_has_its_own_help_with_a_description_and_an_example(name, capsys):
    with pytest.raises(SystemExit) as exit:
        from broadsheet.cli import main
        main([name, "--help"], prog="broadsheet")
    shown = capsys.readouterr().out
    assert exit.value.code == 0
    assert shown.startswith(f"usage: broadsheet {name} ")
    assert COMMANDS[name].description.splitlines()[0] in shown
    assert f"example:\n  broadsheet {name}" in shown
    assert ("--port" in shown) == (name == "serve")


def test_help_names_the_program_as_it_was_typed(site):
    run = site.run_process("new", "--help")
    assert run.status == 0 and run.out.startswith("usage: build.py new ")
    script = PROJECT / ".venv" / "bin" / "broadsheet"
    if not script.exists():
        script = __import__("shutil").which("broadsheet")
    assert script, "the broadsheet command is installed with the package"
    installed = subprocess.run([str(script), "check", "--help"], capture_output=True, text=True)
    assert installed.returncode == 0 and installed.stdout.startswith("usage: broadsheet check ")


def test_the_top_help_lists_every_command_and_the_exit_statuses(capsys):
    from broadsheet.cli import main
    with pytest.raises(SystemExit):
        main(["--help"], prog="build.py")
    shown = capsys.readouterr().out
    assert all(f"    {name} " in shown for name in COMMANDS)
    assert "Exit status: 0 built, 1 the content or templates have errors, 2 the command line is wrong." in shown


def test_short_forms_of_quiet_and_verbose(site):
    assert site.run("-q").out == ""
    assert "rendered" in site.run("-v", "--clean").err
