"""Structured data and sharing: NewsArticle JSON-LD, Open Graph article tags, canonical links."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import build_sample

BASE = "https://news.example.org/hechuan/"


class _Head(HTMLParser):
    """The JSON-LD scripts and <meta property> tags of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.meta: list[tuple[str, str]] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("type") == "application/ld+json":
            self._in_ld = True
            self.scripts.append("")
        if tag == "meta" and "property" in attributes:
            self.meta.append((attributes["property"], attributes["content"]))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.scripts[-1] += data


def head(html: str) -> _Head:
    parser = _Head()
    parser.feed(html)
    return parser


def ld(html: str) -> dict:
    (script,) = head(html).scripts
    return json.loads(script)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_sample(tmp_path_factory, "structured")


def test_every_article_has_one_news_article_with_its_headline(sample):
    for article in sample[1].articles:
        data = ld(sample[0].read(article.url))
        assert (data["@context"], data["@type"], data["headline"]) == ("https://schema.org", "NewsArticle", article.title)


def derived(site, stem: str, width: int) -> str:
    """The URL of a photo's JPEG derivative of one width (its name carries the source's key)."""
    (found,) = (site.out / stem).parent.glob(f"{Path(stem).name}.*.{width}.jpg")
    return found.relative_to(site.out).as_posix()


def test_news_article_of_a_corrected_article_with_photos(sample):
    data = ld(sample[0].read("2026-11-26/02/qingxi-chaye.html"))
    url = BASE + "2026-11-26/02/qingxi-chaye.html"
    assert data == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "一片茶叶“链”起万户增收路",
        "alternativeHeadline": ["清溪县：", "全县茶园面积达16.8万亩 带动4.2万户茶农户均增收6800元"],
        "description": "清溪县推动茶产业从单一种植向全链条发展转变，一片茶叶带动4.2万户茶农增收。",
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": "zh-CN",
        "isAccessibleForFree": True,
        "datePublished": "2026-11-26T00:00:00+08:00",
        "dateModified": "2026-11-27T00:00:00+08:00",
        "author": [
            {"@type": "Person", "name": "唐可欣", "jobTitle": "本报记者", "url": BASE + "people/tang-ke-xin.html"},
            {"@type": "Person", "name": "何秋实", "jobTitle": "本报通讯员", "url": BASE + "people/he-qiu-shi.html"},
            {"@type": "Person", "name": "鲁文静", "jobTitle": "本报通讯员", "url": BASE + "people/lu-wen-jing.html"},
        ],
        "image": [
            {"@type": "ImageObject", "url": BASE + derived(sample[0], "2026-11-26/02/images/chayuan", 640), "width": 640, "height": 420,
             "caption": "初冬时节，清溪县云岭村茶农在茶园里修剪茶树、施基肥。"},
            {"@type": "ImageObject", "url": BASE + derived(sample[0], "2026-11-26/02/images/chaye-zhibo", 640), "width": 640, "height": 420,
             "caption": "清溪县茶叶电商产业园内，主播正在直播推介本地红茶。"},
        ],
        "publisher": {
            "@type": "NewsMediaOrganization", "name": "河川日报社", "url": "https://news.example.org/",
            "logo": {"@type": "ImageObject", "url": BASE + "static/logo.png", "width": 360, "height": 96},
        },
        "printEdition": "2026年11月26日 第8801期",
        "printPage": "02",
        "printSection": "县域经济",
        "dateline": "本报清溪讯",
        "keywords": ["茶产业", "县域经济", "清溪县"],
        "correction": [{
            "@type": "CorrectionComment", "datePublished": "2026-11-27",
            "text": "本报11月26日第2版《一片茶叶“链”起万户增收路》一文中，“全县茶园面积达18.6万亩”有误，应为“16.8万亩”。特此更正，并向读者致歉。",
        }],
    }


def test_a_column_is_the_article_section_and_a_plain_text_byline_an_organisation(sample):
    data = ld(sample[0].read("2026-11-26/01/shiping-dongxian.html"))
    assert data["articleSection"] == "河川时评"
    assert data["author"] == [{"@type": "Organization", "name": "本报评论员"}]


def test_date_published_keeps_the_offset_written_in_the_front_matter(sample):
    assert ld(sample[0].read("2026-11-27/01/shiping-nongshi.html"))["datePublished"] == "2026-11-27T06:30:00+08:00"


def test_script_end_tags_in_any_text_cannot_close_the_script(site):
    nasty = "</script><script>alert(1)</script> & 'x'"
    site.article("2026-11-27/01/story.md", f'title: "{nasty}"\nkicker: "</SCRIPT>"\ntags: ["<!--"]\n')
    assert site.run().status == 0
    html = site.read("2026-11-27/01/story.html")
    (script,) = head(html).scripts
    assert "<" not in script and ">" not in script and "&" not in script
    data = json.loads(script)
    assert (data["headline"], data["alternativeHeadline"], data["keywords"]) == (nasty, "</SCRIPT>", ["<!--"])
    assert html.count("<script") == 1


def test_open_graph_article_tags(sample):
    tags = head(sample[0].read("2026-11-26/02/qingxi-chaye.html")).meta
    assert tags == [
        ("og:type", "article"),
        ("og:site_name", "河川日报"),
        ("og:title", "一片茶叶“链”起万户增收路"),
        ("og:description", "清溪县推动茶产业从单一种植向全链条发展转变，一片茶叶带动4.2万户茶农增收。"),
        ("og:url", BASE + "2026-11-26/02/qingxi-chaye.html"),
        ("og:image", BASE + derived(sample[0], "2026-11-26/02/images/chayuan", 640)),
        ("og:image:width", "640"),
        ("og:image:height", "420"),
        ("og:image:alt", "层层叠叠的绿色茶垄沿山坡铺开，山间飘着薄雾。"),
        ("article:published_time", "2026-11-26T00:00:00+08:00"),
        ("article:modified_time", "2026-11-27T00:00:00+08:00"),
        ("article:author", BASE + "people/tang-ke-xin.html"),
        ("article:author", BASE + "people/he-qiu-shi.html"),
        ("article:author", BASE + "people/lu-wen-jing.html"),
        ("article:section", "县域经济"),
        ("article:tag", "茶产业"),
        ("article:tag", "县域经济"),
        ("article:tag", "清溪县"),
    ]


def test_every_page_has_an_absolute_canonical_link(sample):
    out = sample[0].out
    for path in out.rglob("*.html"):
        url = path.relative_to(out).as_posix()
        assert f'<link rel="canonical" href="{BASE}{url}">' in path.read_text(encoding="utf-8"), url


def test_without_base_url_urls_in_json_ld_are_relative_to_the_article(site):
    site.write("site.yaml", "title: 测试日报\n")
    site.article("2026-11-27/01/story.md", "title: 标题\nbyline:\n  - {role: 本报记者, names: [张三]}\n")
    assert site.run().status == 0
    html = site.read("2026-11-27/01/story.html")
    data = ld(html)
    assert "url" not in data and "mainEntityOfPage" not in data
    assert data["author"] == [{"@type": "Person", "name": "张三", "jobTitle": "本报记者", "url": "../../people/zhang-san.html"}]
    assert not re.search(r'property="og:(url|image)"', html)
