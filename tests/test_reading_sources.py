"""Contract: text files are UTF-8 (BOM and CRLF accepted); front matter is YAML between '---' lines."""

import pytest

from conftest import errors_of

P = "content/2026-11-27/01/story.md"


def test_a_valid_site_builds_and_prints_a_one_line_summary(site):
    run = site.run()
    assert run.status == 0, run.err
    assert run.out.startswith("Built 1 edition, 1 page, 1 article in ")
    assert len(run.out.strip().splitlines()) == 1


def test_utf8_bom_and_crlf_line_ends_are_accepted(site):
    site.write(P, b"\xef\xbb\xbf---\r\ntitle: \xe6\xa0\x87\xe9\xa2\x98\r\n---\r\n\r\nbody\r\n")
    run = site.run()
    assert run.status == 0, run.err
    html = site.read("2026-11-27/01/story.html")
    assert "\r" not in html and "\ufeff" not in html


def test_crlf_keeps_error_lines_right(site):
    site.write(P, b"---\r\ntitle: a\r\nhedline: b\r\n---\r\n")
    assert errors_of(site.run()) == [f"{P}:3: unknown key 'hedline' (did you mean 'title'?)"]


def test_gb18030_file_is_an_error_that_says_how_to_convert(site):
    site.write(P, "---\ntitle: 中文标题\n---\n".encode("gb18030"))
    assert errors_of(site.run()) == [
        f"{P}: not UTF-8 (first bad byte 0xD6 at line 2, column 8); the bytes decode as GB18030. "
        "Convert with: iconv -f GB18030 -t UTF-8 in.md > out.md"
    ]


def test_utf16_file_is_an_error(site):
    site.write(P, "---\ntitle: a\n---\n".encode("utf-16"))
    assert errors_of(site.run()) == [f"{P}: encoded as UTF-16, not UTF-8; save it as UTF-8"]


def test_c1_control_character_is_an_error_at_its_line(site):
    site.write(P, "---\ntitle: a\x85b\n---\n\nbody\n")
    assert errors_of(site.run()) == [f"{P}:2: control character U+0085 not allowed"]


def test_control_character_is_an_error_at_its_line(site):
    site.write(P, "---\ntitle: a\n---\n\nbody\x00\n")
    assert errors_of(site.run()) == [f"{P}:5: control character U+0000 not allowed"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "1: article is empty"),
        ("   \n\n", "1: article is empty"),
        ("title: a\n", "1: no front matter: an article starts with a line '---'"),
        ("---\ntitle: a\n", "1: front matter starts here but has no closing '---'"),
        ("---\ntitle: 两会: 开幕\n---\n", "2: a value containing ': ' must be in quotes: title: \"两会: 开幕\""),
        ("---\ntitle: a\nbyline:\n\t- x\n---\n", "4: tab character in YAML indentation; use spaces"),
        ("---\ntitle: a\ntitle: b\n---\n", "3: duplicate key 'title' (first at line 2)"),
        ("---\ntitle: &x a\nkicker: *x\n---\n", '2: a value starting with & must be in quotes: title: "&x a"'),
        ("---\ntitle: !!python/object/apply:os.system [touch pwned]\n---\n",
         '2: a value starting with ! must be in quotes: title: "!!python/obj…"'),
        ("---\n- a\n---\n", "2: the front matter must be a mapping of keys, got a list"),
        ("---\nkicker: a\n---\n", "2: missing required key 'title' in the front matter"),
        ("---\n---\nbody\n", "1: missing required key 'title' in the front matter"),
    ],
)
def test_bad_front_matter_is_reported_at_its_file_line(site, text, message):
    site.write(P, text)
    run = site.run()
    assert run.status == 1
    assert errors_of(run) == [f"{P}:{message}"]
    assert "Traceback" not in run.err


def test_unsafe_yaml_tag_runs_nothing(site):
    marker = site.root / "pwned"
    site.write(P, f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\n")
    site.run()
    assert not marker.exists()


def test_front_matter_larger_than_64_kb_is_refused(site):
    site.write(P, "---\ntitle: a\nsummary: " + "长" * 30000 + "\n---\n")
    assert errors_of(site.run()) == [f"{P}:1: front matter larger than 64 KB"]


def test_article_larger_than_2_mb_is_refused(site):
    site.write(P, "---\ntitle: a\n---\n" + "x" * (2 * 1024 * 1024 + 10))
    assert errors_of(site.run()) == [f"{P}: 2.0 MB is larger than the 2 MB limit for an article"]


def test_yaml_1_1_scalars_stay_strings(site):
    site.article("2026-11-27/01/story.md", "title: NO\nkicker: 010\nsubtitle: 12:30\n")
    assert site.run().status == 0
    html = site.read("2026-11-27/01/story.html")
    assert '<h1 class="headline">NO</h1>' in html
    assert '<p class="kicker">010</p>' in html
    assert '<p class="subtitle">12:30</p>' in html


def test_template_syntax_in_articles_is_rendered_literally(site):
    site.article("2026-11-27/01/story.md", "title: '{{ site.title }}'\n", "{% if x %} {{ secrets.X }} ${{ y }} {#\n")
    assert site.run().status == 0
    html = site.read("2026-11-27/01/story.html")
    assert "{{ site.title }}" in html
    assert "{% if x %} {{ secrets.X }} ${{ y }} {#" in html
