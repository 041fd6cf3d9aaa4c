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

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from . import theme, watch
from .console import report, shown
from .changes import ignored
from .output import UnsafeOutput, check_output_folder
from .pipeline import Options, Result, build
from .problems import Problem
from .session import Session

POLL = 0.025  # seconds between looks at the sources: a save is noticed within 25 ms (small sites)
QUIET = 0.1  # a burst of saves (an editor's save-all, a git checkout) ends after 100 ms without changes

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


class SiteHandler(web.StaticFileHandler):
    """The output folder: files only, never outside it, and the error page while the build is broken."""

    def initialize(self, path: str, state: State) -> None:
        super().initialize(path, default_filename="index.html")
        self.state = state

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


class Watcher(threading.Thread):
    """Polls the site's sources and calls `rebuild(changed)` once a burst of changes has settled."""

    def __init__(self, paths: list[Path], out: Path, rebuild) -> None:
        super().__init__(name="broadsheet-watcher", daemon=True)
        self.paths, self.out, self.rebuild = paths, out, rebuild
        self.stopping = threading.Event()
        self.interval = POLL
        self.seen = self.look()  # taken before the first build, so a save made during it is not missed

    def _skipped(self, folder: str, name: str) -> bool:
        # Editor leftovers, caches and the output's own folders never trigger a rebuild.
        return (
            ignored(name) or name == "__pycache__"
            or name.startswith((f"{self.out.name}.staging-", f"{self.out.name}.old-"))
            or Path(folder, name) == self.out
        )

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """Every watched file with its modification time and size."""
        found: dict[str, tuple[int, int]] = {}
        for top in self.paths:
            files = [(str(top.parent), top.name)] if top.is_file() else []
            for folder, dirs, names in os.walk(top):
                dirs[:] = [d for d in dirs if not self._skipped(folder, d)]
                files += [(folder, n) for n in names if not self._skipped(folder, n)]
            for folder, name in files:
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue  # removed between the listing and the look: it simply is not there
                found[path] = (stat.st_mtime_ns, stat.st_size)
        return found

    def look(self) -> dict[str, tuple[int, int]]:
        """A snapshot, timed: on a big archive looking takes long, so look less often (a fifth of a core at most)."""
        started = time.monotonic()
        found = self.snapshot()
        self.interval = max(POLL, 4 * (time.monotonic() - started))
        return found

    def settle(self, before: dict, now: dict) -> dict | None:
        """Wait until nothing has changed for QUIET seconds; return the last look (None when stopping)."""
        while True:
            saved = [mtime for path, (mtime, size) in now.items() if before.get(path) != (mtime, size)]
            newest = max(saved, default=time.time_ns())  # only removals: count from now
            # Quiet is counted from the newest save itself, not from when it was noticed (up to one POLL
            # later); an odd mtime (copied with its old time, clock skew) still gets nearly QUIET.
            noticed_late = min(max(time.time() - newest / 1e9, 0.0), POLL)
            if self.stopping.wait(QUIET - noticed_late):
                return None
            before, now = now, self.look()
            if now == before:
                return now

    def run(self) -> None:
        seen = self.seen
        while not self.stopping.wait(self.interval):
            now = self.look()
            if now == seen:
                continue
            now = self.settle(seen, now)
            if now is None:
                return
            changed = sorted(k for k in now.keys() | seen.keys() if now.get(k) != seen.get(k))
            seen = now
            self.rebuild(changed)

    def stop(self) -> None:
        """Ask the thread to finish after the build it may be running."""
        self.stopping.set()


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
    it, its problems shown on the terminal and in the browser, then the browsers reloaded, then
    the build state saved. Between rebuilds the state stays in memory (`session.Session`), and
    the build is told the files the watcher saw change instead of scanning the archive."""

    def __init__(self, options: Options, state: "State", root: Path):
        self.options, self.state, self.root = options, state, root
        self.loop: asyncio.AbstractEventLoop | None = None
        self.building = threading.Lock()
        self.session = Session()
        self.saved = threading.Event()  # no save is under way (waited for on the way out)
        self.saved.set()

    def __call__(self, changed: list[str]) -> None:
        with self.building:
            self._rebuild(changed)

    def warm(self) -> None:
        """Read the kept model now if the first build did not need it, so the first edit is quick."""
        with self.building:
            self.session.warm([])

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
            result = Result()
            result.problems.error(shown(options.out), 0, f"the build stopped: {exc}")
        self._show(result, changed)
        self.saved.clear()
        started = time.monotonic()
        try:
            self.session.finish(result.ok)  # after the browsers were told: saving is not waited for
        except Exception:  # noqa: BLE001 - only a slower next build; the watching goes on
            traceback.print_exc()
        finally:
            self.saved.set()
        if options.verbose:
            print(f"build state saved in {time.monotonic() - started:.2f} s", file=sys.stderr, flush=True)
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
        rebuild.saved.wait(timeout=10)  # a state half saved would mean a full build next time
    return 0


def _watchers(folders: list[Path], config: Path, out: Path, rebuild) -> list:
    """The watcher to start, in a list that a polling one joins if the system's notifications fail."""
    watchers: list = []
    if watch.available():
        def poll_instead(exc: Exception) -> None:
            print(f"build.py: note: the system's file notifications failed ({exc}); looking for changes every "
                  f"{POLL * 1000:.0f} ms or more instead", file=sys.stderr, flush=True)
            poller = Watcher([*folders, config], out, rebuild)
            watchers.append(poller)
            poller.start()

        watchers.append(watch.NotifyWatcher(folders, config, out, rebuild, poll_instead))
    else:
        watchers.append(Watcher([*folders, config], out, rebuild))  # taken before the first build
    return watchers


def _close(sockets: list, watchers: list) -> None:
    """Free the port and stop watching."""
    for sock in sockets:
        sock.close()
    for watcher in list(watchers):
        watcher.stop()
        if watcher.is_alive():
            watcher.join(timeout=1.0)  # a running build may finish; else its staging folder is removed by the next build
