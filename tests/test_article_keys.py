"""Contract: every article front-matter key, its type and its bad values."""

import pytest

from conftest import errors_of, warnings_of

P = "content/2026-11-27/01/story.md"


def front(site, text, body="正文。\n"):
    site.article("2026-11-27/01/story.md", "title: 标题\n" + text, body)
    return site.run()


@pytest.mark.parametrize(
    "text, message",
    [
        ("titel: x\n", "3: unknown key 'titel' (did you mean 'title'?)"),
        ("hedline: x\n", "3: unknown key 'hedline' (did you mean 'title'?)"),
        ("kicker: [a, b]\n", "3: 'kicker' must be text, got a list"),
        ("subtitle: {a: b}\n", "3: 'subtitle' must be text, got a mapping"),
        ("byline: 张三\n", "3: 'byline' must be a list, e.g. [{role: 本报记者, names: [张三]}], got text"),
        ("byline:\n  - {role: 本报记者, nmes: [张三]}\n", "4: unknown key 'nmes' (did you mean 'names'?)"),
        ("byline:\n  - {role: 本报记者}\n", "4: missing required key 'names' in a byline entry"),
        ("columns: 5\n", "3: 'columns' must be between 1 and 4, got 5"),
        ("columns: two\n", "3: 'columns' must be a whole number, got 'two'"),
        ("order: first\n", "3: 'order' must be a whole number, got 'first'"),
        ("draft: yes\n", "3: 'draft' must be true or false, got 'yes'"),
        ("tags: 农业\n", "3: 'tags' must be a list, got text"),
        ("tags: [[a]]\n", "3: 'tags' must be a list of texts, got a list in it"),
        ("slug: ../../x\n", "3: slug '../../x' may contain only lowercase letters, digits and '-'"),
        ("slug: Big_Story\n", "3: slug 'Big_Story' may contain only lowercase letters, digits and '-'"),
        ("slug: index\n", "3: slug 'index' is reserved for the page's own index.html"),
        ("date: 31/12/2026\n",
         "3: 'date' must be YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS (optionally with +08:00): got '31/12/2026'"),
        ("date: 01/02/2026\n",
         "3: 'date' must be YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS (optionally with +08:00): got '01/02/2026'"),
        ("date: '2026'\n",
         "3: 'date' must be YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS (optionally with +08:00): got '2026'"),
        ("date: 2026-02-30\n", "3: 'date' '2026-02-30' is not a real date or time (day is out of range for month)"),
        ("date: 2026-13-45\n", "3: 'date' '2026-13-45' is not a real date or time (month must be in 1..12)"),
        ("date: 2026-11-27 25:00\n", "3: 'date' '2026-11-27 25:00' is not a real date or time (hour must be in 0..23)"),
        ("photos:\n  - src: images/missing.jpg\n", "4: photo 'images/missing.jpg' not found"),
        ("photos:\n  - caption: 无图\n", "4: missing required key 'src' in a photo"),
        ("photos: images/a.jpg\n", "3: 'photos' must be a list, got text"),
        ("photos:\n  - src: /etc/passwd\n", "4: photo '/etc/passwd' must be a path relative to the file, inside content/"),
        ("photos:\n  - src: ../../../../etc/passwd\n", "4: photo '../../../../etc/passwd' is outside content/"),
        ("area: [1, 2, 3]\n", "3: 'area' must have four numbers [x, y, w, h] in percent, got 3"),
        ("area: [50, 50, 60, 10]\n", "3: 'area' [50, 50, 60, 10] must lie within the page: 0-100 percent"),
        ("area: [a, 0, 10, 10]\n", "3: 'area' must be a number, got 'a'"),
        ("continued_on: '09'\n", "3: 'continued_on' names page 09, which edition 2026-11-27 does not have"),
        ("continued_on: ['01']\n", "3: 'continued_on' names the article's own page 01"),
        ("continued_on: [第二版]\n", "3: 'continued_on' page '第二版' is not a page label like 02 or A2"),
        ("continued_on:\n  - {pgae: '02'}\n", "4: unknown key 'pgae' (did you mean 'page'?)"),
        ("corrections:\n  - {date: 2026-11-28}\n", "4: missing required key 'text' in a correction"),
        ("corrections:\n  - {date: 28/11/2026, text: 更正}\n", "4: 'date' must be YYYY-MM-DD: got '28/11/2026'"),
        ("corrections: 更正\n", "3: 'corrections' must be a list, got text"),
        ("title: 重复\n", "3: duplicate key 'title' (first at line 2)"),
    ],
)
def test_bad_value_is_an_error_at_its_line(site, text, message):
    run = front(site, text)
    assert run.status == 1
    assert errors_of(run) == [f"{P}:{message}"]
    assert "Traceback" not in run.err


def test_empty_title_is_an_error(site):
    site.article("2026-11-27/01/story.md", "title: ''\n")
    assert errors_of(site.run()) == [f"{P}:2: 'title' must not be empty"]


def test_photo_with_wrong_case_is_an_error_with_a_hint(site):
    site.write("content/2026-11-27/01/images/Pic.JPG", b"not checked")
    run = front(site, "photos:\n  - src: images/Pic.jpg\n")
    assert errors_of(run) == [f"{P}:4: photo 'images/Pic.jpg' not found (did you mean 'images/Pic.JPG'?)"]


def test_photo_that_is_not_an_image_is_an_error(site):
    site.write("content/2026-11-27/01/images/pic.jpg", b"not an image")
    run = front(site, "photos:\n  - src: images/pic.jpg\n")
    assert errors_of(run) == [f"{P}:4: 'images/pic.jpg' is not an image (JPEG, PNG, WebP, GIF, TIFF, HEIC/HEIF or AVIF)"]


def test_missing_image_in_the_body_is_an_error_at_its_line(site):
    run = front(site, "", "第一段。\n\n![图](images/nowhere.png)\n")
    assert errors_of(run) == [f"{P}:7: image 'images/nowhere.png' not found"]


def test_link_to_a_file_outside_content_is_an_error(site):
    run = front(site, "", "[密码](../../../../site.yaml)\n")
    assert errors_of(run) == [f"{P}:5: linked file '../../../../site.yaml' is outside content/"]


def test_every_problem_of_a_file_is_reported_in_one_run(site):
    run = front(site, "columns: 9\norder: x\ndraft: maybe\n")
    assert errors_of(run) == [
        f"{P}:3: 'columns' must be between 1 and 4, got 9",
        f"{P}:4: 'order' must be a whole number, got 'x'",
        f"{P}:5: 'draft' must be true or false, got 'maybe'",
    ]


def test_problems_of_many_files_are_sorted_by_file_and_line(site):
    site.article("2026-11-27/01/b.md", "title: b\nkickr: x\n")
    site.article("2026-11-27/01/a.md", "title: a\nsubtile: x\n")
    assert errors_of(site.run()) == [
        "content/2026-11-27/01/a.md:3: unknown key 'subtile' (did you mean 'subtitle'?)",
        "content/2026-11-27/01/b.md:3: unknown key 'kickr' (did you mean 'kicker'?)",
    ]


def test_duplicate_slug_on_a_page_names_both_files(site):
    site.article("2026-11-27/01/other.md", "title: 另一篇\nslug: story\n")
    assert errors_of(site.run()) == [
        "content/2026-11-27/01/story.md:1: slug 'story' is also used by content/2026-11-27/01/other.md:3; "
        "both would be written to 2026-11-27/01/story.html"
    ]


def test_area_without_a_page_image_is_a_warning(site):
    run = front(site, "area: [0, 0, 50, 50]\n")
    assert run.status == 0
    assert warnings_of(run) == [f"{P}:3: warning: 'area' given but the page has no 'image'"]


def test_strict_makes_warnings_errors(site):
    site.write("content/2026-11-27/01/stray.png", b"x")
    run = site.run("--strict")
    assert run.status == 1
    assert run.err.splitlines() == [
        "content/2026-11-27/01/stray.png: warning: file is not referenced by any article or page; not copied",
        "0 errors, 1 warning (errors with --strict); nothing written.",
    ]


def test_key_written_without_a_value_counts_as_not_given(site):
    run = front(site, "kicker:\nsubtitle:\n")
    assert run.status == 0, run.err


@pytest.mark.parametrize(
    "text, iso",
    [
        ("", "2026-11-27T00:00:00+08:00"),
        ("date: 2026-11-27\n", "2026-11-27T00:00:00+08:00"),
        ("date: 2026-11-27 07:30\n", "2026-11-27T07:30:00+08:00"),
        ("date: 2026-11-27 07:30:15\n", "2026-11-27T07:30:15+08:00"),
        ("date: 2026-11-27 07:30 +01:00\n", "2026-11-27T07:30:00+01:00"),
        ("date: 2026-11-26T23:00:00Z\n", "2026-11-26T23:00:00+00:00"),
    ],
)
def test_date_forms_and_the_default_in_the_site_timezone(site, text, iso):
    assert front(site, text).status == 0
    assert f'datetime="{iso}"' in site.read("2026-11-27/01/story.html")
