"""Property tests: arbitrary text and bytes never raise a traceback or hang the reader and validator."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from broadsheet.config import load_config
from broadsheet.content import load_site
from broadsheet.problems import Problems
from broadsheet.schema import Reader
from broadsheet.sources import Unreadable, compose, decode, split_front_matter

KEYS = ["title", "kicker", "byline", "photos", "date", "area", "continued_on", "corrections", "tags", "order",
        "columns", "draft", "slug", "role", "names", "src", "page", "[", "]", "{", "}", "-", ":", "&a", "*a",
        "!!python/object", "'", '"', "\t", "\n", "  ", "#", "---", "2026-11-27", "01", "本报记者", "\x00", "\ufeff"]
yamlish = st.lists(st.sampled_from(KEYS) | st.text(max_size=5), max_size=40).map("".join)
FAST = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(st.binary(max_size=300))
def test_decode_either_returns_text_or_says_why(data):
    try:
        text = decode(data)
    except Unreadable as exc:
        assert exc.message
    else:
        assert "\r" not in text


@FAST
@given(st.text(max_size=300) | yamlish)
def test_front_matter_split_never_raises(text):
    problems = Problems()
    document = split_front_matter("---\n" + text + "\n---\nbody", "a.md", problems)
    assert document is not None or problems.errors


@FAST
@given(yamlish)
def test_yaml_compose_reports_problems_at_lines_inside_the_text(text):
    problems = Problems()
    compose(text, "a.yaml", problems, first_line=2)
    breaks = sum(text.count(mark) for mark in ("\n", "\x85", "\u2028", "\u2029"))  # YAML's line breaks
    for problem in problems.errors:
        assert 2 <= problem.line <= breaks + 3


@FAST
@given(yamlish)
def test_validating_any_mapping_never_raises(text):
    problems = Problems()
    node = compose(text, "a.md", problems)
    read = Reader("a.md", problems)
    keys = read.mapping(node, ["title", "byline", "date", "tags"], required=["title"]) or {}
    for key, value in keys.items():
        read.string(key, value)
        read.integer(key, value)
        read.string_list(key, value)
        read.sequence(key, value)
        read.boolean(key, value)


@settings(max_examples=60, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400) | yamlish.map(lambda t: ("---\n" + t + "\n---\n正文。\n").encode("utf-8", "surrogatepass")))
def test_loading_a_site_with_any_article_never_raises(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("prop")
    (root / "site.yaml").write_text("title: 测试\n", encoding="utf-8")
    page = root / "content" / "2026-11-27" / "01"
    page.mkdir(parents=True)
    (page / "a.md").write_bytes(data)
    problems = Problems()
    config = load_config(Path(root / "site.yaml"), problems)
    site = load_site(config, problems)
    assert site is not None or problems.errors
    for problem in problems.items:
        assert problem.path.startswith("content/")


# The direct HTML of plain bodies is Python-Markdown's, byte for byte ---------------------------

PIECES = ["网格员", "冬小麦。", "Bridge", "the", "2026", "1.", "3)", "#", "## ", "### ", "###### ", "####### ",
          "\n", "\n\n", "\n\n\n", " ", "  ", "\t", "\u3000", "\u00a0", "-", "--", "...", "+", "=", ">", "<", "&",
          "*", "_", "`", "[", "]", "!", "|", "{", "}", ":", "'", '"', "\\", "~", "，", "“", "”", "é", "e\u0301"]
bodyish = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=40).map("".join)
# mostly what the direct way takes, with a little of what it must not
plainish = st.lists(st.sampled_from(["网格员", "冬小麦。", "Bridge", "2026", "\n", "\n\n", "### ", "# ", "## ", " ", "1.",
                                     "#", "-", "\u3000", "'", '"', "...", "--", "“"]), max_size=30).map("".join)
# newsroom copy: bold, italics, links, quotes and lists, and what comes near them
RICH = ["网格员", "冬小麦。", "Bridge", "2026", "\n", "\n\n", "\n\n\n", " ", "**", "*", "***", "[", "]", "(", ")", "](",
        "https://example.org/zt/1", "http://a.b/?q=1#x", "a.md", "> ", ">", "- ", "-", "1. ", "2. ", "1.", "* ", "+ ",
        "\n- ", "\n> ", "\n1. ", "### ", "#", "_", "\u3000", "“", "'", "...", "\t", "  "]
richish = st.lists(st.sampled_from(RICH), max_size=40).map("".join)
# tables: a header, a rule and rows of cells, mostly as the direct way takes them
CELLS = [" 网格员 ", "冬小麦", " **茶园** ", " [专题](https://a.org/1) ", " 2026 ", " a b ", " *x* ", " - ", "---"] * 30 + [
    "", "  ", "\u3000x", "x\u00a0", " > x ", " 1. ", " # x ", "`x`", "\\", ":", "_x_", "&", "x'y", "x  ", "**x"]
RULES = ["---", " - ", "--", " --- "] * 20 + [":--", "--:", " ", "-:-", "- -", "", "-x"]
EDGES = ["", "", "", "\n", "\n\n", "段落。\n\n", "段落。\n", "\n\n- 一项", "\n\n> 引文", " ", "\n\n| a | b |\n|-|-|\n| c | d |"]


def _row(cells: list[str], left: bool, right: bool) -> str:
    return ("|" if left else "") + "|".join(cells) + ("|" if right else "")


@st.composite
def tableish(draw) -> str:
    columns = draw(st.integers(1, 3))
    width = st.integers(max(1, columns - 1), columns + 1) if draw(st.booleans()) else st.just(columns)
    header = draw(st.lists(st.sampled_from(CELLS), min_size=columns, max_size=columns))
    rule = draw(st.lists(st.sampled_from(RULES), min_size=columns, max_size=columns))
    rows = [draw(st.lists(st.sampled_from(CELLS), min_size=n, max_size=n)) for n in draw(st.lists(width, max_size=4))]
    borders = st.sampled_from([(True, True)] * 40 + [(True, False), (False, True), (False, False)])
    lines = [_row(cells, *draw(borders)) for cells in [header, rule, *rows]]
    return draw(st.sampled_from(EDGES)) + "\n".join(lines) + draw(st.sampled_from(EDGES[:7]))


def _python_markdown(language: str, body: str) -> str:
    """The body through Python-Markdown alone, the way `markup.Renderer` configures it."""
    from broadsheet import markup

    converter, _ = markup.Renderer(language).python_markdown("x")
    return converter.convert(body)


@settings(max_examples=1500, deadline=None)
@given(bodyish | plainish | richish, st.sampled_from(["zh-CN", "en"]))
@example("*网格员**网格员*\n", "zh-CN")  # marks that touch: Python-Markdown pairs them otherwise
def test_direct_bodies_get_exactly_the_html_python_markdown_gives(body, language):
    from broadsheet import markup

    direct = markup.plain_html(body, smart=language == "en")
    if direct is not None:
        assert direct == _python_markdown(language, body)


@settings(max_examples=1000, deadline=None)
@given(tableish(), st.sampled_from(["zh-CN", "en"]))
@example("| 网格员 | 网格员 |\n|---|---|\n冬小麦| 网格员 |", "zh-CN")  # a row without its left border
def test_direct_tables_get_exactly_the_html_python_markdown_gives(body, language):
    from broadsheet import markup, sanitize

    direct = markup.plain_html(body, smart=language == "en")
    if direct is not None:
        assert direct == _python_markdown(language, body)
        if "\u00a0" not in direct:
            assert sanitize.clean(direct, lambda what, needle: pytest.fail(what)) == direct


def test_paragraphs_and_sub_heads_take_the_direct_way():
    from broadsheet import markup

    body = "入冬以来，我市抢抓农时。\n第二行。\n\n### 麦田管理\n\n田间管理不放松。\n"
    assert markup.plain_html(body) == "<p>入冬以来，我市抢抓农时。\n第二行。</p>\n<h2>麦田管理</h2>\n<p>田间管理不放松。</p>"
    assert markup.plain_html(body) == _python_markdown("zh-CN", body)


def test_bold_italics_links_quotes_and_simple_lists_take_the_direct_way():
    from broadsheet import markup

    for body in ["**本报讯** 入冬以来，*据悉*，详见[专题](https://example.org/zt/1)。", "> “今年收成好。”\n> 村民说。",
                 "- 第一项\n- 第二项", "1. 第一项\n2. 第二项", "段落。\n\n- 一项\n\n### 小标题\n\n> 引文",
                 "| 项目 | 数量 |\n|---|---|\n| **冬小麦** | 783 |\n| 茶园 | [632](https://a.org/1) |", "|a|b|\n|-|-|\n|c|d|"]:
        assert markup.plain_html(body) is not None, body
        assert markup.plain_html(body) == _python_markdown("zh-CN", body)


def test_anything_that_may_be_markdown_goes_to_python_markdown():
    from broadsheet import markup

    for body in ["* 列表", "+ 列表", "1) 列表", "- 列表\n\n- 第二项", "> 引文\n\n> 第二段", "- 列表\n  续行", ">引文",
                 "    代码", "__粗体__", "***粗斜体***", "** 粗体**", "[链接](a.md)", "[链接](https://a.org/x y)", "[链接](https://a.org/a&b)",
                 "正文  \n换行", "标题\n===", "| a | b |\n|:-|-|\n| c | d |", "| a | b |\n|-|-|",
                 "| a | b |\n|-|-|\n| c |", "| a | b |\n|-|-|\n|  | d |", "段落\n| a | b |\n|-|-|\n| c | d |", "### 标题 ###", "### 标题\n正文", "a | b", "脚注[^1]", "{: .x}", "&amp;",
                 "<b>x</b>", "\u3000\u3000缩进"]:
        assert markup.plain_html(body) is None, body
    assert markup.plain_html("It's \"quoted\" -- and...", smart=True) is None


@settings(max_examples=600, deadline=None)
@given(bodyish | plainish | richish)
def test_the_sanitiser_leaves_direct_html_without_no_break_spaces_as_it_is(body):
    from broadsheet import markup, sanitize

    direct = markup.plain_html(body)
    if direct is not None and "\u00a0" not in direct:
        assert sanitize.clean(direct, lambda what, needle: pytest.fail(what)) == direct
