"""A save of the whole build state on two cores (`saving.save` with `jobs`): a forked child writes
the site shard and the listing pages' side shards while the build writes the edition shards, and
the index is written once both are done. The state is the one a save on one core writes; a
child that cannot write leaves the index of the last good save, and the next build is whole."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from broadsheet import listed, state
from broadsheet.changes import COMMITTING, INDEX
from conftest import PROJECT, Site, assert_same_as_clean_build

sys.path.insert(0, str(PROJECT / "bench"))
from make_corpus import make  # noqa: E402


def built(root: Path, jobs: str) -> Site:
    """A generated site of 80 articles, built from nothing with `--jobs`."""
    made = Site(root)
    make(80, made.root)
    assert made.run("--jobs", jobs).status == 0
    return made


def named(site: Site) -> dict[str, str]:
    """The shards the index names, with their tokens."""
    with (site.root / ".broadsheet-cache" / state.STATE / INDEX).open("rb") as handle:
        pickle.load(handle)  # the index's head, then the rest (saving.save)
        return pickle.load(handle)[1]


def tokens_on_disk(site: Site) -> dict[str, str]:
    """The token each shard file carries."""
    found = {}
    for path in (site.root / ".broadsheet-cache" / state.STATE).glob("*.pickle"):
        if path.name != INDEX:
            with path.open("rb") as handle:
                reader = pickle.Unpickler(handle)
                reader.persistent_load = lambda key: key  # (the site shard names the model's values by key)
                found[path.stem] = reader.load()[0]
    return found


def test_a_whole_save_on_two_cores_writes_the_shards_a_save_on_one_core_writes(tmp_path):
    two, one = built(tmp_path / "two", "2"), built(tmp_path / "one", "1")
    assert named(two).keys() == named(one).keys()
    assert state.SITE in named(two) and any(listed.is_side(name) for name in named(two))
    assert tokens_on_disk(two) == named(two)
    assert [o.url for o in kept(two).built.outputs] == [o.url for o in kept(one).built.outputs]


def kept(site: Site):
    """The build state on disk with the whole kept model read, under the key it was saved with."""
    with (site.root / ".broadsheet-cache" / state.STATE / INDEX).open("rb") as handle:
        key = pickle.load(handle)[1]["key"]
    cache, shards = state.load(site.root, key)
    assert shards is not None and state.read_shards(cache, shards, True, [])
    assert cache.built is not None
    return cache


def test_a_side_shard_that_cannot_be_written_leaves_the_last_index_and_a_whole_build_next(tmp_path, monkeypatch):
    site = built(tmp_path / "site", "2")
    before = named(site)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(listed, "parts", full_disk)  # (in the forked child, which inherits it)
    assert site.run("--clean", "--jobs", "2").status == 0  # the output is built; only its state is not saved
    assert named(site) == before
    assert (site.root / ".broadsheet-cache" / state.STATE / COMMITTING).exists()
    monkeypatch.undo()
    again = site.run("--verbose", "--jobs", "2")
    assert again.status == 0 and "every output is written again" in again.err
    assert_same_as_clean_build(site, tmp_path)
