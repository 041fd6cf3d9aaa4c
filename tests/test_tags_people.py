"""Tags and people: a page per tag and per byline name, linked from the articles."""

from __future__ import annotations

import pickle
import re

import pytest

from broadsheet import cache as build_cache
from broadsheet import state
from conftest import build_sample


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_sample(tmp_path_factory, "terms")


def listed(html: str) -> list[str]:
    """The article links of a tag or person page, in order."""
    return re.findall(r'<h2 class="headline"><a href="\.\./([^"]+)">', html)


def test_article_tags_link_to_their_pages(sample):
    html = sample[0].read("2026-11-26/02/qingxi-chaye.html")
    tags = re.findall(r'<a class="tag-link" href="\.\./\.\./(tags/[a-z0-9-]+\.html)" rel="tag"><span class="tag">([^<]+)</span></a>', html)
    assert tags == [("tags/cha-chan-ye.html", "茶产业"), ("tags/xian-yu-jing-ji.html", "县域经济"), ("tags/qing-xi-xian.html", "清溪县")]


def test_a_tag_page_lists_every_article_with_the_tag_newest_first(sample):
    site = sample[1]
    tagged = [a for a in site.articles if "冬季农业" in a.tags]
    html = sample[0].read("tags/dong-ji-nong-ye.html")
    assert "<h1>冬季农业</h1>" in html
    assert listed(html) == [a.url for a in tagged]
    assert [a.edition for a in tagged] == sorted((a.edition for a in tagged), reverse=True)
    assert len({a.edition for a in tagged}) == 2


def test_a_listed_article_shows_its_edition_date_and_page(sample):
    html = sample[0].read("tags/qing-xi-xian.html")
    assert ('<p class="teaser-meta"><a href="../2026-11-26/index.html">2026年11月26日</a> · '
            '<a href="../2026-11-26/02/index.html">第02版 县域经济</a></p>') in html


def test_byline_names_link_to_their_person_pages(sample):
    html = sample[0].read("2026-11-26/02/qingxi-chaye.html")
    byline = re.search(r'<p class="byline">.*?</p>', html).group(0)
    assert byline == (
        '<p class="byline"><span class="byline-entry">本报记者 '
        '<a class="author" href="../../people/tang-ke-xin.html" rel="author">唐可欣</a></span> '
        '<span class="byline-entry">本报通讯员 '
        '<a class="author" href="../../people/he-qiu-shi.html" rel="author">何秋实</a> '
        '<a class="author" href="../../people/lu-wen-jing.html" rel="author">鲁文静</a></span></p>'
    )


def test_a_person_page_lists_their_roles_and_articles_newest_first(sample):
    site = sample[1]
    written = [a for a in site.articles if any("鲁文静" in b.names for b in a.bylines)]
    html = sample[0].read("people/lu-wen-jing.html")
    assert "<h1>鲁文静</h1>" in html
    assert '<span class="term-roles">本报通讯员</span> · 2篇' in html
    assert listed(html) == [a.url for a in written] and len(written) == 2


def test_a_plain_text_byline_has_no_person_page(sample):
    html = sample[0].read("2026-11-26/01/shiping-dongxian.html")
    assert '<span class="byline-entry">本报评论员</span>' in html
    assert not any("评论员" in p.read_text(encoding="utf-8").split("<h1>")[1][:20] for p in (sample[0].out / "people").glob("*.html"))


def index_links(html: str) -> set[str]:
    listing = html.split('<ul class="term-index">')[1].split("</ul>")[0]
    return set(re.findall(r'<li><a href="\.\./([^"]+)">', listing))


def test_the_indexes_link_every_tag_and_person_page(sample):
    out = sample[0].out
    tags = index_links(sample[0].read("tags/index.html"))
    people = index_links(sample[0].read("people/index.html"))
    assert tags == {p.relative_to(out).as_posix() for p in (out / "tags").glob("*.html")} - {"tags/index.html"}
    assert people == {p.relative_to(out).as_posix() for p in (out / "people").glob("*.html")} - {"people/index.html"}
    assert len(tags) == len({t for a in sample[1].articles for t in a.tags})


def test_the_footer_links_the_tag_and_people_indexes(sample):
    html = sample[0].read("index.html")
    assert '<li><a href="tags/index.html">关键词</a></li>' in html
    assert '<li><a href="people/index.html">作者</a></li>' in html


def test_names_with_the_same_slug_get_numbered_pages(site):
    site.article("2026-11-27/01/a.md", "title: 甲\ntags: [石门, 十门]\n")
    assert site.run().status == 0
    html = site.read("2026-11-27/01/a.html")
    assert re.findall(r'href="\.\./\.\./(tags/[^"]+)" rel="tag"><span class="tag">([^<]+)<', html) == [
        ("tags/shi-men-2.html", "石门"), ("tags/shi-men.html", "十门"),
    ]
    assert "<h1>石门</h1>" in site.read("tags/shi-men-2.html")


def test_a_tag_without_letters_or_digits_gets_a_hashed_page(site):
    site.article("2026-11-27/01/a.md", "title: 甲\ntags: [\"★\"]\n")
    assert site.run().status == 0
    assert re.fullmatch(r"n-[0-9a-f]{8}\.html", next((site.out / "tags").glob("n-*.html")).name)


def test_editing_a_body_does_not_rewrite_the_tag_and_person_pages(site):
    site.article("2026-11-27/01/story.md", "title: 标题\ntags: [农业]\nbyline:\n  - {role: 本报记者, names: [张三]}\n",
                 "第一段。\n")
    assert site.run().status == 0
    pages = ("tags/nong-ye.html", "people/zhang-san.html", "tags/index.html", "people/index.html")
    before = {p: (site.out / p).stat().st_ino for p in pages}
    site.article("2026-11-27/01/story.md", "title: 标题\ntags: [农业]\nbyline:\n  - {role: 本报记者, names: [张三]}\n",
                 "第一段。\n\n第二段，新加的。\n")
    assert site.run().status == 0
    assert {p: (site.out / p).stat().st_ino for p in pages} == before


def test_slugs_are_kept_in_the_build_state_for_the_next_build_but_not_by_check(site):
    site.article("2026-11-27/01/story.md", "title: 标题\ntags: [农业]\n")
    index = site.root / build_cache.FOLDER / state.STATE / state.INDEX
    assert site.run("check").status == 0
    assert not index.exists()
    assert site.run().status == 0
    with index.open("rb") as handle:
        pickle.load(handle)  # the index's head, then the rest (saving.save)
        rest, _tokens = pickle.load(handle)
    assert rest["slugs"]["农业"] == "nong-ye"


def test_an_older_slug_file_is_ignored_and_removed(site):
    site.article("2026-11-27/01/story.md", "title: 标题\ntags: [农业]\n")
    old = site.root / build_cache.FOLDER / "taxonomy-slugs.json"
    old.parent.mkdir()
    old.write_text('{"version": "1", "slugs": {"农业": "wrong"}}', encoding="utf-8")
    assert site.run().status == 0
    assert (site.out / "tags/nong-ye.html").is_file()
    assert not old.exists()
