"""site.yaml's time zone: a name `zoneinfo.available_timezones()` lists, found without listing them all."""

import zoneinfo

import pytest

from broadsheet import config
from broadsheet.problems import Problems


def test_every_listed_time_zone_is_known():
    assert [zone for zone in sorted(zoneinfo.available_timezones()) if not config.known_zone(zone)] == []


@pytest.mark.parametrize("zone", ["posixrules", "right/UTC", "posix/Asia/Shanghai", "Asia", "asia/shanghai",
                                  "Asia//Shanghai", "./UTC", "../zoneinfo/UTC", "", "Asia/Shangai"])
def test_names_not_listed_are_not_known(zone):
    assert zone not in zoneinfo.available_timezones()
    assert not config.known_zone(zone)


def test_a_site_with_a_listed_time_zone_is_read_without_listing_every_zone(tmp_path, monkeypatch):
    (tmp_path / "site.yaml").write_text("title: 日报\ntimezone: Europe/Paris\n", encoding="utf-8")
    config._zone_names.cache_clear()
    monkeypatch.setattr(zoneinfo, "available_timezones", lambda: pytest.fail("every zone listed"))
    found = config.load_config(tmp_path / "site.yaml", Problems())
    assert found is not None and found.timezone == "Europe/Paris"
