"""The bad-input catalogue (shared/design/reliability.md, section 6), one case per row.

Every case: build a good site, break it, run `python build.py` as a newsroom
does, and assert the exit status, the exact `path:line: message` lines, no
traceback, the previous `_site/` byte-identical (mtimes too) and nothing
created outside it. Rows 27 (interrupted builds) and 31 (serve) have their own
files: test_interrupted.py and test_server.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable

import pytest

from conftest import snapshot

A = "content/2026-11-27/01/story.md"
FORMS = "YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS (optionally with +08:00)"


def md(front: str, body: str = "正文。\n") -> str:
    return f"---\n{front}---\n\n{body}"


@dataclass
class Case:
    row: str
    files: dict[str, str | bytes]
    lines: list[str]
    status: int = 1
    args: tuple[str, ...] = ()
    prepare: Callable | None = None
    after: Callable | None = None
    extra: dict = field(default_factory=dict)


def _symlink(site, tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "leak.md").write_text(md("title: 机密\n"), encoding="utf-8")
    os.symlink(secret / "leak.md", site.root / "content/2026-11-27/01/leak.md")
    os.symlink(secret, site.root / "content/2026-11-27/01/images")


def _no_marker(site, tmp_path):
    assert not (tmp_path / "pwned").exists()


CASES = [
    Case("01 invalid YAML", {A: md("title: 两会: 开幕\n")},
         [f"{A}:2: a value containing ': ' must be in quotes: title: \"两会: 开幕\""]),
    Case("02 tab indentation", {A: md("title: a\nbyline:\n\t- 张三\n")},
         [f"{A}:4: tab character in YAML indentation; use spaces"]),
    Case("03 front matter unclosed, late or missing", {
        A: "---\ntitle: a\n",
        "content/2026-11-27/01/late.md": "\n---\ntitle: a\n---\n",
        "content/2026-11-27/01/none.md": "正文而已。\n",
    }, [
        "content/2026-11-27/01/late.md:1: no front matter: an article starts with a line '---'",
        "content/2026-11-27/01/none.md:1: no front matter: an article starts with a line '---'",
        f"{A}:1: front matter starts here but has no closing '---'",
    ]),
    Case("04 required key missing", {A: md("kicker: 引题\n")},
         [f"{A}:2: missing required key 'title' in the front matter"]),
    Case("05 wrong types", {A: md("title: [a, b]\nbyline: 张三\nphotos: {}\n")}, [
        f"{A}:2: 'title' must be text, got a list",
        f"{A}:3: 'byline' must be a list, e.g. [{{role: 本报记者, names: [张三]}}], got text",
        f"{A}:4: 'photos' must be a list, got a mapping",
    ]),
    Case("06 unknown key", {A: md("title: a\nhedline: b\n")},
         [f"{A}:3: unknown key 'hedline' (did you mean 'title'?)"]),
    Case("07 dates in wrong forms", {
        f"content/2026-11-27/01/d{n}.md": md(f"title: a\ndate: '{value}'\n")
        for n, value in enumerate(["31/12/2024", "01/02/2024", "2024", "2024-02-30", "2024-13-45", "2024/01/02"])
    }, [
        f"content/2026-11-27/01/d0.md:3: 'date' must be {FORMS}: got '31/12/2024'",
        f"content/2026-11-27/01/d1.md:3: 'date' must be {FORMS}: got '01/02/2024'",
        f"content/2026-11-27/01/d2.md:3: 'date' must be {FORMS}: got '2024'",
        "content/2026-11-27/01/d3.md:3: 'date' '2024-02-30' is not a real date or time (day is out of range for month)",
        "content/2026-11-27/01/d4.md:3: 'date' '2024-13-45' is not a real date or time (month must be in 1..12)",
        f"content/2026-11-27/01/d5.md:3: 'date' must be {FORMS}: got '2024/01/02'",
    ]),
    Case("08 YAML 1.1 surprises are kept as written", {
        A: md("title: NO\nkicker: on\nsubtitle: 12:30\ncontinued_on: 010\n"),
        "content/2026-11-27/010/b.md": md("title: b\n"),
    }, [], status=0, after=lambda site, _: (
        '<h1 class="headline">NO</h1>' in site.read("2026-11-27/01/story.html")
        and '<p class="subtitle">12:30</p>' in site.read("2026-11-27/01/story.html")
        and (site.out / "2026-11-27/010/index.html").is_file()
    )),
    Case("09 unsafe YAML tag", {A: md("title: !!python/object/apply:os.system ['touch ../../pwned']\n")},
         [f'{A}:2: a value starting with ! must be in quotes: title: "!!python/obj…"'], after=_no_marker),
    Case("10 aliases and huge front matter", {
        A: md("title: &a 标题\nkicker: *a\n"),
        "content/2026-11-27/01/big.md": md("title: a\nsummary: " + "长" * 30000 + "\n"),
    }, [
        "content/2026-11-27/01/big.md:1: front matter larger than 64 KB",
        f'{A}:2: a value starting with & must be in quotes: title: "&a 标题"',
    ]),
    Case("11 duplicate slugs and reserved names", {
        "content/2026-11-27/02/A.md": md("title: a\n"),
        "content/2026-11-27/02/a.md": md("title: b\n"),
        "content/2026-11-27/02/c.md": md("title: c\nslug: index\n"),
    }, [
        "content/2026-11-27/02/a.md:1: slug 'a' is also used by content/2026-11-27/02/A.md:1; "
        "both would be written to 2026-11-27/02/a.html",
        "content/2026-11-27/02/c.md:3: slug 'index' is reserved for the page's own index.html",
    ]),
    Case("12 slugs that escape", {
        f"content/2026-11-27/01/s{n}.md": md(f"title: a\nslug: '{value}'\n")
        for n, value in enumerate(["../../x", "/etc/x", "a\\\\b", "%2e%2e", "CON"])
    }, [
        "content/2026-11-27/01/s0.md:3: slug '../../x' may contain only lowercase letters, digits and '-'",
        "content/2026-11-27/01/s1.md:3: slug '/etc/x' may contain only lowercase letters, digits and '-'",
        "content/2026-11-27/01/s2.md:3: slug 'a\\\\b' may contain only lowercase letters, digits and '-'",
        "content/2026-11-27/01/s3.md:3: slug '%2e%2e' may contain only lowercase letters, digits and '-'",
        "content/2026-11-27/01/s4.md:3: slug 'CON' may contain only lowercase letters, digits and '-'",
    ]),
    Case("13 files outside content/", {
        A: md("title: a\nphotos:\n  - {src: /etc/passwd, caption: x}\n", "![](../../../../etc/passwd)\n\n![](file:///etc/passwd)\n"),
    }, [
        f"{A}:4: photo '/etc/passwd' must be a path relative to the file, inside content/",
        f"{A}:7: image '../../../../etc/passwd' is outside content/",
        f"{A}:9: warning: removed 'file:' URL from <img src>",
    ]),
    Case("14 symbolic links out of the site", {}, [
        "content/2026-11-27/01/images: symbolic link to a path outside the site; not followed",
        "content/2026-11-27/01/leak.md: symbolic link to a path outside the site; not followed",
    ], prepare=_symlink),
    Case("15 missing photo, wrong case", {
        "content/2026-11-27/01/img/missing.JPG": b"\xff\xd8",
        A: md("title: a\nphotos:\n  - {src: img/missing.jpg, caption: x}\n", "![](img/gone.png)\n"),
    }, [
        f"{A}:4: photo 'img/missing.jpg' not found (did you mean 'img/missing.JPG'?)",
        f"{A}:7: image 'img/gone.png' not found",
    ]),
    Case("16 broken internal links", {A: md("title: a\ncontinued_on: ['09']\n", "见[下文](../02/missing.md)。\n")}, [
        f"{A}:3: 'continued_on' names page 09, which edition 2026-11-27 does not have",
        f"{A}:6: link '../02/missing.md' not found",
    ]),
    Case("17 GB18030 file", {A: md("title: 中文标题\n").encode("gb18030")}, [
        f"{A}: not UTF-8 (first bad byte 0xD6 at line 2, column 8); the bytes decode as GB18030. "
        "Convert with: iconv -f GB18030 -t UTF-8 in.md > out.md",
    ]),
    Case("18 UTF-16 and Latin-1 files", {
        A: md("title: a\n").encode("utf-16"),
        "content/2026-11-27/01/latin.md": "---\ntitle: café\n---\nbody\n".encode("latin-1"),
    }, [
        "content/2026-11-27/01/latin.md: not UTF-8 (first bad byte 0xE9 at line 2, column 11)",
        f"{A}: encoded as UTF-16, not UTF-8; save it as UTF-8",
    ]),
    Case("19 BOM, CRLF, lone CR and mixed line ends are accepted", {
        A: b"\xef\xbb\xbf---\r\ntitle: a\r\n---\r\nbody\r\n",
        "content/2026-11-27/01/cr.md": b"---\rtitle: b\r---\rbody\r",
        "content/2026-11-27/01/mixed.md": b"---\ntitle: c\r\n---\rbody\n",
    }, [], status=0, after=lambda site, _: all(
        "\r" not in p.read_text(encoding="utf-8") and "\ufeff" not in p.read_text(encoding="utf-8")
        for p in site.out.rglob("*.html")
    )),
    Case("20 control characters", {
        A: md("title: a\n", "正文\x00。\n"),
        "content/2026-11-27/01/sep.md": md("title: b\u2028c\n"),
    }, [
        "content/2026-11-27/01/sep.md:2: control character U+2028 not allowed",
        f"{A}:5: control character U+0000 not allowed",
    ]),
    Case("21 empty, blank and body-less articles", {
        A: "",
        "content/2026-11-27/01/blank.md": "  \n\n",
        "content/2026-11-27/01/bare.md": "---\ntitle: 只有标题\n---\n",
    }, [
        "content/2026-11-27/01/bare.md:3: warning: article has no body text",
        "content/2026-11-27/01/blank.md:1: article is empty",
        f"{A}:1: article is empty",
    ]),
    Case("22 raw HTML is sanitised (an error with --strict)", {
        A: md("title: a\n", "<script>alert(1)</script>\n\n<img src=\"x.png\" onerror=\"alert(1)\">\n\n[x](javascript:alert(1))\n"),
    }, [
        f"{A}:5: warning: removed <script> element",
        f"{A}:7: warning: removed attribute 'onerror' from <img>",
        f"{A}:9: warning: removed 'javascript:' URL from <a href>",
    ], args=("--strict",)),
    Case("23 HTML and quotes in front matter are escaped", {
        A: md('title: "<script>alert(1)</script>"\nkicker: 他说"不"\nphotos:\n  - {src: i.png, caption: "A & B <b>", alt: "x\\" onload=\\"y"}\n'),
        "content/2026-11-27/01/i.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\r\xefF\xb8\x00\x00\x00\x00IEND\xaeB`\x82",
    }, [], status=0, after=lambda site, _: (
        "<script>alert" not in site.read("2026-11-27/01/story.html")
        and "&lt;script&gt;alert(1)&lt;/script&gt;" in site.read("2026-11-27/01/story.html")
        and "A &amp; B &lt;b&gt;" in site.read("2026-11-27/01/story.html")
        and 'alt="x&#34; onload=&#34;y"' in site.read("2026-11-27/01/story.html")
        and "<title>&lt;script&gt;" in site.read("2026-11-27/01/story.html")
    )),
    Case("24 undefined template variable", {
        "templates/article.html": "{% extends 'base.html' %}{% block main %}\n{{ article.hedline }}\n{% endblock %}\n",
    }, ["templates/article.html:2: 'Article' has no attribute 'hedline' (while rendering 2026-11-27/01/story.html)"]),
    Case("25 template syntax error, missing parent", {
        "templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n{% if page %}\n{% endblock %}\n",
        "templates/column.html": "{% extends 'nope.html' %}\n",
    }, [
        "templates/page.html:4: Encountered unknown tag 'endblock'. You probably made a nesting mistake. "
        "Jinja is expecting this tag, but currently looking for 'elif' or 'else' or 'endif'. "
        "The innermost block that needs to be closed is 'if'.",
    ]),
    Case("26 huge article", {A: md("title: a\n", "长" * (800 * 1024))},
         [f"{A}: 2.3 MB is larger than the 2 MB limit for an article"]),
    Case("28 dangerous --out", {}, [], status=2, args=("--out", "..")),
    Case("29 site.yaml errors", {
        "site.yaml": "titel: 日报\ntimezone: Asia/Shangai\nbase_url: example.com\n",
    }, [
        "site.yaml:1: unknown key 'titel' (did you mean 'title'?)",
        "site.yaml:2: unknown time zone 'Asia/Shangai' (did you mean 'Asia/Shanghai'?)",
        "site.yaml:3: 'base_url' must be an absolute URL like https://news.example.org/, got 'example.com'",
    ]),
    Case("30 files outside edition folders; editor files ignored", {
        "content/notes.md": md("title: a\n"),
        "content/2026-11-27/01/story.md~": "junk",
        "content/2026-11-27/01/.DS_Store": b"\x00junk",
        "content/2026-11-27/01/#story.md#": "junk",
    }, ["content/notes.md: Markdown file outside any edition/page folder"]),
    Case("32 template syntax in copy is literal", {
        A: md("title: '{{ secrets.X }}'\n", "{% if x %} ${{ y }} {#\n"),
    }, [], status=0, after=lambda site, _: (
        "{{ secrets.X }}" in site.read("2026-11-27/01/story.html")
        and "{% if x %} ${{ y }} {#" in site.read("2026-11-27/01/story.html")
    )),
]


@pytest.mark.parametrize("case", CASES, ids=[c.row for c in CASES])
def test_catalogue_row(site, tmp_path, case):
    assert site.run().status == 0
    before_out = snapshot(site.out)
    for rel, content in case.files.items():
        site.write(rel, content)
    if case.prepare:
        case.prepare(site, tmp_path)
    around = sorted(p.name for p in site.root.parent.iterdir())
    inside = sorted(p.name for p in site.root.iterdir())

    run = site.run_process(*case.args)

    assert "Traceback" not in run.err + run.out
    assert run.status == case.status, run.err
    printed = [line for line in run.err.splitlines() if not line.endswith("nothing written.")]
    if case.status != 2:
        assert printed == case.lines
    else:
        assert "refusing" in run.err
    assert sorted(p.name for p in site.root.parent.iterdir()) == around
    assert sorted(p.name for p in site.root.iterdir()) == inside
    if case.status != 0:
        assert snapshot(site.out) == before_out
    if case.after:
        assert case.after(site, tmp_path) is not False
