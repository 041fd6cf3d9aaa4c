"""Raw HTML in bodies is cleaned with an allow-list (nh3); each removal is a warning at its line."""

import re

import pytest

from conftest import warnings_of

P = "content/2026-11-27/01/story.md"


@pytest.mark.parametrize(
    "body, warning",
    [
        ("正文。\n\n<script>alert(1)</script>\n", "7: warning: removed <script> element"),
        ("正文。\n\n<img src=\"x.png\" onerror=\"alert(1)\">\n", "7: warning: removed attribute 'onerror' from <img>"),
        ("[点我](javascript:alert(1))\n", "5: warning: removed 'javascript:' URL from <a href>"),
        ("<iframe src=\"https://evil.example/\"></iframe>\n", "5: warning: removed <iframe> element"),
        ("<style>body{display:none}</style>\n", "5: warning: removed <style> element"),
        ("<p onclick=\"steal()\">文字</p>\n", "5: warning: removed attribute 'onclick' from <p>"),
    ],
)
def test_dangerous_html_is_removed_with_a_warning(site, body, warning):
    site.article("2026-11-27/01/story.md", "title: 标题\n", body)
    run = site.run()
    assert run.status == 0
    assert warnings_of(run) == [f"{P}:{warning}"]
    html = site.read("2026-11-27/01/story.html")
    story = html.split('class="story-body', 1)[1]
    assert "<script" not in story and "<iframe" not in story and "javascript:" not in story
    assert not re.search(r"\son\w+=", story)


def test_strict_refuses_to_publish_dangerous_html(site):
    site.article("2026-11-27/01/story.md", "title: 标题\n", "<script>alert(1)</script>\n")
    assert site.run("--strict").status == 1


def test_nothing_dangerous_anywhere_in_the_output(site):
    site.article("2026-11-27/01/story.md", 'title: "<script>alert(1)</script>"\nkicker: 他说"不"\n',
                 "<script>x()</script> <a href=\"javascript:x()\" onmouseover=\"y()\">a</a>\n")
    assert site.run().status == 0
    for path in site.out.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<script>x" not in text
        assert "javascript:" not in text
        assert not re.search(r"\son(mouseover|error|click)=", text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in site.read("2026-11-27/01/story.html")


def test_safe_markup_is_kept(site):
    body = "正文<sup>1</sup>，<span class=\"note\">注</span>。\n\n| a | b |\n|:-:|---|\n| 1 | 2 |\n"
    site.article("2026-11-27/01/story.md", "title: 标题\n", body)
    run = site.run()
    assert warnings_of(run) == []
    html = site.read("2026-11-27/01/story.html")
    assert '<sup>1</sup>' in html and '<span class="note">注</span>' in html
    assert '<th style="text-align:center">a</th>' in html


def test_trust_raw_html_switch_keeps_embeds(site):
    site.write("site.yaml", "title: 测试日报\ntrust_raw_html: true\n")
    site.article("2026-11-27/01/story.md", "title: 标题\n", '<iframe src="https://video.example/embed/1"></iframe>\n')
    run = site.run()
    assert warnings_of(run) == []
    assert '<iframe src="https://video.example/embed/1"></iframe>' in site.read("2026-11-27/01/story.html")
