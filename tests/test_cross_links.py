"""A link to another article's Markdown file becomes a link to that article's page."""

from conftest import errors_of

P = "content/2026-11-27/01/story.md"


def test_link_to_an_article_on_another_page_points_to_its_output(site):
    site.article("2026-11-27/02/other.md", "title: 另一篇\nslug: ling-yi-pian\n")
    site.article("2026-11-27/01/story.md", "title: 标题\n", "详见[另一篇](../02/other.md#xia-wen)。\n")
    assert site.run().status == 0
    assert '<a href="../02/ling-yi-pian.html#xia-wen">另一篇</a>' in site.read("2026-11-27/01/story.html")


def test_link_to_an_article_in_another_edition(site):
    site.article("2026-11-26/03/old.md", "title: 旧闻\n")
    site.article("2026-11-27/01/story.md", "title: 标题\n", "见[旧闻](../../2026-11-26/03/old.md)。\n")
    assert site.run().status == 0
    assert '<a href="../../2026-11-26/03/old.html">旧闻</a>' in site.read("2026-11-27/01/story.html")


def test_link_to_a_missing_article_is_an_error_at_its_line(site):
    site.article("2026-11-27/01/story.md", "title: 标题\n", "第一段。\n\n见[另一篇](../02/missing.md)。\n")
    assert errors_of(site.run()) == [f"{P}:7: link '../02/missing.md' not found"]


def test_link_to_an_unpublished_draft_is_an_error(site):
    site.article("2026-11-27/02/draft.md", "title: 草稿\ndraft: true\n")
    site.article("2026-11-27/01/story.md", "title: 标题\n", "见[草稿](../02/draft.md)。\n")
    assert errors_of(site.run()) == [f"{P}:5: link to '../02/draft.md', a draft that is not published"]
    assert site.run("--drafts").status == 0
