"""YAML mistakes are reported at the line where they start, in plain words with the fix."""

import pytest
from conftest import errors_of, warnings_of

from broadsheet.problems import Problems
from broadsheet.sources import compose

P = "content/2026-11-27/01/story.md"
INDENT = "line up a list's '-' marks, and the keys of a list item, in one column"


@pytest.mark.parametrize(
    "front, message",
    [
        ('title: "青溪大桥今日通车\nkicker: 引题\nsubtitle: 副题\n',
         '2: the quote " opened here is never closed: end the value with "'),
        ("title: 标题\nkicker: '引题\nsubtitle: 副题\n",
         "3: the quote ' opened here is never closed: end the value with '"),
        ('title: "青溪"大桥通车\n', "2: text follows the closing quote; put the whole value in quotes: title: '\"青溪\"大桥通车'"),
        ("title: [快讯]青溪大桥今日正式通车仪式举行\n", '2: a value starting with [ must be in quotes: title: "[快讯]青溪大桥今日正式…"'),
        ("title: {快讯}大桥\n", '2: a value starting with { must be in quotes: title: "{快讯}大桥"'),
        ("title: 标题\nkicker: *重要*新闻\n", '3: a value starting with * must be in quotes: kicker: "*重要*新闻"'),
        ("title: & 新闻\n", '2: a value starting with & must be in quotes: title: "& 新闻"'),
        ("title: !重要 新闻\n", '2: a value starting with ! must be in quotes: title: "!重要 新闻"'),
        ("title: %50 增长\n", '2: a value starting with % must be in quotes: title: "%50 增长"'),
        ("title: @青溪发布 消息\n", '2: a value starting with @ must be in quotes: title: "@青溪发布 消息"'),
        ("title: `代码` 一词\n", '2: a value starting with ` must be in quotes: title: "`代码` 一词"'),
        ("title: 两会: 开幕\n", "2: a value containing ': ' must be in quotes: title: \"两会: 开幕\""),
        ("title: 标题\nbyline:\n\t- 张三\n", "4: tab character in YAML indentation; use spaces"),
        ("title: 标题\nkicker:引题\nsubtitle: 副题\n", "3: a space is missing after 'kicker:': write kicker: 引题"),
        ("title:青溪大桥\n", "2: a space is missing after 'title:': write title: 青溪大桥"),
        ("title: 标题\nbyline:\n  - role: 本报记者\n   names: [张三]\n",
         f"5: this line is indented 3 spaces, the lines above it 2 or 4: {INDENT}"),
        ("title: 标题\ntags:\n  - 大桥\n - 交通\n", f"5: this line is indented 1 space, the lines above it 0 or 2: {INDENT}"),
        ("title: 标题\nphotos:\n  - src: a.jpg\n    caption: 甲\n  - src: b.jpg\n     caption: 乙\n",
         "7: 'caption' is indented more than the key above it: line up the keys of one item in the same column"),
    ],
)
def test_yaml_mistake_is_explained_at_the_line_where_it_starts(site, front, message):
    site.article("2026-11-27/01/story.md", front)
    run = site.run()
    assert run.status == 1
    assert errors_of(run) == [f"{P}:{message}"]
    assert "<" not in run.err and "expected" not in run.err


@pytest.mark.parametrize("rest", ["kicker: 引题\n", "kicker: '*重要*'\n"])  # '*' sends it to the Python loader
def test_a_tab_after_a_colon_is_refused_by_both_loaders(rest):
    problems = Problems()
    assert compose("title:\t青溪\n" + rest, "x.yaml", problems) is None
    assert [str(p) for p in problems.items] == ["x.yaml:1: a tab after 'title:'; use a space"]


def test_a_lone_anchor_is_refused_with_the_same_message_by_both_loaders(site):
    site.article("2026-11-27/01/story.md", "title: &x Hi\n")
    assert errors_of(site.run()) == [f'{P}:2: a value starting with & must be in quotes: title: "&x Hi"']


def test_a_lone_anchor_in_site_yaml_is_refused(site):
    site.write("site.yaml", "title: &paper 日报\n")
    assert errors_of(site.run()) == ['site.yaml:1: a value starting with & must be in quotes: title: "&paper 日报"']


def test_a_value_swallowed_by_a_comment_is_a_warning_at_its_line(site):
    site.article("2026-11-27/01/story.md", "title: 标题\nkicker: #跨江通途\n")
    run = site.run()
    assert run.status == 0, run.err
    assert warnings_of(run) == [(
        f"{P}:3: warning: the value of 'kicker' is empty: '#' starts a comment in YAML; "
        "if it is part of the value, put it in quotes: kicker: \"#跨江通途\""
    )]


def test_a_list_item_indented_under_the_one_above_is_a_warning(site):
    site.article("2026-11-27/01/story.md", "title: 标题\ntags:\n- 大桥\n  - 交通\n")
    assert warnings_of(site.run()) == [(
        f"{P}:5: warning: this item is indented more than the '-' above it, so YAML joins it to "
        "that item's text: line up a list's '-' marks in one column"
    )]


def test_a_list_written_in_brackets_is_still_a_list(site):
    site.article("2026-11-27/01/story.md", "title: 标题\ntags: [大桥, 交通]\nkicker: 引题 # a note\n")
    run = site.run()
    assert run.status == 0 and warnings_of(run) == [], run.err


@pytest.mark.parametrize("breaks", ["\r\r", "\r\n\r\n", "\n\n"])
def test_a_missing_space_after_old_mac_line_breaks_is_reported_at_its_line(breaks):
    problems = Problems()
    assert compose(f"{breaks}title:青溪大桥", "site.yaml", problems) is None
    assert [(p.line, p.message) for p in problems.errors] == [
        (3, "a space is missing after 'title:': write title: 青溪大桥")]


@pytest.mark.parametrize("text", ["\r\rtitle", "甲\u2028title", "\x85\x85x:y", "\u2029a:b"])
def test_text_whose_line_breaks_only_yaml_counts_is_composed_without_raising(text):
    compose(text, "a.md", Problems())
