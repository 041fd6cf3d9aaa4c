"""A line break between two Chinese characters in the source is the copy's hard wrap: dropped."""

import json

from broadsheet import search
from broadsheet.markup import render_body

BODY = "居民反映，楼\n道灯坏了很久，\n“亮灯”工程随即启动。\n\n第二段。\n"


def test_a_hard_wrap_inside_chinese_text_is_dropped():
    assert render_body("zh-CN", BODY, 5, False).html.startswith("<p>居民反映，楼道灯坏了很久，“亮灯”工程随即启动。</p>")


def test_a_line_break_beside_latin_text_stays():
    html = render_body("zh-CN", "新款\nAI 手机\n5G 上市。\n", 5, False).html
    assert html == "<p>新款\nAI 手机\n5G 上市。</p>"


def test_english_text_is_unchanged():
    assert render_body("en", "A hard\nwrap.\n", 5, False).html == "<p>A hard\nwrap.</p>"


def test_code_keeps_its_line_breaks():
    assert "<pre><code>楼\n道灯\n</code></pre>" in render_body("zh-CN", "正文。\n\n    楼\n    道灯\n", 5, False).html


def test_the_wrapped_word_is_published_summarised_and_found_by_search(site):
    site.article("2026-11-27/01/story.md", "title: 旧小区换新颜\n", BODY)
    run = site.run()
    assert run.status == 0, run.err
    article = site.read("2026-11-27/01/story.html")
    assert "<p>居民反映，楼道灯坏了很久" in article
    assert '<meta property="og:description" content="居民反映，楼道灯坏了很久，“亮灯”工程随即启动。">' in article
    assert "居民反映，楼道灯坏了很久" in site.read("atom.xml")
    folder = site.out / "2026-11-27/search"
    manifest = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    (row,) = json.loads((folder / "d/0.json").read_text(encoding="utf-8"))
    assert "楼道灯" in search._searched(row)[-1] and "楼 道" not in json.dumps(row, ensure_ascii=False)
    shards = {int(p.stem): json.loads(p.read_text(encoding="utf-8")) for p in (folder / "s").glob("*.json")}
    for key in ("楼道", "道灯"):
        assert key in shards[ord(key[0]) % manifest["shards"]]
