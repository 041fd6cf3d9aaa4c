"""Bylines: "By Maria Lopez and Tom Chen, Staff Writers" in English; Chinese as written."""

import pytest

from broadsheet.i18n import Interface, english_role
from broadsheet.model import Byline

EN, ZH = Interface("en"), Interface("zh-CN")


@pytest.mark.parametrize("role, names, text", [
    ("Staff Writer", ("Maria Lopez", "Tom Chen"), "By Maria Lopez and Tom Chen, Staff Writers"),
    ("Staff Writer", ("Maria Lopez",), "By Maria Lopez, Staff Writer"),
    ("By", ("Maria Lopez", "Tom Chen"), "By Maria Lopez and Tom Chen"),
    (None, ("Ann Lee", "Bob Ray", "Cy Young"), "By Ann Lee, Bob Ray and Cy Young"),
    ("Correspondent", ("Ann Lee", "Bob Ray"), "By Ann Lee and Bob Ray, Correspondents"),
    ("Special to The Times", ("Ann Lee", "Bob Ray"), "By Ann Lee and Bob Ray, Special to The Times"),
])
def test_an_english_byline_starts_with_by_and_ends_with_its_role(role, names, text):
    assert EN.byline(Byline(role, names)) == text


def test_a_chinese_byline_stays_as_it_was():
    assert ZH.byline(Byline("本报记者", ("宁江东", "李四"))) == "本报记者 宁江东 李四"


def test_a_byline_written_as_text_is_shown_as_written():
    assert EN.byline(Byline(None, (), "The Editorial Board")) == "The Editorial Board"


@pytest.mark.parametrize("role, plural", [
    ("Staff Writer", "Staff Writers"), ("Deputy Editor", "Deputy Editors"), ("Cameraman", "Cameramen"),
    ("Boss", "Bosses"), ("Staff", "Staff"), ("Contributors", "Contributors"), ("Editor-in-Chief", "Editor-in-Chief"),
])
def test_the_role_of_several_names_is_plural_where_it_ends_in_a_plain_noun(role, plural):
    assert english_role(role, 2) == plural


def test_the_english_article_page_links_each_name_in_the_byline(site):
    site.write("site.yaml", "title: The Daily\nlanguage: en\n")
    site.article("2026-11-27/01/story.md", "title: Bridge opens\nbyline:\n  - {role: Staff Writer, names: [Maria Lopez, Tom Chen]}\n",
                 "The bridge opened.\n")
    assert site.run().status == 0
    html = site.read("2026-11-27/01/story.html")
    assert ('<span class="byline-entry">By <a class="author" href="../../people/maria-lopez.html" rel="author">Maria Lopez</a>'
            ' and <a class="author" href="../../people/tom-chen.html" rel="author">Tom Chen</a>, Staff Writers</span>') in html
