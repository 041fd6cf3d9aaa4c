"""Deploying: the output works from a sub-path of any static host, and the GitHub Pages workflow."""

from __future__ import annotations

import posixpath
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

import headless
from conftest import PROJECT, Site, copy_built_sample


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)


def crawl_over_http(start: str) -> dict[str, list[str]]:
    """Fetch every page and file reached from `start` on the same host, as a browser would."""
    host = urlsplit(start).netloc
    prefix = posixpath.dirname(urlsplit(start).path) + "/"
    seen: set[str] = set()
    queue = [start]
    found = {"pages": [], "files": [], "broken": [], "outside": [], "folders": []}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        if not path.startswith(prefix):
            found["outside"].append(url)
            continue
        if path.endswith("/"):
            found["folders"].append(url)
            continue
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body = response.read()
                kind = response.headers.get_content_type()
        except urllib.error.HTTPError as exc:
            found["broken"].append(f"{url} ({exc.code})")
            continue
        if kind != "text/html":
            found["files"].append(url)
            continue
        found["pages"].append(url)
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        for link in parser.links:
            target = urljoin(url, link)
            parts = urlsplit(target)
            if parts.netloc == host and parts.scheme == "http":
                queue.append(parts._replace(fragment="").geturl())
    return found


@pytest.fixture(scope="module")
def hosted(tmp_path_factory):
    """The sample built into www/sub/ and www/ served by the standard library's http.server."""
    root = copy_built_sample(tmp_path_factory, "deploy").root  # its pictures derived already
    www = root.parent / "www"
    run = Site(root).run("--out", str(www / "sub"))
    assert run.status == 0, run.err
    with headless.serve(www) as base:
        yield base, www / "sub"


def test_the_site_served_from_a_sub_path_has_nothing_broken(hosted):
    base, out = hosted
    found = crawl_over_http(base + "sub/index.html")
    assert (found["broken"], found["outside"], found["folders"]) == ([], [], [])
    pages = {unquote(urlsplit(u).path)[len("/sub/"):] for u in found["pages"]}
    assert pages == {p.relative_to(out).as_posix() for p in out.rglob("*.html")}


def test_the_feeds_search_page_and_calendar_are_reached_from_the_front(hosted):
    base, _out = hosted
    reached = {urlsplit(u).path for kind in ("pages", "files") for u in crawl_over_http(base + "sub/index.html")[kind]}
    assert {"/sub/atom.xml", "/sub/rss.xml", "/sub/search/index.html", "/sub/search/search.js",
            "/sub/archive/2026-11.html", "/sub/tags/index.html", "/sub/people/index.html"} <= reached


def test_robots_txt_and_the_sitemaps_are_served(hosted):
    base, _out = hosted
    for name in ("robots.txt", "sitemap.xml", "news-sitemap.xml"):
        with urllib.request.urlopen(base + "sub/" + name, timeout=10) as response:
            assert response.status == 200, name


def test_the_pages_workflow_installs_builds_and_publishes_the_output():
    workflow = yaml.safe_load((PROJECT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in build]
    assert "python -m pip install ." in runs
    assert any(run.startswith("python build.py --base-url") for run in runs)
    (upload,) = [s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert upload["with"]["path"] == "_site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]
