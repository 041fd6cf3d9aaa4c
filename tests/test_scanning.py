"""The scan of every input, and the folders' listings it keeps in the build state: a scan that
takes them where their folder is unchanged finds exactly what reading every folder finds."""

from __future__ import annotations

import marshal
import os
import time
from pathlib import Path

import pytest

from broadsheet import changes, scanning
from broadsheet.config import load_config
from broadsheet.problems import Problems


def _site(root: Path) -> Path:
    for rel, text in {"site.yaml": "title: 测试日报\nbase_url: https://example.org/\n",
                      "content/2026-11-27/01/story.md": "---\ntitle: 标题\n---\n\n正文。\n",
                      "content/2026-11-27/01/images/photo.png": "png",
                      "content/2026-11-28/01/other.md": "---\ntitle: 又一篇\n---\n\n正文。\n"}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "site.yaml"


def _scans(config_path: Path, trusted: bool = True) -> tuple[tuple, tuple]:
    """A scan that keeps and takes the listings, and one that reads every folder."""
    config = load_config(config_path, Problems())
    kept = changes.scan(config, config_path, config.root / ".broadsheet-cache" / "state", trusted)
    return kept, changes.scan(config, config_path)


def _chunks(root: Path) -> scanning.Listing:
    found = scanning.read_listing(root / ".broadsheet-cache" / "state" / scanning.LISTING)
    assert found is not None
    return found


def _listing(root: Path) -> scanning.Chunk:
    """Every folder's kept listing, whichever chunk holds it."""
    return {folder: kept for _, chunk in _chunks(root).values() for folder, kept in marshal.loads(chunk).items()}


@pytest.fixture
def settled(monkeypatch):
    """Every folder counts as settled at once (else a listing is kept only once its folder has
    been still for two seconds), and the clock's tick passes before each change."""
    monkeypatch.setattr(scanning, "SETTLED_NS", -10**18)

    def tick():
        time.sleep(0.05)
    return tick


CHANGES = {
    "a file edited in place": lambda c: (c / "2026-11-27/01/story.md").write_text("---\ntitle: 改\n---\n", encoding="utf-8"),
    "a file added": lambda c: (c / "2026-11-27/01/new.md").write_text("---\ntitle: 新\n---\n", encoding="utf-8"),
    "a file removed": lambda c: (c / "2026-11-27/01/images/photo.png").unlink(),
    "a file renamed": lambda c: (c / "2026-11-28/01/other.md").rename(c / "2026-11-28/01/renamed.md"),
    "a folder added": lambda c: (c / "2026-11-27/02").mkdir(),
    "a folder removed": lambda c: [(c / "2026-11-28/01/other.md").unlink(), (c / "2026-11-28/01").rmdir()],
    "a file made a folder": lambda c: [(c / "2026-11-28/01/other.md").unlink(), (c / "2026-11-28/01/other.md").mkdir()],
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_scan_taking_the_kept_listings_finds_each_change_a_full_scan_finds(tmp_path, settled, change):
    config_path = _site(tmp_path)
    before, _ = _scans(config_path)
    settled()
    CHANGES[change](tmp_path / "content")
    kept, full = _scans(config_path)
    assert kept == full
    assert kept != before

def _kept_instead(root: Path, folder: str, names: tuple[str, ...], files: int) -> tuple[tuple[str, ...], int]:
    """Keep another listing for one folder, its status as the scan kept it; the names and count
    it had."""
    chunks, key = _chunks(root), folder + os.sep
    named = next(named for named, (_, chunk) in chunks.items() if key in marshal.loads(chunk))
    listing = marshal.loads(chunks[named][1])
    status, kept_names, kept_files = listing[key]
    listing[key] = (status, names, files)
    chunks[named] = len(listing), marshal.dumps(listing, 2)
    scanning.write_listing(root / ".broadsheet-cache" / "state" / scanning.LISTING, chunks)
    return kept_names, kept_files



def test_an_editor_leftover_added_changes_the_listing_but_not_the_scan(tmp_path, settled):
    config_path = _site(tmp_path)
    before, _ = _scans(config_path)
    settled()
    (tmp_path / "content/2026-11-27/01/.story.md.swp").write_text("x", encoding="utf-8")
    (tmp_path / "content/2026-11-27/01/story.md~").write_text("x", encoding="utf-8")
    kept, full = _scans(config_path)
    assert kept == full == before


def test_a_folder_whose_time_was_set_back_after_a_change_is_listed_again(tmp_path, settled):
    config_path = _site(tmp_path)
    _scans(config_path)
    before = os.stat(tmp_path / "content/2026-11-28/01").st_mtime_ns
    (tmp_path / "content/2026-11-28/01/remembered.md").write_text("x", encoding="utf-8")
    os.utime(tmp_path / "content/2026-11-28/01", ns=(before, before))  # its time as before: only its status time moved
    _kept_instead(tmp_path, "content/2026-11-28/01", ("other.md", "remembered.md"), 2)
    kept, full = _scans(config_path)
    assert "content/2026-11-28/01/remembered.md" in full[0]
    assert kept == full  # the folder's status time moved: listed again


def test_a_listing_whose_folder_status_matches_is_believed_and_untrusted_it_is_not(tmp_path, settled):
    config_path = _site(tmp_path)
    _scans(config_path)
    folder = "content/2026-11-28/01/"
    names, files = _kept_instead(tmp_path, "content/2026-11-28/01", (), 0)  # forgot other.md, its status still true
    assert names == ("other.md",) and files == 1
    kept, full = _scans(config_path)
    assert "content/2026-11-28/01/other.md" not in kept[0]  # taken as it was kept: the listing is used
    untrusted, full = _scans(config_path, trusted=False)  # --clean
    assert untrusted == full and "content/2026-11-28/01/other.md" in untrusted[0]
    assert _listing(tmp_path)[folder][1:] == (("other.md",), 1)  # and the listing kept anew


def test_a_folder_changed_just_now_is_not_remembered(tmp_path):
    config_path = _site(tmp_path)
    kept, full = _scans(config_path)
    assert kept == full
    assert not [folder for folder in _listing(tmp_path) if folder.startswith("content/")]
    assert [folder for folder in _listing(tmp_path) if folder.endswith(f"{os.sep}templates{os.sep}")]  # the theme's, settled


def test_a_damaged_listing_is_ignored_and_written_again(tmp_path, settled):
    config_path = _site(tmp_path)
    (tmp_path / ".broadsheet-cache" / "state").mkdir(parents=True)
    (tmp_path / ".broadsheet-cache" / "state" / scanning.LISTING).write_bytes(b"\x00not marshal")
    kept, full = _scans(config_path)
    assert kept == full
    assert "content/2026-11-27/01/" in _listing(tmp_path)


def test_a_scan_without_the_build_state_writes_no_listing(tmp_path, settled):
    config_path = _site(tmp_path)
    changes.scan(load_config(config_path, Problems()), config_path)
    assert not (tmp_path / ".broadsheet-cache").exists()


def test_the_fingerprint_changes_with_a_file_time_and_not_with_a_copy_of_the_scan(tmp_path):
    config_path = _site(tmp_path)
    _, (stats, folders) = _scans(config_path)
    again = changes.fingerprint("settings", (dict(stats), set(folders)))
    assert changes.fingerprint("settings", (stats, folders)) == again
    path = "content/2026-11-27/01/story.md"
    touched = {**stats, path: (stats[path][0] + 1, stats[path][1])}
    assert changes.fingerprint("settings", (touched, folders)) != again
    assert changes.fingerprint("other settings", (stats, folders)) != again


@pytest.mark.parametrize("name", ["a.md.swo", "desktop.ini", "Thumbs.db", "#a.md#", "~$a.docx", "a.bak", ".hidden"])
def test_names_the_quick_look_passes_on_are_ignored(name):
    assert scanning.ignored(name)
    assert name[0] in scanning._FIRST or name[-1] in scanning._LAST



def _newsroom_tree(root: Path) -> Path:
    """Editions of pages with their articles, images subfolders and an editor's leftovers."""
    content = root / "content"
    for day in range(1, 8):
        for page in ("01", "02", "A1"):
            folder = content / f"2026-11-{day:02}" / page
            (folder / "images").mkdir(parents=True)
            for story in range(day % 3 + 1):
                (folder / f"s{story}.md").write_text(f"---\ntitle: {day}{page}{story}\n---\n", encoding="utf-8")
            (folder / "images" / "photo.png").write_bytes(b"png" * day)
            (folder / ".s0.md.swp").write_text("x", encoding="utf-8")
        (content / f"2026-11-{day:02}" / "edition.yaml").write_text(f"number: {day}\n", encoding="utf-8")
    (content / "columns.yaml").write_text("{}\n", encoding="utf-8")
    (content / "Thumbs.db").write_text("x", encoding="utf-8")
    return content


def _walked(content: Path, known: scanning.Listing | None) -> tuple:
    walk = scanning.Walk(known)
    walk.walk(str(content), "content/")
    return list(walk.stats.items()), walk.folders, list(walk.listing.items()), walk.read


def _split_and_not(content: Path, known: scanning.Listing | None, monkeypatch) -> tuple[tuple, tuple, list]:
    """The same tree walked by one process and shared with a forked child; how many turns each
    process took (each turn slowed down, so that both take some)."""
    monkeypatch.setattr(scanning, "SPLIT_FOLDERS", 10**9)
    monkeypatch.setattr(scanning, "SPLIT_UNKNOWN", 10**9)
    alone = _walked(content, known)
    monkeypatch.setattr(scanning, "SPLIT_FOLDERS", 1)
    monkeypatch.setattr(scanning, "SPLIT_UNKNOWN", 2)
    monkeypatch.setattr(scanning, "SPLIT_BELOW", 2)
    monkeypatch.setattr(scanning, "_can_fork", lambda: True)  # however busy the machine
    descend, merge, taken = scanning.Walk.descend, scanning._merge, []
    monkeypatch.setattr(scanning.Walk, "descend", lambda walk, stack, *few: [time.sleep(0.02), descend(walk, stack, *few)])
    monkeypatch.setattr(scanning, "_merge", lambda walk, order, ours, theirs: [
        taken.extend((len(ours[4]), theirs and len(theirs[4]))), merge(walk, order, ours, theirs)])
    shared = _walked(content, known)
    return alone, shared, taken


SHARED_CHANGES = {
    "nothing changed": lambda c: None,
    "an article added": lambda c: (c / "2026-11-03/02/new.md").write_text("---\ntitle: 新\n---\n", encoding="utf-8"),
    "a photo removed": lambda c: (c / "2026-11-05/A1/images/photo.png").unlink(),
    "an edition added": lambda c: (c / "2026-11-08/01").mkdir(parents=True),
}


@pytest.mark.parametrize("turns", [1000, 3], ids=["a turn a folder", "several folders a turn"])
@pytest.mark.parametrize("change", SHARED_CHANGES, ids=list(SHARED_CHANGES))
def test_a_walk_shared_with_a_forked_child_finds_what_one_walk_finds_in_its_order(tmp_path, settled, monkeypatch,
                                                                                   change, turns):
    content = _newsroom_tree(tmp_path)
    known = dict(_walked(content, None)[2])
    settled()
    SHARED_CHANGES[change](content)
    monkeypatch.setattr(scanning, "TURNS", turns)
    alone, shared, taken = _split_and_not(content, known, monkeypatch)
    assert shared == alone  # files with their stats, folders, listings, in one order; folders read
    assert taken[0] > 0 and taken[1] > 0  # each process took turns
    assert len(alone[0]) >= 7 * 3 * 2 + 8 and not [name for name, _ in alone[0] if name.endswith((".swp", ".db"))]


def test_a_first_walk_with_no_listing_kept_is_shared_by_the_number_of_editions_and_finds_what_one_walk_finds(
        tmp_path, monkeypatch):
    content = _newsroom_tree(tmp_path)
    alone, shared, taken = _split_and_not(content, None, monkeypatch)
    assert shared == alone and alone[3] == len(alone[1]) + 1  # every folder listed (the top one too): none was kept
    assert taken[0] > 0 and taken[1] > 0


def test_a_first_walk_of_a_few_editions_is_not_shared(tmp_path, monkeypatch):
    content = _newsroom_tree(tmp_path)  # 7 editions
    monkeypatch.setattr(scanning, "_can_fork", lambda: True)
    monkeypatch.setattr(scanning, "split", lambda walk, below: pytest.fail("shared"))
    assert len(_walked(content, None)[1]) > 7


def test_a_shared_walk_whose_child_fails_walks_the_child_share_itself(tmp_path, settled, monkeypatch):
    content = _newsroom_tree(tmp_path)
    known = dict(_walked(content, None)[2])
    parent = os.getpid()
    share = scanning._share

    def failing(walk, order, turns):
        found = share(walk, order, turns)
        if os.getpid() != parent:
            raise OSError("the child fails after taking its turns")
        return found
    monkeypatch.setattr(scanning, "_share", failing)
    alone, shared, taken = _split_and_not(content, known, monkeypatch)
    assert shared == alone and alone[3] == 0
    assert taken[0] > 0 and taken[1] is None  # the child sent nothing: its turns walked here


@pytest.mark.parametrize("running, forks", [(1, True), (2, False)], ids=["a core to spare", "a busy machine"])
def test_a_walk_is_shared_only_with_a_core_to_spare(monkeypatch, running, forks):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(scanning, "_running", lambda: running)
    assert scanning._can_fork() is forks


def test_the_processes_wanting_a_core_count_this_one():
    assert scanning._running() >= 1


def test_a_walk_is_not_shared_while_another_thread_runs(monkeypatch):
    import threading
    monkeypatch.setattr(scanning, "_running", lambda: 1)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not scanning._can_fork()
    finally:
        stop.set()
        thread.join()


@pytest.mark.parametrize("through", ["its path", "a link to it"])
def test_a_scan_from_the_site_folder_looks_at_names_relative_to_it_and_finds_what_one_from_elsewhere_finds(
        tmp_path, settled, monkeypatch, through):
    content = _newsroom_tree(tmp_path / "site")
    site = tmp_path / "site"
    if through == "a link to it":
        (tmp_path / "link").symlink_to(site)
        site = tmp_path / "link"
    elsewhere = _walked(site / "content", None)
    monkeypatch.chdir(content.parent)
    walk = scanning.Walk()
    walk.walk(str(site / "content"), "content/")
    assert walk.base == ""  # the names are looked at from the working folder
    assert (list(walk.stats.items()), walk.folders, list(walk.listing.items()), walk.read) == elsewhere
    assert _walked(site / "content", None) == elsewhere


def test_a_scan_from_another_folder_looks_at_the_whole_paths(tmp_path, monkeypatch):
    content = _newsroom_tree(tmp_path / "site")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    walk = scanning.Walk()
    walk.walk(str(content), "content/")
    assert walk.base == str(tmp_path / "site") + os.sep
    assert "content/2026-11-01/01/s0.md" in walk.stats


def test_a_chunk_whose_listings_are_all_as_they_were_is_kept_as_read_and_a_changed_one_anew(tmp_path, settled):
    content = _newsroom_tree(tmp_path)
    known = dict(_walked(content, None)[2])
    settled()
    (content / "2026-11-03/02/new.md").write_text("---\ntitle: 新\n---\n", encoding="utf-8")
    walk = scanning.Walk(known)
    walk.walk(str(content), "content/")
    assert walk.listing["content/2026-11-04/"] is known["content/2026-11-04/"]
    changed = marshal.loads(walk.listing["content/2026-11-03/"][1])
    assert "new.md" in changed["content/2026-11-03/02/"][1]
    assert walk.listing["content/2026-11-03/"][0] == len(changed) == 7  # the edition, its three pages, their images
    assert walk.read == 1


def test_a_damaged_chunk_is_listed_again_and_the_others_taken(tmp_path, settled):
    content = _newsroom_tree(tmp_path)
    stats, folders, listing, _ = _walked(content, None)
    known = dict(listing)
    known["content/2026-11-05/"] = (7, b"\x00not marshal")
    assert _walked(content, known) == (stats, folders, listing, 7)  # its seven folders read again


@pytest.mark.parametrize("chunk", [(4,), (4, "not bytes"), ("4", b""), [4, b""]], ids=repr)
def test_a_listing_with_a_chunk_of_another_shape_is_not_used(tmp_path, chunk):
    path = tmp_path / scanning.LISTING
    scanning.write_listing(path, {"content/": (1, marshal.dumps({}, 2)), "content/2026-11-05/": chunk})
    assert scanning.read_listing(path) is None
