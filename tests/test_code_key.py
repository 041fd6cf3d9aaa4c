"""The code key: the digest of Broadsheet's code and of the libraries' versions that shape its output."""

from __future__ import annotations

from importlib import metadata

from broadsheet import cache


def test_the_versions_in_the_key_are_those_importlib_metadata_finds():
    names = ("markdown", "jinja2", "nh3", "pypinyin", "pyyaml", "Pillow", "PyYAML", "jinja_2")
    expected = {}
    for name in names:
        try:
            expected[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    assert cache.versions(names) == expected and len(expected) >= 5


def test_a_library_not_installed_has_no_version():
    assert cache.versions(("no-such-library-here",)) == {}
