"""The scan of every input, and the folders' listings it keeps in the build state: a scan that
takes them where their folder is unchanged finds exactly what reading every folder finds."""

from __future__ import annotations

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


def _listing(root: Path) -> scanning.Listing:
    found = scanning.read_listing(root / ".broadsheet-cache" / "state" / scanning.LISTING)
    assert found is not None
    return found


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
    listing = _listing(root)
    key = str(root / folder)
    status, kept_names, kept_files = listing[key]
    listing[key] = (status, names, files)
    scanning.write_listing(root / ".broadsheet-cache" / "state" / scanning.LISTING, listing)
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
    folder = str(tmp_path / "content/2026-11-28/01")
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
    assert not [folder for folder in _listing(tmp_path) if folder.startswith(str(tmp_path))]


def test_a_damaged_listing_is_ignored_and_written_again(tmp_path, settled):
    config_path = _site(tmp_path)
    (tmp_path / ".broadsheet-cache" / "state").mkdir(parents=True)
    (tmp_path / ".broadsheet-cache" / "state" / scanning.LISTING).write_bytes(b"\x00not marshal")
    kept, full = _scans(config_path)
    assert kept == full
    assert str(tmp_path / "content/2026-11-27/01") in _listing(tmp_path)


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

