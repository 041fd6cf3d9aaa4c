"""Mistakes that used to pass silently or mislead are said, each at its line."""

from conftest import errors_of, warnings_of

P = "content/2026-11-27/01/story.md"


def test_an_article_dated_far_from_its_edition_is_a_warning_at_its_date(site):
    site.article("2026-11-27/01/story.md", "title: 标题\nkicker: 引题\ndate: 2025-11-27 08:00\n")
    run = site.run()
    assert run.status == 0, run.err
    assert warnings_of(run) == [(
        f"{P}:4: warning: date 2025-11-27 is 365 days from its edition's date 2026-11-27: "
        "check the year and month (an article is dated within a month of its edition)"
    )]


def test_an_article_dated_within_a_month_of_its_edition_is_fine(site):
    site.article("2026-11-27/01/story.md", "title: 标题\ndate: 2026-10-28 08:00\n")
    run = site.run()
    assert run.status == 0 and warnings_of(run) == [], run.err


def test_an_edition_of_drafts_only_is_named_in_the_summary(site):
    site.article("2026-11-28/01/tomorrow.md", "title: 明日\ndraft: true\n")
    run = site.run()
    assert run.status == 0, run.err
    assert run.out.startswith("Built 1 edition, 1 page, 1 article in ")
    assert run.out.endswith(" s; 1 edition skipped: all drafts → " + run.out.split(" → ")[1])
    assert not (site.out / "2026-11-28").exists()


def test_the_skipped_editions_are_counted_again_when_nothing_changed(site):
    site.article("2026-11-28/01/tomorrow.md", "title: 明日\ndraft: true\n")
    site.run()
    assert "; 1 edition skipped: all drafts" in site.run().out


def test_new_says_it_wrote_a_draft(site):
    run = site.run("new", "2026-11-28/02/dongchu-baicai")
    assert "as a draft: it is published once you delete its line 'draft: true'" in run.out


def test_new_reuses_the_label_of_an_existing_page(site):
    run = site.run("new", "2026-11-27/1/xin-gao")
    assert run.status == 0, run.err
    assert (site.root / "content/2026-11-27/01/xin-gao.md").is_file()
    assert not (site.root / "content/2026-11-27/1").exists()
    assert run.out.startswith("Created content/2026-11-27/01/xin-gao.md ")


def test_continued_on_names_a_page_as_its_folder_label_does(site):
    site.article("2026-11-27/02/other.md", "title: 二版\n")
    site.article("2026-11-27/01/story.md", "title: 标题\ncontinued_on: 2\n")
    run = site.run()
    assert run.status == 0, run.err
    assert "上接第01版" in site.read("2026-11-27/02/index.html")
    assert '<a href="../../2026-11-27/02/index.html">转第02版</a>' in site.read("2026-11-27/01/story.html")


def test_a_photo_named_by_an_article_that_failed_to_read_is_not_called_unreferenced(site):
    site.write("content/2026-11-27/01/images/bridge.jpg", b"not read: the article never gets that far")
    site.article("2026-11-27/01/story.md", 'title: "青溪大桥\nphotos:\n  - src: images/bridge.jpg\n')
    run = site.run()
    assert run.status == 1
    assert warnings_of(run) == []
    assert errors_of(run) == [f'{P}:2: the quote " opened here is never closed: end the value with "']


def test_a_file_no_article_names_is_still_unreferenced_beside_a_failed_article(site):
    site.write("content/2026-11-27/01/images/stray.jpg", b"x")
    site.article("2026-11-27/01/story.md", 'title: "青溪大桥\n')
    assert warnings_of(site.run()) == [
        "content/2026-11-27/01/images/stray.jpg: warning: file is not referenced by any article or page; not copied"
    ]


def test_a_template_error_is_reported_once_per_template_line_with_the_outputs_it_hit(site):
    for n in range(3):
        site.article(f"2026-11-27/01/s{n}.md", f"title: 标题{n}\n")
    site.write("templates/article.html", "{% extends 'base.html' %}\n{% block main %}{{ article.hedline }}{% endblock %}\n")
    run = site.run()
    assert run.status == 1
    assert errors_of(run) == [
        "templates/article.html:2: 'Article' has no attribute 'hedline' (in 4 outputs, the first 2026-11-27/01/s0.html)"
    ]
