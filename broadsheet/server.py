"""The dev server (`build.py serve`): build, serve the output, rebuild on change, reload the browser."""

from __future__ import annotations

import asyncio
import dataclasses
import html
import logging
import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import IO, Iterator

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from . import theme, watch
from .console import report, shown
from .output import UnsafeOutput, check_output_folder
from .pipeline import Options, Result, build
from .problems import Problem
from .session import Session

IDLE = 1.5  # seconds without a change before the build state is saved (an edit then seldom waits for it)

# livereload's own client, loaded from this server; the port is the page's, so a proxied port works too.
LIVE_SCRIPT = (
    b'<script>(function(){var s=document.createElement("script");'
    b's.src="/livereload.js?port="+(location.port||(location.protocol=="https:"?443:80));'
    b"document.head.appendChild(s);})();</script>"
)


class InjectLiveScript(LiveScriptInjector):
    """livereload's transform: puts LIVE_SCRIPT before `</head>` of every HTML response."""

    script = LIVE_SCRIPT


class State:
    """What the pages need to know about the last build: its errors (empty when it succeeded)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []


def _inside(path: str, root: str) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def _wants_html(path: str) -> bool:
    # A page, or a folder whose index.html the browser expects.
    name = path.rsplit("/", 1)[-1]
    return name == "" or name.endswith((".html", ".htm")) or "." not in name


def error_page(problems: list[Problem]) -> str:
    """The page shown instead of every HTML page while the last build has errors."""
    items = "\n".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in problems)
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>构建失败 · Build failed</title>
<link rel="stylesheet" href="/static/css/broadsheet.css">
<style>
body {{ margin: 0; background: #fffdf8; color: #1a1a1a; font-family: serif; line-height: 1.8; }}
.masthead-title {{ color: #9b1b1b; font-weight: 900; font-size: 2rem; }}
.build-errors {{ list-style: none; padding: 0; }}
.build-errors li {{ border-left: 4px solid #9b1b1b; padding: 0.25rem 0.75rem; margin: 0.5rem 0; background: #fff; }}
.build-errors code {{ white-space: pre-wrap; word-break: break-word; }}
</style>
</head>
<body>
<header class="masthead"><div class="masthead-inner"><span class="masthead-title">构建失败 · Build failed</span></div></header>
<main id="main">
<p>下列问题修好后本页会自动刷新；磁盘上仍是上一次成功构建的网站。<br>
Fix the problems below and this page reloads by itself; the last good site is still on disk.</p>
<ul class="build-errors">
{items}
</ul>
</main>
</body>
</html>
"""


#: how much of a file is sent at a time (Tornado's own size)
CHUNK = 64 * 1024


class SiteHandler(web.StaticFileHandler):
    """The output folder: files only, never outside it, and the error page while the build is broken."""

    def initialize(self, path: str, state: State) -> None:
        super().initialize(path, default_filename="index.html")
        self.state = state
        self._file: IO[bytes] | None = None  # the file being sent (`get_content_size`)

    async def get(self, path: str, include_body: bool = True) -> None:
        problems = self.state.problems
        if problems and _wants_html(path):
            self.set_status(500, "Build failed")
            self.set_header("Cache-Control", "no-store")
            self.finish(error_page(problems))
            return
        await super().get(path, include_body)

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        """Tornado's checks, then ours: the file finally served must resolve inside the output folder."""
        if "\x00" in absolute_path:
            raise web.HTTPError(404)
        valid = super().validate_absolute_path(root, absolute_path)
        # Recent tornado refuses symlinks leading out by itself; checked again so no version can leak a file.
        if valid is not None and not _inside(valid, root):
            raise web.HTTPError(403)
        return valid

    def get_content_size(self) -> int:  # Tornado's hook
        # Tornado sizes a file by its path, then opens the path again to send it: a rebuild that
        # swapped the output folder in between sent the new file under the old one's length, and
        # the browser got a cut-off page or none. The file is opened once, here, and both come from it.
        try:
            file = open(str(self.absolute_path), "rb")  # noqa: SIM115 - closed by get_content or on_finish
        except OSError:
            raise web.HTTPError(404) from None
        self._file = file
        return os.fstat(file.fileno()).st_size

    def get_content(self, abspath: str, start: int | None = None,  # type: ignore[override]  # Tornado's hook
                    end: int | None = None) -> Iterator[bytes]:
        """The bytes from `start` to `end` of the file sized by `get_content_size`, in chunks."""
        file, self._file = self._file, None
        if file is None:  # (not through `get`: Tornado's own way)
            yield from super().get_content(abspath, start, end)
            return
        with file:
            file.seek(start or 0)
            remaining = None if end is None else end - (start or 0)
            while remaining is None or remaining > 0:
                chunk = file.read(CHUNK if remaining is None else min(CHUNK, remaining))
                if not chunk:
                    return
                if remaining is not None:
                    remaining -= len(chunk)
                yield chunk

    def on_finish(self) -> None:  # Tornado's hook: a HEAD request, or one that failed, read no content
        if self._file is not None:
            self._file.close()
            self._file = None

    def compute_etag(self) -> None:
        # Tornado caches etags by path forever; after a rebuild that would answer 304 with the old page.
        return None

    def should_return_304(self) -> bool:
        return False  # Last-Modified has one-second steps; two rebuilds in a second must still show

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")

    def write_error(self, status_code: int, **kwargs) -> None:
        # A short page, never a traceback; with <head> so the live script lets it recover by itself.
        reason = html.escape(self._reason)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(f"<!doctype html><html><head><title>{status_code} {reason}</title></head>"
                    f"<body><p>{status_code} {reason}</p></body></html>")


def reload_browsers() -> None:
    """Tell every connected page to reload (livereload's protocol; path `*` means the whole page)."""
    for waiter in list(LiveReloadHandler.waiters):
        waiter.send_message({"command": "reload", "path": "*", "liveCSS": False, "liveImg": False})


def make_app(out: Path, state: State, verbose: bool = False) -> web.Application:
    """The tornado application: livereload's socket and script, and the output folder."""

    def log(handler: web.RequestHandler) -> None:
        if verbose:
            request = handler.request
            print(f"{handler.get_status()} {request.method} {request.uri}", file=sys.stderr)

    return web.Application(
        [
            (r"/livereload", LiveReloadHandler),
            (r"/livereload\.js", LiveReloadJSHandler),
            (r"/(.*)", SiteHandler, {"path": str(out), "state": state}),
        ],
        transforms=[InjectLiveScript],
        log_function=log,
    )


def _listen(options: Options, host: str, port: int) -> list | None:
    """The listening sockets, bound before the first build so that a busy port is reported at
    once and early requests wait; None, having said why, when the output folder or the port
    cannot be used."""
    try:
        check_output_folder(options.out, options.config_path.parent)
    except UnsafeOutput as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return None
    try:
        sockets = bind_sockets(port, address=host)
    except OSError as exc:
        print(f"build.py: error: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return None
    if not options.verbose:
        # Tornado logs every refused request (403, 404) as a warning; the terminal is for build problems.
        logging.getLogger("tornado.general").setLevel(logging.ERROR)
    return sockets


def _what_changed(changed: list[str], root: Path) -> str:
    """The start of a rebuild's summary line: the first file changed, and how many more."""
    if not changed:
        return ""
    what = Path(changed[0]).relative_to(root).as_posix()
    what += f" and {len(changed) - 1} more" if len(changed) > 1 else ""
    return what + " changed: "


def _since_saved(changed: list[str]) -> float:
    """Milliseconds since the newest of these files was written (the watcher's delay and debounce)."""
    times = []
    for path in changed:
        try:
            times.append(os.stat(path).st_mtime)
        except OSError:
            pass
    return (time.time() - max(times)) * 1000 if times else 0.0


class Rebuilder:
    """The server's rebuild after a change: the CLI's build, one at a time whichever watcher saw
    it, its problems shown on the terminal and in the browser, then the browsers reloaded.
    Between rebuilds the state stays in memory (`session.Session`), and the build is told the
    files the watcher saw change instead of scanning the archive. The state is saved once
    nothing has changed for IDLE seconds (and on the way out): saving it takes longer than an
    edit's rebuild at 50,000 articles, and edits in a row are saved once."""

    def __init__(self, options: Options, state: "State", root: Path):
        self.options, self.state, self.root = options, state, root
        self.loop: asyncio.AbstractEventLoop | None = None
        self.building = threading.Lock()
        self.session = Session()
        self.changing = 0.0  # when a watcher last saw a change start (time.monotonic)
        self.timer: threading.Timer | None = None

    def __call__(self, changed: list[str]) -> None:
        with self.building:
            self._rebuild(changed)
        self._save_later(IDLE)

    def noticed(self) -> None:
        """A watcher saw a change start: its rebuild follows, so the state's save waits."""
        self.changing = time.monotonic()

    def warm(self) -> None:
        """Before serving: save the first build's state, if it left one (a full build's takes
        seconds at 50,000 articles: not while edits come), and read the kept model now if that
        build did not need it, so that the first edit is quick."""
        with self.building:
            self._save()
            self.session.warm([])
        self._save_later(IDLE)  # nothing left to save: the timer the first build set is cancelled

    def save(self, timeout: float) -> None:
        """Save the build state now if a build left it unsaved (on the way out), once the
        rebuild running ends (not if it takes longer than `timeout` seconds: a full build next time)."""
        if self.building.acquire(timeout=timeout):
            try:
                self._save()
            finally:
                self.building.release()

    def _save_later(self, delay: float) -> None:
        """Save the state once nothing has changed for IDLE seconds, unless a rebuild comes first."""
        if self.timer is not None:
            self.timer.cancel()
        if self.session.pending is not None:
            self.timer = threading.Timer(delay, self._save_if_idle)
            self.timer.daemon = True
            self.timer.start()

    def _save_if_idle(self) -> None:
        wait = IDLE - (time.monotonic() - self.changing)
        if wait > 0.01:
            self._save_later(wait)  # a change was seen since: its rebuild comes first
        else:
            self.save(timeout=0)  # not while a rebuild runs: it asks again after it

    def _save(self) -> None:
        if self.session.pending is None:
            return
        started = time.monotonic()
        try:
            self.session.finish()
        except Exception:  # noqa: BLE001 - only a slower next build; the watching goes on
            traceback.print_exc()
        if self.options.verbose:
            print(f"build state saved in {time.monotonic() - started:.2f} s", file=sys.stderr, flush=True)

    def _rebuild(self, changed: list[str]) -> None:
        options = self.options
        self.session.changed = changed
        if options.verbose and changed:
            print(f"rebuild started {_since_saved(changed):.0f} ms after the last save", file=sys.stderr, flush=True)
        try:
            # the CLI's build: re-reads site.yaml; the kept state and `changed` say what changed
            result = build(options, kept=self.session)
        except Exception as exc:  # noqa: BLE001 - a full disk or a bug must not stop the watching
            traceback.print_exc()
            self.session.forget()  # what it left in memory is not to be trusted, nor saved
            result = Result()
            result.problems.error(shown(options.out), 0, f"the build stopped: {exc}")
        self._show(result, changed)
        if not self.session.done(result.ok):  # a failed build's state: saved now (the next reads it)
            self._save()
        self.options = dataclasses.replace(options, clean=False)  # --clean is for the first build only

    def _show(self, result: Result, changed: list[str]) -> None:
        options = self.options
        report(result.problems, options.strict)
        if options.verbose:
            for note in result.notes:
                print(note, file=sys.stderr, flush=True)
        self.state.problems = [] if result.ok else sorted(result.problems.errors + result.problems.warnings)
        if result.ok and not options.quiet:
            print(_what_changed(changed, self.root) + result.summary("Built"), flush=True)
        if self.loop is not None:
            try:
                self.loop.call_soon_threadsafe(reload_browsers)
            except RuntimeError:
                pass  # the server stopped while this build ran: nobody to reload


def serve(options: Options, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Build, serve options.out on host:port and rebuild on change until Ctrl-C; return the exit status."""
    root = options.config_path.parent
    sockets = _listen(options, host, port)
    if sockets is None:
        return 2
    state = State()
    out = options.out.resolve()
    rebuild = Rebuilder(options, state, root)

    folders = [root / "content", *theme.template_folders(root / "templates"), *theme.static_folders(root / "static")]
    watchers = _watchers(folders, options.config_path.resolve(), out, rebuild)

    async def main() -> None:
        loop = rebuild.loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, stop.set)
            except (NotImplementedError, RuntimeError):
                pass  # Windows: Ctrl-C arrives as KeyboardInterrupt instead
        server = HTTPServer(make_app(out, state, options.verbose))
        server.add_sockets(sockets)
        bound = sockets[0].getsockname()[1]
        shown_host = f"[{host}]" if ":" in host else host
        print(f"Serving {shown(options.out)} at http://{shown_host}:{bound}/ — rebuilding on changes; Ctrl-C to stop",
              flush=True)
        if not watchers[0].is_alive():
            watchers[0].start()
        try:
            await stop.wait()
        finally:
            server.stop()  # closes the listening sockets: the port is free again

    try:
        if isinstance(watchers[0], watch.NotifyWatcher):
            watchers[0].start()  # before the first build: a save made during it is seen
        rebuild([])
        rebuild.warm()
        asyncio.run(main())
    except KeyboardInterrupt:
        pass  # Ctrl-C before the loop runs, or where asyncio has no signal handlers: still a clean stop
    finally:
        _close(sockets, watchers)
        rebuild.save(timeout=5)  # an unsaved state would mean a full build next time
    return 0


def _watchers(folders: list[Path], config: Path, out: Path, rebuild) -> list:
    """The watcher to start, in a list that a polling one joins if the system's notifications fail."""
    watchers: list = []
    if watch.available():
        def poll_instead(exc: Exception) -> None:
            print(f"build.py: note: the system's file notifications failed ({exc}); looking for changes every "
                  f"{watch.POLL * 1000:.0f} ms or more instead", file=sys.stderr, flush=True)
            poller = watch.PollWatcher([*folders, config], out, rebuild, rebuild.noticed)
            watchers.append(poller)
            poller.start()

        watchers.append(watch.NotifyWatcher(folders, config, out, rebuild, poll_instead, rebuild.noticed))
    else:
        watchers.append(watch.PollWatcher([*folders, config], out, rebuild, rebuild.noticed))  # looks before the first build
    return watchers


def _close(sockets: list, watchers: list) -> None:
    """Free the port and stop watching."""
    for sock in sockets:
        sock.close()
    for watcher in list(watchers):
        watcher.stop()
        if watcher.is_alive():
            watcher.join(timeout=1.0)  # a running build may finish; else its staging folder is removed by the next build
