"""`check` lints copy: repeated, unbalanced, half-width and cut text; warnings in build, errors with --strict."""

import pytest

from conftest import errors_of, warnings_of

P = "content/2026-11-27/01/story.md"


def lint(site, body, front="title: 标题\n", *args):
    site.article("2026-11-27/01/story.md", front, body)
    return site.run("check", *args)


@pytest.mark.parametrize(
    "body, warning",
    [
        ("记者走访了十多个村庄和农户。记者走访了十多个村庄和农户。\n",
         "5: warning: sentence repeated (first at line 5): “记者走访了十多个村庄和农户。”"),
        ("这一段写得很完整，没有问题。\n\n另起一段。\n\n这一段写得很完整，没有问题。\n",
         "9: warning: paragraph repeated (first at line 5)"),
        ("村民说：“今年收成不错。\n", "5: warning: unbalanced “”: 1 “ without ”"),
        ("他读了《河川志。\n", "5: warning: unbalanced 《》: 1 《 without 》"),
        ("会议在乡镇(街道)召开。\n", "5: warning: half-width ( ) between Chinese characters: use （ ） (…议在乡镇(街道)召…)"),
        ("大家好,欢迎光临。\n", "5: warning: half-width , between Chinese characters: use ， (…大家好,欢迎光临…)"),
        ("抓实行业管\n\n理、属地管理责任。\n",
         "5: warning: paragraph ends without closing punctuation and line 7 continues it: "
         "a word cut by a column break? (…抓实行业管 | 理、属地管理…)"),
        ("第一段。\n\n在街道里，一名巾\n", "7: warning: article ends without closing punctuation: text cut off? (…在街道里，一名巾)"),
    ],
)
def test_lint_rule_is_a_warning_at_its_line(site, body, warning):
    run = lint(site, body)
    assert run.status == 0
    assert warnings_of(run) == [f"{P}:{warning}"]


@pytest.mark.parametrize(
    "body",
    [
        "“第一段引语开始，\n\n“第二段接着说，到这里结束。”\n",  # a quotation over paragraphs opens each one
        "### 党建引领，星光闪耀\n\n“快来看。”\n",  # a sub-head needs no full stop
        "He said it's fine.\n\n*Robert Chen, Riverside*\n",  # an apostrophe and a signature
        "```\n代码 (a) 不检查\n```\n\n正文。\n",
        "| 项目 | 数量 |\n|---|---|\n| 大棚 | 12 |\n\n正文。\n",
        "记者(左)在村里走访。 <!-- lint: ignore=half-width -->\n",
        "记者(左)在村里走访。 <!-- lint: ignore -->\n",
    ],
)
def test_clean_or_silenced_copy_gets_no_warning(site, body):
    run = lint(site, body)
    assert warnings_of(run) == []


def test_a_silencing_comment_is_not_published(site):
    site.article("2026-11-27/01/story.md", "title: 标题\n", "记者(左)在村里走访。 <!-- lint: ignore -->\n")
    assert site.run().status == 0
    assert "lint" not in site.read("2026-11-27/01/story.html")


def test_silencing_one_rule_keeps_the_others(site):
    run = lint(site, "记者(左)在村里走访“。 <!-- lint: ignore=half-width -->\n")
    assert warnings_of(run) == [f"{P}:5: warning: unbalanced “”: 1 “ without ”"]


def test_photo_without_caption_is_a_warning_at_its_line(site):
    site.write("content/2026-11-27/01/images/a.png", _png())
    run = lint(site, "正文。\n", "title: 标题\nphotos:\n  - src: images/a.png\n    alt: 一张图\n")
    assert warnings_of(run) == [f"{P}:4: warning: photo has no caption"]


def test_photo_without_caption_or_alt_says_so(site):
    site.write("content/2026-11-27/01/images/a.png", _png())
    run = lint(site, "正文。\n", "title: 标题\nphotos:\n  - src: images/a.png  # lint: ignore=cut-off\n")
    assert warnings_of(run) == [f"{P}:4: warning: photo has neither caption nor alt text"]


def test_photo_warning_silenced_in_yaml_comment(site):
    site.write("content/2026-11-27/01/images/a.png", _png())
    run = lint(site, "正文。\n", "title: 标题\nphotos:\n  - src: images/a.png  # lint: ignore=photo-caption\n")
    assert warnings_of(run) == []


def test_lint_warnings_show_during_build_and_the_build_succeeds(site):
    site.article("2026-11-27/01/story.md", "title: 标题\n", "大家好,欢迎。\n")
    run = site.run()
    assert run.status == 0
    assert len(warnings_of(run)) == 1


def test_strict_makes_lint_warnings_errors(site):
    run = lint(site, "大家好,欢迎。\n", "title: 标题\n", "--strict")
    assert run.status == 1
    assert errors_of(run) == []
    assert run.err.splitlines()[-1] == "0 errors, 1 warning (errors with --strict); nothing written."


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(buffer, "PNG")
    return buffer.getvalue()
