"""The defects found in review, each pinned by a test that failed before its fix."""

import os
import threading

import pytest

from broadsheet.articles import curl_quotes
from broadsheet.markup import render_body
from broadsheet.parallel import fork_map, in_background
from broadsheet.problems import Problems
from broadsheet.sources import compose


def _raises():
    raise ValueError("the real error")


def test_a_failure_of_work_done_here_is_raised_as_itself():
    join = in_background(_raises, 1)  # --jobs 1 and the dev server do the work here and now
    with pytest.raises(ValueError, match="the real error"):
        join()


def test_fork_map_does_the_work_here_while_other_threads_run():
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)  # as the dev server's threads are
    server.start()
    try:
        pids = fork_map(lambda _: os.getpid(), range(200), 2)
    finally:
        stop.set()
        server.join()
    assert set(pids) == {os.getpid()}


def test_fork_map_still_forks_without_other_threads():
    assert os.getpid() not in set(fork_map(lambda _: os.getpid(), range(200), 2))


@pytest.mark.parametrize("text", [
    "Back to the '90s", "'Tis the season", "\"Yes,\" she said", "rock 'n' roll at O'Neil's",
    "the '60s-'70s", "Wait... -- what",
])
def test_headline_quotes_are_the_bodys_quotes(text):
    assert f"<p>{curl_quotes(text)}</p>" == render_body("en", text + "\n", 1, False).html.strip()


def test_a_decade_gets_an_apostrophe():
    assert curl_quotes("Back to the '90s") == "Back to the \u201990s"


def test_a_headline_is_never_read_as_markdown():
    assert curl_quotes("1. Not a list *or* emphasis") == "1. Not a list *or* emphasis"
    assert curl_quotes("# Not a heading") == "# Not a heading"


@pytest.mark.parametrize("loader_sees", ["title: &x Hi\n", "title: Hi\nkicker: &k 引题\n"])
def test_a_lone_anchor_is_refused(loader_sees):
    problems = Problems()
    assert compose(loader_sees, "site.yaml", problems) is None
    assert [p.message.split(":")[0] for p in problems.items] == ["a value starting with & must be in quotes"]
