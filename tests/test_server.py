"""Contract: `build.py serve` builds, serves the output, rebuilds on change and never leaks a file."""

from __future__ import annotations

import asyncio
import contextlib
import html
import http.client
import os
import json
import signal
import socket
import subprocess
import sys
import time

import pytest
from tornado.websocket import websocket_connect

from conftest import PROJECT, SITE_YAML, Site, errors_of, snapshot

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGINT and symlinks as on POSIX")

STORY = "/2026-11-27/01/story.html"
BROKEN_FRONT = "title: 改了\nkicker: [坏]\n"  # line 3 of the file: a list where text is required


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _until(condition, timeout: float = 10.0, what: str = "the condition"):
    """Poll `condition` until it returns something true (bounded), and return that."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


class Served:
    """A `build.py serve` subprocess on a free port, with a raw HTTP client that sends paths as written."""

    def __init__(self, site, env: dict | None = None, args: tuple[str, ...] = ()):
        self.site = site
        self.port = _free_port()
        self.stdout = site.root.parent / "serve.out"
        self.stderr = site.root.parent / "serve.err"
        with open(self.stdout, "wb") as out, open(self.stderr, "wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, str(PROJECT / "build.py"), "serve", "--port", str(self.port),
                 "--config", str(site.root / "site.yaml"), *args],
                cwd=site.root, stdout=out, stderr=err, env={**os.environ, **(env or {})},
            )

    def get(self, path: str) -> tuple[int, str]:
        """GET a path exactly as written (no normalisation of `..` or `%2e`)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def try_get(self, path: str) -> tuple[int, str] | None:
        """Like get, or None while the server is not yet listening (and a failure if it has exited)."""
        try:
            return self.get(path)
        except OSError:
            if self.proc.poll() is not None:
                raise AssertionError(f"serve exited with {self.proc.returncode}:\n{self.errors()}") from None
            return None

    def output(self) -> str:
        """What the server printed on stdout so far."""
        return self.stdout.read_text(encoding="utf-8")

    def errors(self) -> str:
        """What the server printed on stderr so far."""
        return self.stderr.read_text(encoding="utf-8")

    def stop(self) -> None:
        """Ctrl-C, and make sure the process is gone."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@contextlib.contextmanager
def _running(site):
    server = Served(site)
    try:
        # Python's start-up and the first build, on a busy machine too.
        _until(lambda: server.try_get(STORY), timeout=30, what="the server to answer")
        yield server
    finally:
        server.stop()


@pytest.fixture
def served(site):
    """The minimal site, served; the first page has been fetched."""
    with _running(site) as server:
        yield server


@pytest.fixture(scope="module")
def unchanged(tmp_path_factory):
    """One served site shared by the tests that only read (the `site` fixture's files)."""
    made = Site(tmp_path_factory.mktemp("served") / "site")
    made.write("site.yaml", SITE_YAML)
    made.article("2026-11-27/01/story.md")
    with _running(made) as server:
        yield server


def _serving(server: Served, path: str, text: str):
    """A condition for _until: `path` answers 200 with `text` in it."""
    def check():
        status, body = server.get(path)
        return (status, body) if status == 200 and text in body else None
    return check


def _error_page(server: Served, path: str = STORY):
    """A condition for _until: `path` answers with the build's error page."""
    def check():
        status, body = server.get(path)
        return (status, body) if status == 500 and "Build failed" in body else None
    return check


def test_serves_the_built_site_with_the_livereload_script(unchanged):
    status, body = unchanged.get(STORY)
    assert status == 200
    assert "正文。" in body
    assert "/livereload.js?port=" in body.split("</head>")[0]
    status, script = unchanged.get("/livereload.js")
    assert status == 200 and "LiveReload" in script


def test_a_folder_url_serves_its_index(unchanged):
    assert unchanged.get("/2026-11-27/01/") == unchanged.get("/2026-11-27/01/index.html")
    assert unchanged.get("/2026-11-27/01/")[0] == 200


def test_an_edited_article_is_served_after_the_rebuild(served):
    served.site.article("2026-11-27/01/story.md", body="改过的正文。\n")
    _until(_serving(served, STORY, "改过的正文。"), what="the edited text")


def test_a_change_to_site_yaml_is_read_again(served):
    served.site.write("site.yaml", "title: 新名日报\nbase_url: https://example.org/paper/\n")
    _until(_serving(served, "/index.html", "新名日报"), what="the new title")


def _rebuild_lines(server: Served) -> list[str]:
    return [line for line in server.output().splitlines() if "changed:" in line]


def test_a_burst_of_saves_is_one_rebuild(served):
    for n in range(4):
        served.site.article("2026-11-27/01/story.md", body=f"第{n}稿。\n")
        time.sleep(0.02)
    _until(_serving(served, STORY, "第3稿。"), what="the last save")
    rebuilt = _until(lambda: _rebuild_lines(served), what="the rebuild's line")
    assert len(rebuilt) == 1, rebuilt


def test_without_watchfiles_the_server_polls_and_still_rebuilds(site, tmp_path):
    shim = tmp_path / "no-watchfiles"
    shim.mkdir()
    (shim / "watchfiles.py").write_text("raise ImportError('hidden by the test')\n", encoding="utf-8")
    server = Served(site, {"PYTHONPATH": str(shim)})
    try:
        _until(lambda: server.try_get(STORY), timeout=30, what="the server to answer")
        site.article("2026-11-27/01/story.md", body="轮询看到的改动。\n")
        _until(_serving(server, STORY, "轮询看到的改动。"), what="the edited text")
    finally:
        server.stop()


def test_editor_swap_and_backup_files_trigger_no_rebuild(served):
    served.site.write("content/2026-11-27/01/.story.md.swp", b"\0swap")
    served.site.write("content/2026-11-27/01/story.md~", "backup")
    served.site.article("2026-11-27/01/story.md", body="存盘。\n")
    _until(_serving(served, STORY, "存盘。"), what="the saved text")
    rebuilt = _until(lambda: _rebuild_lines(served), what="the rebuild's line")
    assert len(rebuilt) == 1 and rebuilt[0].startswith("content/2026-11-27/01/story.md changed: Built 1 edition")


def test_a_build_error_shows_the_error_page_for_every_html_page(served):
    served.site.article("2026-11-27/01/story.md", BROKEN_FRONT)
    expected = errors_of(served.site.run("check"))
    assert expected == ["content/2026-11-27/01/story.md:3: 'kicker' must be text, got a list"]
    for path in (STORY, "/index.html", "/2026-11-27/", "/no/such/page.html"):
        status, body = _until(_error_page(served, path), what=f"the error page at {path}")
        assert all(html.escape(line) in body for line in expected), body
        assert 'href="/static/css/broadsheet.css"' in body
        assert "/livereload.js?port=" in body
    assert served.get("/static/css/broadsheet.css")[0] == 200  # files other than pages are still served


def test_a_build_error_is_printed_like_build_does(served):
    served.site.article("2026-11-27/01/story.md", BROKEN_FRONT)
    _until(lambda: "1 error; nothing written." in served.errors(), what="the report")
    assert served.errors().splitlines()[-2:] == [
        "content/2026-11-27/01/story.md:3: 'kicker' must be text, got a list",
        "1 error; nothing written.",
    ]


def test_a_build_error_leaves_the_last_good_output_byte_identical(served):
    before = snapshot(served.site.out)
    served.site.article("2026-11-27/01/story.md", BROKEN_FRONT)
    _until(_error_page(served), what="the error page")
    _until(lambda: "nothing written." in served.errors(), what="the failed build to end")
    assert snapshot(served.site.out) == before
    assert not [p.name for p in served.site.root.iterdir() if p.name.startswith(("_site.staging-", "_site.old-"))]


def test_fixing_the_error_brings_the_page_back(served):
    served.site.article("2026-11-27/01/story.md", BROKEN_FRONT)
    _until(_error_page(served), what="the error page")
    served.site.article("2026-11-27/01/story.md", "title: 修好了\n", "修好后的正文。\n")
    _until(_serving(served, STORY, "修好后的正文。"), what="the fixed page")


def test_livereload_tells_the_browser_to_reload_after_a_rebuild(served):
    async def wait_for_reload() -> dict:
        socket_ = await websocket_connect(f"ws://127.0.0.1:{served.port}/livereload")
        socket_.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        assert json.loads(await socket_.read_message())["command"] == "hello"
        socket_.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{served.port}{STORY}"}))
        await asyncio.sleep(0.1)  # the server registers the page on "info"
        served.site.article("2026-11-27/01/story.md", body="又改了。\n")
        message = json.loads(await asyncio.wait_for(socket_.read_message(), 10))
        socket_.close()
        return message

    assert asyncio.run(wait_for_reload())["command"] == "reload"


def test_a_path_out_of_the_output_is_refused(unchanged):
    for path in ("/../site.yaml", "/%2e%2e/site.yaml", "/%2E%2E%2Fsite.yaml", "/static/../../site.yaml",
                 "/..%2f..%2fsite.yaml", "/%00"):
        status, body = unchanged.get(path)
        assert status in (403, 404), path
        assert "base_url" not in body and "Traceback" not in body


def test_a_symlink_out_of_the_output_is_refused(unchanged):
    (unchanged.site.out / "leak.yaml").symlink_to(unchanged.site.root / "site.yaml")
    (unchanged.site.out / "leak").symlink_to(unchanged.site.root / "content", target_is_directory=True)
    (unchanged.site.out / "2026-11-27" / "01" / "inner.html").symlink_to(unchanged.site.out / "index.html")
    for path in ("/leak.yaml", "/leak/2026-11-27/01/story.md"):
        status, body = unchanged.get(path)
        assert status in (403, 404), path
        assert "base_url" not in body and "正文" not in body
    assert unchanged.get("/2026-11-27/01/inner.html")[0] == 200  # a link that stays inside is fine


def test_a_folder_without_index_is_404_not_a_listing(unchanged):
    for path in ("/static/", "/static/css/"):
        status, body = unchanged.get(path)
        assert status == 404
        assert "broadsheet.css" not in body


def test_ctrl_c_exits_0_within_2_s_and_frees_the_port(served):
    served.proc.send_signal(signal.SIGINT)
    assert served.proc.wait(timeout=2) == 0
    with socket.socket() as sock:
        # SO_REUSEADDR as every server sets it: only a socket still listening can refuse us now.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", served.port))
        sock.listen()


def test_a_page_that_a_rebuild_replaces_while_it_is_being_sent_arrives_whole(tmp_path, monkeypatch):
    from tornado.httpclient import AsyncHTTPClient
    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_sockets

    from broadsheet.server import SiteHandler, State, make_app

    out = tmp_path / "_site"
    out.mkdir()
    (out / "page.html").write_text("<html><head></head><body>第1稿。</body></html>", encoding="utf-8")
    sized = SiteHandler.get_content_size

    def rebuilt_after_sizing(handler):  # the output swapped in between, as a rebuild does
        size = sized(handler)
        (out / "page.new").write_text("<html><head></head><body>" + "第2稿。" * 2000 + "</body></html>",
                                      encoding="utf-8")
        os.replace(out / "page.new", out / "page.html")
        return size

    monkeypatch.setattr(SiteHandler, "get_content_size", rebuilt_after_sizing)

    async def fetch():
        sockets = bind_sockets(0, "127.0.0.1")
        server = HTTPServer(make_app(out, State()))
        server.add_sockets(sockets)
        try:
            return await AsyncHTTPClient().fetch(f"http://127.0.0.1:{sockets[0].getsockname()[1]}/page.html",
                                                 raise_error=False)
        finally:
            server.stop()

    response = asyncio.run(fetch())
    assert response.code == 200, response.error
    assert "第1稿。</body>" in response.body.decode("utf-8")
