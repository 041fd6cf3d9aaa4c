"""A picture's facts found ahead, by the worker that reads the article naming it, are the
catalogue's when the file is as it was then; found again when it changed since."""

from __future__ import annotations

import os

from PIL import Image

from broadsheet.pictures.catalogue import Catalogue
from broadsheet.pictures.reading import Facts
from broadsheet.pictures.settings import PictureSettings


def _picture(path, size=(64, 40), colour=(200, 30, 30)):
    Image.new("RGB", size, colour).save(path, "PNG")


def test_facts_found_ahead_are_taken_for_the_unchanged_file(tmp_path):
    _picture(tmp_path / "p.png")
    path, mtime_ns, size, facts = Catalogue(tmp_path, PictureSettings(), clean=True).ahead(tmp_path / "p.png")
    assert (facts.width, facts.height) == (64, 40)
    catalogue = Catalogue(tmp_path, PictureSettings(), clean=True)
    catalogue.take(((path, mtime_ns, size, Facts("png", 7, 5, False, "found ahead")),))  # not read again
    picture = catalogue.add(tmp_path / "p.png", "2026-11-27/01/p.png", "p.png")
    assert (picture.width, picture.height) == (7, 5)


def test_a_file_changed_since_its_facts_were_found_ahead_is_read_again(tmp_path):
    _picture(tmp_path / "p.png")
    catalogue = Catalogue(tmp_path, PictureSettings(), clean=True)
    catalogue.take((catalogue.ahead(tmp_path / "p.png"),))
    _picture(tmp_path / "p.png", size=(80, 50))
    os.utime(tmp_path / "p.png", ns=(1, 1))
    picture = catalogue.add(tmp_path / "p.png", "2026-11-27/01/p.png", "p.png")
    assert (picture.width, picture.height) == (80, 50)


def test_no_facts_are_found_ahead_of_a_file_that_is_not_a_picture(tmp_path):
    (tmp_path / "p.png").write_text("not a picture", encoding="utf-8")
    assert Catalogue(tmp_path, PictureSettings(), clean=True).ahead(tmp_path / "p.png") is None
    assert Catalogue(tmp_path, PictureSettings(), clean=True).ahead(tmp_path / "missing.png") is None
