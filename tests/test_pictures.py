"""Photos and page pictures as a newsroom brings them — a 6000×4000 JPEG with GPS, a portrait
stored sideways, a HEIC from a phone, a PNG screenshot, a scan of the printed page — are
published as light, upright derivatives without GPS or camera data, made once and kept."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from conftest import PROJECT, Site, copy_built_sample, errors_of, tree

sys.path.insert(0, str(Path(__file__).parent))
import camera_originals as camera  # noqa: E402

IMAGE_SUFFIXES = (".jpg", ".webp", ".avif", ".png")
LEAD = "2026-11-27/01/dongji-nongye.html"


@pytest.fixture(scope="session")
def originals(tmp_path_factory) -> dict[str, Path]:
    """Every kind of camera original, made once per session."""
    return camera.make_all(tmp_path_factory.mktemp("originals"))


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory, originals) -> Site:
    """The sample with the camera originals in it, built once: a copy of the session's clean build
    of the sample, so that only the originals' derivatives are made here."""
    made = copy_built_sample(tmp_path_factory, "newsroom")
    camera.add_to_sample(made.root, originals)
    run = made.run()
    assert run.status == 0, run.err
    return made


def published_images(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.suffix in IMAGE_SUFFIXES and "static" not in p.parts)


class _Pictures(HTMLParser):
    """Each <img> of a page, with the <source> elements of its <picture>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images: list[dict] = []
        self.sources: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "source":
            self.sources.append(dict(attrs))
        elif tag == "img":
            self.images.append(dict(attrs, sources=self.sources))
            self.sources = []


def images_of(html: str) -> list[dict]:
    parser = _Pictures()
    parser.feed(html)
    return parser.images


def candidates(image: dict) -> list[tuple[str, int]]:
    """(URL, width) of every srcset candidate of an <img> and its <source>s."""
    found = []
    for srcset in [image.get("srcset", "")] + [s["srcset"] for s in image["sources"]]:
        for item in srcset.split(","):
            url, width = item.split()
            found.append((url, int(width[:-1])))
    return found


def test_no_published_picture_carries_gps_or_the_camera_model_or_serial(newsroom):
    images = published_images(newsroom.out)
    assert len(images) > 40
    for path in images:
        with Image.open(path) as image:
            exif = image.getexif()
            assert camera.GPS_IFD not in exif and not exif.get_ifd(camera.GPS_IFD), path
            assert camera.MAKE not in exif and camera.MODEL not in exif, path
            assert camera.SERIAL not in exif.get_ifd(0x8769), path
            assert "xmp" not in image.info and "XML:com.adobe.xmp" not in image.info, path
        assert b"012345678901" not in path.read_bytes() and b"Canon" not in path.read_bytes(), path


def test_copyright_artist_and_colour_profile_are_kept(newsroom, originals):
    with Image.open(originals["camera.jpg"]) as source:
        profile = source.info["icc_profile"]
    for path in (newsroom.out / "2026-11-27/01/images").glob("camera.*"):
        with Image.open(path) as image:
            exif = image.getexif()
            assert (exif.get(camera.COPYRIGHT), exif.get(camera.ARTIST)) == ("(c) Hechuan Daily", "Su Yingxue"), path
            assert image.info.get("icc_profile") == profile, path


def test_no_camera_original_is_published(newsroom, originals):
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in originals.values()}
    names = set(originals) | {"dapeng.jpg", "page.png"}
    for path in newsroom.out.rglob("*"):
        if path.is_file():
            assert path.name not in names, path
            assert hashlib.sha256(path.read_bytes()).hexdigest() not in digests, path


def test_a_portrait_stored_sideways_is_published_upright_with_its_upright_size(newsroom):
    (portrait,) = [i for i in images_of(newsroom.read(LEAD)) if "portrait." in i["src"]]
    assert (portrait["width"], portrait["height"]) == ("3000", "4500")
    for url, width in candidates(portrait):
        with Image.open(newsroom.out / "2026-11-27/01" / url) as image:
            assert image.size == (width, round(4500 * width / 3000)), url
            rgb = image.convert("RGB")
            top, bottom = rgb.getpixel((width // 2, 2)), rgb.getpixel((width // 2, rgb.height - 3))
            assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0], (url, top, bottom)


def test_every_candidate_exists_at_its_width_never_wider_than_its_source(newsroom):
    sources = {"camera": (6000, 4000), "portrait": (3000, 4500), "screenshot": (2400, 1600), "phone": (2016, 1512)}
    seen = set()
    for url in (LEAD, "2026-11-27/02/nongji-dongjian.html"):
        for image in images_of(newsroom.read(url)):
            stem = Path(image["src"]).name.split(".")[0]
            if stem not in sources:
                continue
            seen.add(stem)
            width, height = sources[stem]
            assert (image["width"], image["height"]) == (str(width), str(height))
            assert {s["type"] for s in image["sources"]} == {"image/avif", "image/webp"}
            for candidate, candidate_width in candidates(image):
                assert candidate_width <= min(width, 2400)
                with Image.open(newsroom.out / Path(url).parent / candidate) as found:
                    assert found.width == candidate_width
                    assert found.format == {"jpg": "JPEG", "webp": "WEBP", "avif": "AVIF"}[candidate.rsplit(".", 1)[1]]
    assert seen == set(sources)


def test_the_lead_photo_is_fetched_first_and_the_others_when_scrolled_to(newsroom):
    images = [i for i in images_of(newsroom.read(LEAD)) if "/images/" in i["src"]]
    assert [(i.get("fetchpriority"), i.get("loading")) for i in images] == [("high", None), (None, "lazy"), (None, "lazy")]
    (front_lead,) = [i for i in images_of(newsroom.read("index.html")) if "camera." in i["src"]]
    assert front_lead.get("fetchpriority") == "high" and "loading" not in front_lead


def test_shared_image_is_the_1200_px_derivative(newsroom):
    html = newsroom.read(LEAD)
    og = dict(re.findall(r'<meta property="(og:image[^"]*)" content="([^"]*)"', html))
    assert re.search(r"/images/camera\.[0-9a-f]{12}\.1200\.jpg$", og["og:image"])
    assert (og["og:image:width"], og["og:image:height"]) == ("1200", "800")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["image"][0]["url"] == og["og:image"]
    assert (data["image"][0]["width"], data["image"][0]["height"]) == (1200, 800)


def test_the_page_picture_is_derived_and_its_full_size_scan_one_click_away(newsroom):
    html = newsroom.read("2026-11-27/01/index.html")
    (replica,) = [i for i in images_of(html) if "scan." in i["src"]]
    assert (replica["width"], replica["height"]) == ("3000", "4500")
    full = re.search(r'<a class="scan-link" href="([^"]+)">', html).group(1)
    with Image.open(newsroom.out / "2026-11-27/01" / full) as image:
        assert image.size == (3000, 4500) and image.format == "JPEG"
        assert not image.getexif().get_ifd(camera.GPS_IFD)
    assert html.count('class="hotspot"') >= 2


def test_an_unknown_format_is_refused_at_the_photo_line(site):
    bitmap = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(bitmap, "BMP")
    site.write("content/2026-11-27/01/images/scan.bmp", bitmap.getvalue())
    site.article("2026-11-27/01/story.md", "title: 标题\nphotos:\n  - src: images/scan.bmp\n    caption: 图\n")
    run = site.run()
    assert run.status == 1
    assert errors_of(run) == ["content/2026-11-27/01/story.md:4: 'images/scan.bmp' is a BMP file: photos and page "
                              "pictures must be JPEG, PNG, WebP, GIF, TIFF, HEIC/HEIF or AVIF; export it as JPEG"]


# -- made once, kept, pruned ---------------------------------------------------------------


def small_site(site: Site, names=("one", "two")) -> Site:
    """The minimal site with two 1000×700 camera photos (one stored sideways) on its article."""
    for index, name in enumerate(names):
        picture = camera.scene(1000, 700, index)
        exif = camera.camera_exif(orientation=6 if index else 1)
        buffer = io.BytesIO()
        (picture.transpose(Image.Transpose.ROTATE_90) if index else picture).save(buffer, "JPEG", exif=exif)
        site.write(f"content/2026-11-27/01/images/{name}.jpg", buffer.getvalue())
    photos = "".join(f"  - src: images/{name}.jpg\n    caption: 图\n" for name in names)
    site.article("2026-11-27/01/story.md", f"title: 标题\nphotos:\n{photos}")
    return site


def picture_work(run) -> tuple[int, int]:
    """(sources derived, sources published) from the --verbose note of a build."""
    found = re.search(r"pictures: derived (\d+) of (\d+) sources", run.out + run.err)
    assert found, run.out + run.err
    return int(found.group(1)), int(found.group(2))


def test_derivatives_are_byte_identical_on_every_build(site, tmp_path):
    small_site(site)
    assert site.run().status == 0
    first = {k: v for k, v in tree(site.out).items() if k.endswith(IMAGE_SUFFIXES)}
    again = tmp_path / "again"
    assert site.run("--clean", "--out", str(again)).status == 0
    assert len(first) == 2 * 3 * 3  # two photos, widths 480, 800 and their own 1000 (700 upright), three formats
    assert {k: v for k, v in tree(again).items() if k.endswith(IMAGE_SUFFIXES)} == first


def test_a_rebuild_without_a_changed_picture_derives_none(site):
    small_site(site)
    assert picture_work(site.run("--verbose")) == (2, 2)
    site.article("2026-11-27/01/other.md", "title: 另一篇\n")  # a full build, not a quick one
    assert picture_work(site.run("--verbose")) == (0, 2)
    assert "nothing to do" in (lambda r: r.out + r.err)(site.run("--verbose"))


def test_replacing_a_photo_redoes_only_its_derivatives_and_deleting_one_prunes_them(site, tmp_path):
    small_site(site)
    assert site.run().status == 0
    before = {p.name for p in (site.out / "2026-11-27/01/images").iterdir()}
    store = site.root / ".broadsheet-cache/pictures"
    keys = {p.name for p in store.glob("*/*")}
    buffer = io.BytesIO()
    camera.scene(1000, 700, 9).save(buffer, "JPEG")
    site.write("content/2026-11-27/01/images/one.jpg", buffer.getvalue())
    assert picture_work(site.run("--verbose")) == (1, 2)
    after = {p.name for p in (site.out / "2026-11-27/01/images").iterdir()}
    assert len(after) == len(before) and len(after & before) == len(before) // 2  # "two" kept as it was
    assert len({p.name for p in store.glob("*/*")} - keys) == 1 and len(keys - {p.name for p in store.glob("*/*")}) == 1
    site.article("2026-11-27/01/story.md", "title: 标题\nphotos:\n  - src: images/two.jpg\n    caption: 图\n")
    (site.root / "content/2026-11-27/01/images/one.jpg").unlink()
    assert picture_work(site.run("--verbose")) == (0, 1)
    assert all(name.startswith("two.") for name in (p.name for p in (site.out / "2026-11-27/01/images").iterdir()))
    assert len(list(store.glob("*/*"))) == 1
    clean = tmp_path / "clean"
    assert site.run("--clean", "--out", str(clean)).status == 0
    assert tree(site.out) == tree(clean)


def test_pictures_settings_shape_the_derivatives(site):
    small_site(site, names=("one",))
    site.write("site.yaml", "title: 测试日报\npictures:\n  widths: [300, 600]\n  formats: [webp]\n  quality: 60\n")
    assert site.run().status == 0
    names = sorted(p.name.split(".", 2)[2] for p in (site.out / "2026-11-27/01/images").iterdir())
    assert names == ["300.jpg", "300.webp", "600.jpg", "600.webp"]


def test_a_bad_pictures_setting_is_an_error_at_its_line(site):
    site.write("site.yaml", "title: 测试日报\npictures:\n  widths: [480, wide]\n  formats: [gif]\n  quality: {webp: 101}\n")
    run = site.run()
    assert run.status == 1
    assert errors_of(run) == [
        "site.yaml:3: 'widths' must be a whole number, got 'wide'",
        "site.yaml:4: 'formats' may list avif and webp (JPEG is always made as the fallback), got 'gif'",
        "site.yaml:5: 'quality webp' must be between 1 and 100, got 101",
    ]


# -- as a reader's browser meets them ------------------------------------------------------------


@pytest.fixture(scope="module")
def served(newsroom):
    import headless

    headless.require(need_axe=False)
    with headless.serve(newsroom.out) as base:
        yield base


@pytest.mark.parametrize("viewport,scale,widest", [({"width": 375, "height": 812}, 2, 800),
                                                   ({"width": 1280, "height": 900}, 1, 1600)])
def test_chromium_loads_a_fitting_candidate_of_every_picture(served, viewport, scale, widest):
    import headless
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = headless.launch(playwright)
        try:
            page = browser.new_page(viewport=viewport, device_scale_factor=scale)
            for url in (LEAD, "index.html", "2026-11-27/01/index.html", "2026-11-27/02/nongji-dongjian.html"):
                page.goto(served + url, wait_until="load")
                page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
                page.wait_for_function("() => [...document.images].every(i => i.complete)")
                for image in page.evaluate("""() => [...document.querySelectorAll('picture img')].map(i => ({
                        src: i.currentSrc, natural: i.naturalWidth, shown: i.getBoundingClientRect().width,
                        high: i.getBoundingClientRect().height, width: +i.getAttribute('width'),
                        height: +i.getAttribute('height')}))"""):
                    assert image["natural"] > 0 and image["src"].endswith(".avif"), (url, image)
                    chosen = int(image["src"].rsplit(".", 2)[1])
                    assert chosen <= max(widest, 1000), (url, image)  # no 2400-px file for a phone
                    # the smallest candidate that covers the box on this screen, or the widest there is
                    assert chosen >= min(image["shown"] * scale * 0.9, 1600) or chosen == image["width"], (url, image)
                    assert abs(image["shown"] / image["high"] - image["width"] / image["height"]) < 0.02, (url, image)
        finally:
            browser.close()


def test_lighthouse_mobile_front_and_camera_article(served):
    """The issue's acceptance: performance ≥ 95 and page weight ≤ 400 KB on a phone. Lighthouse's
    simulated throttling is steady, but a shared machine is not: a page below 95 is audited once more."""
    sys.path.insert(0, str(PROJECT / "bench"))
    from lighthouse import LIGHTHOUSE, PAGES, audit

    if not LIGHTHOUSE.is_file():
        reason = f"{LIGHTHOUSE.relative_to(PROJECT)} is missing (npm ci)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true, and Lighthouse cannot run: {reason}", pytrace=False)
        pytest.skip(reason)
    for name, url in PAGES.items():
        found = audit(served + url)
        if found["score"] < 95:
            found = audit(served + url)
        assert found["score"] >= 95, (name, found)
        assert found["bytes"] <= 400 * 1024, (name, found)


def test_a_body_image_and_a_linked_photo_are_published_as_derivatives(site):
    small_site(site, names=("one",))
    site.article("2026-11-27/01/story.md", "title: 标题\n", "正文。\n\n![现场](images/one.jpg)\n\n[看大图](images/one.jpg)\n")
    assert site.run().status == 0
    html = site.read("2026-11-27/01/story.html")
    assert re.search(r'<img alt="现场" loading="lazy" src="images/one\.[0-9a-f]{12}\.1000\.jpg" width="1000" height="700"', html), html
    assert re.search(r'<a href="images/one\.[0-9a-f]{12}\.1000\.jpg">看大图</a>', html)
    assert not (site.out / "2026-11-27/01/images/one.jpg").exists()


def test_pruning_leaves_other_folders_of_the_picture_store_alone(site):
    """A folder of the store that is not one of its keys is not the photos' to prune (pages/ is the
    page replica's, which prunes its own pictures: tests/test_replica.py)."""
    small_site(site, names=("one",))
    kept = site.write(".broadsheet-cache/pictures/elsewhere/2026-11-27-01.png", b"a page picture")
    assert site.run().status == 0
    assert kept.read_bytes() == b"a page picture"


def test_a_truncated_photo_is_an_error_naming_it_and_the_old_output_stays(site):
    small_site(site, names=("one",))
    assert site.run().status == 0
    before = tree(site.out)
    whole = (site.root / "content/2026-11-27/01/images/one.jpg").read_bytes()
    site.write("content/2026-11-27/01/images/one.jpg", whole[: len(whole) // 2])
    run = site.run()
    assert run.status == 1 and "Traceback" not in run.err
    (error,) = errors_of(run)
    assert error.startswith("content/2026-11-27/01/story.md:4: 'images/one.jpg' cannot be read as a picture (image file is")
    assert error.endswith("); open it and save it again as JPEG")
    assert tree(site.out) == before


def test_encoding_a_derivative_imports_pillows_plugin_of_its_format_alone():
    code = (
        "import sys\n"
        "from PIL import Image\n"
        "from broadsheet.pictures.encoding import encode\n"
        "from broadsheet.pictures.published import Rendition\n"
        "from broadsheet.pictures.settings import PictureSettings\n"
        "picture = Image.new('RGB', (8, 6), 'red')\n"
        "for kind in ('avif', 'webp', 'jpeg', 'png'):\n"
        "    assert encode(picture, Rendition('x', 8, 6, kind), PictureSettings(), None, None)\n"
        "print(Image._initialized, 'PIL.TiffImagePlugin' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["1", "False"]  # Image.preinit's five, and not Image.init's forty


def test_reading_a_site_lists_no_folder_the_walk_has_listed_already(tmp_path_factory, monkeypatch):
    """Each photo's path is checked against its folders' listings for its exact case: those of
    the walk over content/, not one more listing of the same folders per photo."""
    from broadsheet.config import load_config
    from broadsheet.content import load_site
    from broadsheet.problems import Problems

    made = copy_built_sample(tmp_path_factory, "listed")
    listed: list[str] = []
    real = os.listdir
    monkeypatch.setattr(os, "listdir", lambda folder=".": listed.append(os.fspath(folder)) or real(folder))
    problems = Problems()
    site = load_site(load_config(made.root / "site.yaml", problems), problems)
    assert site is not None and any(a.photos for a in site.articles)
    assert [f for f in listed if "content" in Path(f).parts] == []
