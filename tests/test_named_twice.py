"""A photo many articles name is found and planned once per build, as each naming it gets it."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from broadsheet.pictures import catalogue
from broadsheet.pictures.catalogue import Catalogue
from broadsheet.pictures.settings import PictureSettings


def _photo(root: Path) -> Path:
    path = root / "content/2026-11-27/images/shared.jpg"
    path.parent.mkdir(parents=True)
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), "blue").save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_picture_named_twice_is_read_once_and_reported_where_first_named(tmp_path, monkeypatch):
    path = _photo(tmp_path)
    reads: list[Path] = []
    real = catalogue.facts
    monkeypatch.setattr(catalogue, "facts", lambda p, name: reads.append(p) or real(p, name))
    pictures = Catalogue(tmp_path, PictureSettings())
    url = "2026-11-27/images/shared.jpg"
    first = pictures.add(path, url, "images/shared.jpg", where=("content/2026-11-27/01/a.md", 4))
    second = pictures.add(path, url, "../images/shared.jpg", where=("content/2026-11-27/02/b.md", 7))
    assert reads == [path]
    assert second == first
    assert [s.named_at for s in pictures.work()] == [("content/2026-11-27/01/a.md", 4, "images/shared.jpg")]


def test_a_page_scan_named_as_a_photo_too_gets_its_full_size_fallback_apart(tmp_path):
    path = _photo(tmp_path)
    pictures = Catalogue(tmp_path, PictureSettings())
    url = "2026-11-27/images/shared.jpg"
    photo = pictures.add(path, url, "shared.jpg")
    scan = pictures.add(path, url, "shared.jpg", full=True)
    assert photo != scan and len(pictures.work()) == 2


def _references(root: Path):
    from broadsheet.cache import BuildCache
    from broadsheet.config import load_config
    from broadsheet.problems import Problems
    from broadsheet.references import References
    from broadsheet.schema import Reader

    (root / "site.yaml").write_text("title: 测试日报\n", encoding="utf-8")
    problems = Problems()
    config = load_config(root / "site.yaml", problems)
    return References(config, problems, BuildCache(key="test")), Reader("content/a.md", problems), problems


def test_a_file_named_from_two_folders_is_the_same_file_listed_once(tmp_path, monkeypatch):
    path = _photo(tmp_path)
    references, read, problems = _references(tmp_path)
    listed: list[str] = []
    real = references.listing
    monkeypatch.setattr(references, "listing", lambda folder: listed.append(folder) or real(folder))
    first = references.resolve(read, None, tmp_path / "content/2026-11-27/01", "../images/shared.jpg", "photo", 3)
    second = references.resolve(read, None, tmp_path / "content/2026-11-27/02", "../images/shared.jpg", "photo", 5)
    assert first == second == path and not problems.items
    assert len(listed) == 3  # content/, its edition's folder, images/: once each
    assert references.published() == (("content/2026-11-27/images/shared.jpg", "2026-11-27/images/shared.jpg"),)


def test_a_folder_named_as_a_photo_is_not_found_each_time_it_is_named(tmp_path):
    _photo(tmp_path)
    references, read, problems = _references(tmp_path)
    for line in (3, 4):
        assert references.resolve(read, None, tmp_path / "content/2026-11-27", "images", "photo", line) is None
    assert [(p.line, p.message) for p in problems.items] == [(3, "photo 'images' not found"), (4, "photo 'images' not found")]
