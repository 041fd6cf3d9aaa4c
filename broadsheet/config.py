"""The site configuration: `site.yaml`, validated."""

from __future__ import annotations

import os
import re
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .pictures.settings import PictureSettings, read_settings
from .problems import Problems
from .schema import read_mapping_file, suggest

LANGUAGES = ("zh-CN", "en")
SITE_KEYS = ("title", "language", "base_url", "description", "timezone", "publisher", "trust_raw_html",
             "pictures")
PUBLISHER_KEYS = ("name", "logo", "url")
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$")


@dataclass(frozen=True)
class Publisher:
    """The organisation behind the paper, for structured data."""

    name: str | None
    logo: str | None  # path relative to the site root
    url: str | None


@dataclass(frozen=True)
class SiteConfig:
    """What `site.yaml` says, with defaults filled in."""

    root: Path
    config_path: Path
    title: str
    language: str
    base_url: str | None
    description: str | None
    timezone: str
    publisher: Publisher
    trust_raw_html: bool = False
    pictures: PictureSettings = PictureSettings()  # the derivatives of photos and page pictures

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The site's time zone."""
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def content_dir(self) -> Path:
        """Where the newsroom's articles live."""
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        """The site's theme."""
        return self.root / "templates"

    @property
    def static_dir(self) -> Path:
        """Files copied to the output as they are."""
        return self.root / "static"


@lru_cache(maxsize=1)
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def known_zone(zone: str) -> bool:
    """Whether `zone` is one of `zoneinfo.available_timezones()`: where it is a file that their
    walk of the time zone folders finds, found so (two or three folders listed) instead of by
    reading every zone file, which a build with nothing changed would spend 15 ms on."""
    parts = zone.split("/")
    if zone != "posixrules" and parts[0] not in ("right", "posix") and "" not in parts and "." not in parts \
            and ".." not in parts and any(_walked_to(root, parts) for root in zoneinfo.TZPATH):
        return True
    return zone in _zone_names()


def _walked_to(root: str, parts: list[str]) -> bool:
    """Whether `os.walk(root)` (as `available_timezones` walks, links to folders not followed)
    finds the zone file named by `parts`: each name listed in its folder, as written."""
    folder = root
    try:
        for part in parts[:-1]:
            path = os.path.join(folder, part)
            if part not in os.listdir(folder) or os.path.islink(path) or not os.path.isdir(path):
                return False
            folder = path
        path = os.path.join(folder, parts[-1])
        if parts[-1] not in os.listdir(folder) or os.path.isdir(path):
            return False
        with open(path, "rb") as handle:
            return handle.read(4) == b"TZif"
    except OSError:
        return False


def check_url(text: str) -> bool:
    """True for an absolute http(s) URL."""
    return bool(_URL.match(text))


def load_config(path: Path, problems: Problems, base_url: str | None = None) -> SiteConfig | None:
    """Read and validate `site.yaml`; None when it has errors (they are in `problems`)."""
    root = path.parent
    rel = path.name
    if not path.is_file():
        problems.error(rel, 0, "not found: run in a site folder or pass --config FILE")
        return None
    before = len(problems.errors)
    loaded = read_mapping_file(path, rel, problems, SITE_KEYS, required=("title",), what="site.yaml")
    if loaded is None:
        return None
    keys, read = loaded
    title = read.string("title", keys.get("title"))
    language = read.string("language", keys.get("language")) or "zh-CN"
    if language not in LANGUAGES:
        read.error(keys["language"], f"'language' must be zh-CN or en, got '{language}'{suggest(language, LANGUAGES)}")
    url = read.string("base_url", keys.get("base_url"))
    if url is not None and not check_url(url):
        read.error(keys["base_url"], f"'base_url' must be an absolute URL like https://news.example.org/, got '{url}'")
    if base_url is not None:
        url = base_url
    if url and not url.endswith("/"):
        url += "/"
    zone = read.string("timezone", keys.get("timezone")) or "Asia/Shanghai"
    if not known_zone(zone):
        read.error(keys["timezone"], f"unknown time zone '{zone}'{suggest(zone, _zone_names())}")
    publisher = Publisher(None, None, None)
    if "publisher" in keys:
        pub = read.mapping(keys["publisher"], PUBLISHER_KEYS, what="'publisher'")
        if pub is not None:
            logo = read.string("logo", pub.get("logo"))
            if logo is not None and not _inside(root, logo):
                read.error(pub["logo"], f"publisher logo '{logo}' not found")
            purl = read.string("url", pub.get("url"))
            if purl is not None and not check_url(purl):
                read.error(pub["url"], f"publisher 'url' must be an absolute URL, got '{purl}'")
            publisher = Publisher(read.string("name", pub.get("name")), logo, purl)
    pictures = read_settings(read, keys.get("pictures"))
    if len(problems.errors) > before:
        return None
    return SiteConfig(
        root=root,
        config_path=path,
        title=title or "",
        language=language,
        base_url=url,
        description=read.string("description", keys.get("description")),
        timezone=zone,
        publisher=publisher,
        trust_raw_html=bool(read.boolean("trust_raw_html", keys.get("trust_raw_html"))),
        pictures=pictures,
    )


def _inside(root: Path, relative: str) -> bool:
    target = (root / relative).resolve()
    return target.is_file() and target.is_relative_to(root.resolve())
