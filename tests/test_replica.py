"""The page replica from the printed page's PDF: a page.yaml naming only its `pdf` gets its page
picture drawn from it and each story's hotspot found where the story is printed.

Every PDF is made during the run: four stories laid out in HTML at known places (two rows, in
Chinese and in English), printed by Chromium, each story's true text box measured in the same
layout (`printed.py`).
"""

from __future__ import annotations

import io
import re
import shutil

import pytest
from conftest import Site, assert_same_as_clean_build, errors_of, snapshot, tree, warnings_of
from PIL import Image

import headless
import printed
import replica_pages as pages
from broadsheet.replica import pdf as replica_pdf

FRONT = "2026-12-01/01/index.html"
HOTSPOT = re.compile(r'<a class="hotspot" href="([^"]+)" style="left: ([\d.]+)%; top: ([\d.]+)%; width: ([\d.]+)%; height: ([\d.]+)%"')


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for the module: it prints every PDF and opens every built page."""
    headless.require(need_axe=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = headless.launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def made(tmp_path_factory, chromium):
    """The Chinese and English pages printed once: (PDF bytes, true boxes) by language."""
    folder = tmp_path_factory.mktemp("printed")
    found = {}
    for language, stories in (("zh-CN", pages.CHINESE), ("en", pages.ENGLISH)):
        path = folder / f"{language}.pdf"
        boxes = printed.print_pdf(printed.page_html(stories, pages.WIDTH, pages.HEIGHT, language), path,
                                  pages.WIDTH, pages.HEIGHT, chromium)
        found[language] = (path.read_bytes(), boxes)
    return found


def hotspots(site: Site, url: str = FRONT) -> dict[str, list[tuple[float, ...]]]:
    """The hotspots of a built page: the article file name they lead to -> their areas."""
    found: dict[str, list[tuple[float, ...]]] = {}
    for href, *numbers in HOTSPOT.findall(site.read(url)):
        found.setdefault(href.rsplit("/", 1)[-1].removesuffix(".html"), []).append(tuple(map(float, numbers)))
    return found


def paper(tmp_path, made, language="zh-CN", extras=None) -> Site:
    site = Site(tmp_path / "site")
    stories = pages.CHINESE if language == "zh-CN" else pages.ENGLISH
    pages.write_site(site, stories, language, made[language][0], extras)
    return site


@pytest.fixture
def opened(monkeypatch):
    """Counts the PDFs opened (the builds run with one job, so in this process)."""
    calls = []
    real = replica_pdf.read

    def counting(data, picture=None):
        calls.append(picture)
        return real(data, picture)

    monkeypatch.setattr(replica_pdf, "read", counting)
    return calls


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_every_story_of_four_in_two_rows_is_found_where_it_is_printed(tmp_path, made, language):
    site = paper(tmp_path, made, language)
    run = site.run()
    assert run.status == 0, run.err
    assert warnings_of(run) == []
    found, truth = hotspots(site), made[language][1]
    assert sorted(found) == sorted(truth)
    for key, areas in found.items():
        assert len(areas) == 1, (key, areas)
        assert printed.iou(areas[0], truth[key]) >= 0.6, (key, areas[0], truth[key])


def test_a_headline_letter_spaced_over_two_lines_in_full_width_forms_is_found(tmp_path, made, chromium):
    """The layout system spaced the headline's characters, broke it over two lines and set its
    digits and colon full-width; the article file has them half-width, with other quotes."""
    site = paper(tmp_path, made)
    printed_story = dict(pages.CHINESE[1], kicker="石桥镇：", title="乡村书画院办到家门口　学员已有８０多人",
                         paragraphs=["周末的文化站格外热闹。", "书画院设在闲置的粮站里。"])
    html_text = printed.page_html([*pages.CHINESE[:1], printed_story, *pages.CHINESE[2:]], pages.WIDTH, pages.HEIGHT)
    html_text = html_text.replace(".title { font-size: 26pt;", ".title { letter-spacing: 0.4em; font-size: 26pt;")
    path = tmp_path / "spaced.pdf"
    truth = printed.print_pdf(html_text, path, pages.WIDTH, pages.HEIGHT, chromium)
    site.write("content/2026-12-01/01/page.pdf", path.read_bytes())
    site.article("2026-12-01/01/shuhua.md", "title: '乡村书画院办到家门口 学员已有80多人'\nkicker: '石桥镇:'\n",
                 "周末的文化站「格外」热闹，村民围坐在长桌前。\n")  # other quotes, and more than was printed
    run = site.run()
    assert run.status == 0, run.err
    assert warnings_of(run) == []
    assert printed.iou(hotspots(site)["shuhua"][0], truth["shuhua"]) >= 0.6


def test_a_story_set_in_two_blocks_around_others_gets_two_areas(tmp_path, made, chromium):
    """Page 01 prints the first story's first three paragraphs at the top left and the rest
    at the bottom right, with two other stories between them."""
    site = paper(tmp_path, made)
    (site.root / "content/2026-12-01/01/daoyuan.md").unlink()
    lead = pages.CHINESE[0]
    first = dict(lead, paragraphs=lead["paragraphs"][:3])
    second = {"key": "shuiku-2", "box": (156, 212, 130), "columns": 2, "paragraphs": lead["paragraphs"][3:]}
    path = tmp_path / "blocks.pdf"
    truth = printed.print_pdf(printed.page_html([first, pages.CHINESE[1], pages.CHINESE[2], second], pages.WIDTH,
                                                pages.HEIGHT), path, pages.WIDTH, pages.HEIGHT, chromium)
    site.write("content/2026-12-01/01/page.pdf", path.read_bytes())
    run = site.run()
    assert run.status == 0, run.err
    areas = hotspots(site)["shuiku"]
    assert len(areas) == 2
    assert printed.iou(areas[0], truth["shuiku"]) >= 0.6 and printed.iou(areas[1], truth["shuiku-2"]) >= 0.6


def _full_size(site: Site):
    """The page picture's full-size JPEG derivative (the one a reader clicks through to)."""
    found = sorted((site.out / "2026-12-01/01").glob("page.*.jpg"), key=lambda p: int(p.name.split(".")[-2]))
    assert found, "the page picture has derivatives"
    return found[-1]


def test_the_page_picture_is_drawn_from_the_pdf(tmp_path, made):
    site = paper(tmp_path, made)
    site.write("site.yaml", "title: 测试日报\nlanguage: zh-CN\n")  # the default widths
    assert site.run().status == 0
    page = site.read(FRONT)
    image = re.search(r'<img src="../../2026-12-01/01/page\.[0-9a-f]+\.\d+\.jpg" srcset="[^"]*" sizes="[^"]*" '
                      r'alt="[^"]*" width="(\d+)" height="(\d+)"', page)
    assert image, "the page view shows the picture drawn from page.pdf, as its derivatives"
    with Image.open(_full_size(site)) as picture:
        assert picture.size == (int(image[1]), int(image[2]))
        # 200 dpi: a 300 mm wide page is about 2,360 pixels wide, so 9.5-point type stays readable
        assert picture.size[0] == pytest.approx(300 / 25.4 * replica_pdf.DPI, abs=2)
        assert min(picture.convert("RGB").getpixel((5, 5))) >= 250  # white behind the page
    assert (site.out / "2026-12-01/01/page.pdf").read_bytes() == made["zh-CN"][0]
    kept = list((site.root / ".broadsheet-cache/pictures/pages").iterdir())
    assert len(kept) == 1 and kept[0].suffix == ".png"


def test_an_explicit_image_wins_over_the_pdf(tmp_path, made):
    site = paper(tmp_path, made)
    picture = io.BytesIO()
    Image.new("RGB", (300, 420), "white").save(picture, "PNG")
    site.write("content/2026-12-01/01/scan.png", picture.getvalue())
    site.write("content/2026-12-01/01/page.yaml", "pdf: page.pdf\nimage: scan.png\n")
    run = site.run()
    assert run.status == 0, run.err
    assert re.search(r'<img src="../../2026-12-01/01/scan\.[0-9a-f]+\.\d+\.jpg"', site.read(FRONT))
    assert not list((site.out / "2026-12-01/01").glob("page.*.jpg"))
    assert len(hotspots(site)) == 4  # the picture is the page's shape: the hotspots are still found


def test_an_explicit_area_wins_over_the_found_one(tmp_path, made):
    site = paper(tmp_path, made, extras={"shuhua": "area: [10, 20, 30, 40]"})
    assert site.run().status == 0
    found = hotspots(site)
    assert found["shuhua"] == [(10.0, 20.0, 30.0, 40.0)]
    assert printed.iou(found["shuiku"][0], made["zh-CN"][1]["shuiku"]) >= 0.6


def test_a_story_not_on_the_pdf_gets_no_hotspot_and_a_warning_naming_the_pdf(tmp_path, made):
    site = paper(tmp_path, made)
    site.article("2026-12-01/01/wanbao.md", "title: 晚报专栏今日休刊\n", "本期专栏暂停一次，下周照常刊出，敬请读者留意相关安排。\n")
    run = site.run()
    assert run.status == 0, run.err
    assert warnings_of(run) == [
        "content/2026-12-01/01/wanbao.md:2: warning: not found on page 01's PDF 'content/2026-12-01/01/page.pdf' "
        "(neither its headline nor its text is printed there): no hotspot; check that this is the printed story, "
        "or give it an 'area'"]
    assert "wanbao" not in hotspots(site) and len(hotspots(site)) == 4


def test_a_story_continued_on_another_page_is_found_there_too(tmp_path, made, chromium):
    """The first three paragraphs on page 01, the last two on page 02's own PDF (上接第1版)."""
    site = paper(tmp_path, made, extras={"shuiku": "continued_on: ['02']"})
    lead = dict(pages.CHINESE[0], paragraphs=pages.CHINESE[0]["paragraphs"][:3])
    rest = {"key": "shuiku", "box": (14, 20, 130), "columns": 2, "kicker": "上接第1版",
            "paragraphs": pages.CHINESE[0]["paragraphs"][3:]}
    other = dict(pages.CHINESE[1], box=(160, 20, 126), columns=2)
    for label, stories in (("01", [lead, *pages.CHINESE[1:]]), ("02", [rest, other])):
        path = tmp_path / f"{label}.pdf"
        truth = printed.print_pdf(printed.page_html(stories, pages.WIDTH, pages.HEIGHT), path, pages.WIDTH, pages.HEIGHT, chromium)
        site.write(f"content/2026-12-01/{label}/page.pdf", path.read_bytes())
    site.write("content/2026-12-01/02/page.yaml", "pdf: page.pdf\n")
    shutil.move(site.root / "content/2026-12-01/01/shuhua.md", site.root / "content/2026-12-01/02/shuhua.md")
    run = site.run()
    assert run.status == 0, run.err
    assert warnings_of(run) == []
    there = hotspots(site, "2026-12-01/02/index.html")
    assert printed.iou(there["shuiku"][0], truth["shuiku"]) >= 0.6
    assert printed.iou(there["shuhua"][0], truth["shuhua"]) >= 0.6
    assert 'href="../../2026-12-01/01/shuiku.html"' in site.read("2026-12-01/02/index.html")


def test_a_rebuild_opens_no_pdf(tmp_path, made, opened):
    site = paper(tmp_path, made)
    assert site.run("--jobs", "1").status == 0
    assert len(opened) == 1
    first = tree(site.out)
    assert site.run("--jobs", "1").status == 0  # nothing changed
    (site.root / "content/2026-12-01/01/page.pdf").touch()  # its time changed, not its content
    assert site.run("--jobs", "1").status == 0
    story = site.root / "content/2026-12-01/01/shuhua.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n本报将持续关注。\n", encoding="utf-8")
    assert site.run("--jobs", "1").status == 0  # an article of the page edited: found again, from the kept lines
    assert len(opened) == 1
    assert tree(site.out).keys() == first.keys()
    assert_same_as_clean_build(site, tmp_path)


def test_an_edited_headline_and_body_find_the_story_again_as_a_clean_build_does(tmp_path, made):
    """Only an article changed, in its headline and body: the build does not take the edited
    article into the kept model as it is, since its text places its hotspot."""
    site = paper(tmp_path, made)
    assert site.run().status == 0
    assert "shuhua" in hotspots(site)
    rewritten = dict(pages.CHINESE[1], title="换了一个标题", paragraphs=["换了一段没有印在版面上的正文，内容完全不同。"])
    site.write("content/2026-12-01/01/shuhua.md", pages.article_text(rewritten))  # its byline, its place kept
    run = site.run()
    assert run.status == 0, run.err
    assert "shuhua" not in hotspots(site)
    assert [w.split(": warning: ")[0] for w in warnings_of(run)] == ["content/2026-12-01/01/shuhua.md:2"]
    assert_same_as_clean_build(site, tmp_path)


def test_a_changed_pdf_changes_the_picture_and_the_areas(tmp_path, made, opened, chromium):
    site = paper(tmp_path, made)
    assert site.run("--jobs", "1").status == 0
    before, picture = hotspots(site), _full_size(site).read_bytes()
    moved = [dict(story, box=(story["box"][0], story["box"][1] + 30, story["box"][2])) for story in pages.CHINESE]
    path = tmp_path / "moved.pdf"
    truth = printed.print_pdf(printed.page_html(moved, pages.WIDTH, pages.HEIGHT), path, pages.WIDTH, pages.HEIGHT, chromium)
    site.write("content/2026-12-01/01/page.pdf", path.read_bytes())
    assert site.run("--jobs", "1").status == 0
    assert len(opened) == 2
    after = hotspots(site)
    assert after != before and _full_size(site).read_bytes() != picture
    assert all(printed.iou(after[key][0], truth[key]) >= 0.6 for key in truth)
    assert len(list((site.root / ".broadsheet-cache/pictures/pages").iterdir())) == 1  # the old picture let go
    assert_same_as_clean_build(site, tmp_path)


def _encrypted() -> bytes:
    """A PDF whose standard security handler asks for a password nobody gave."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
               b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff> "
            b"<00112233445566778899aabbccddeeff>] >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return bytes(out)


@pytest.mark.parametrize(("damage", "message"), [
    ("corrupt", "PDF 'page.pdf' is damaged (PDFium cannot read its structure): export the page again"),
    ("truncated", "PDF 'page.pdf' is damaged (PDFium cannot read its structure): export the page again"),
    ("encrypted", "PDF 'page.pdf' is encrypted (it asks for a password): export the page again without a password"),
    ("empty", "PDF 'page.pdf' is empty (0 pages): export the page again"),
    ("not a PDF", "PDF 'page.pdf' is not a PDF (it does not start with %PDF-): name the printed page's PDF"),
])
def test_a_bad_pdf_is_an_error_at_its_line_and_the_old_output_stays(tmp_path, made, damage, message):
    site = paper(tmp_path, made)
    assert site.run().status == 0
    before = snapshot(site.out)
    good = made["zh-CN"][0]
    bad = {"corrupt": b"%PDF-1.7\n" + bytes(range(256)) * 40, "truncated": good[: len(good) // 3],
           "encrypted": _encrypted(), "empty": b"", "not a PDF": b"\x89PNG\r\n\x1a\n" + b"\0" * 64}[damage]
    site.write("content/2026-12-01/01/page.pdf", bad)
    site.write("content/2026-12-01/01/page.yaml", "name: Front\npdf: page.pdf\n")
    run = site.run()
    assert run.status == 1
    assert errors_of(run) == [f"content/2026-12-01/01/page.yaml:2: {message}"]
    assert "Traceback" not in run.err
    assert snapshot(site.out) == before


def test_a_pdf_of_several_pages_shows_page_one_with_a_warning(tmp_path, made, chromium):
    site = paper(tmp_path, made)
    two = printed.page_html(pages.CHINESE, pages.WIDTH, pages.HEIGHT).replace(
        "</body>", '<div style="position:absolute; top:430mm">第二页</div></body>')
    path = tmp_path / "two.pdf"
    printed.print_pdf(two, path, pages.WIDTH, pages.HEIGHT, chromium)
    site.write("content/2026-12-01/01/page.pdf", path.read_bytes())
    run = site.run()
    assert run.status == 0, run.err
    assert warnings_of(run) == ["content/2026-12-01/01/page.yaml:2: warning: PDF 'page.pdf' has 2 pages: the page "
                                "replica shows page 1 (give each printed page a PDF of its own)"]
    assert len(hotspots(site)) == 4


def test_a_scanned_pdf_still_gives_the_picture_and_one_warning(tmp_path, made):
    site = paper(tmp_path, made)
    scan = io.BytesIO()
    Image.new("RGB", (850, 1190), "white").save(scan, "PDF", resolution=72.0)
    site.write("content/2026-12-01/01/page.pdf", scan.getvalue())
    run = site.run()
    assert run.status == 0, run.err
    assert warnings_of(run) == [
        "content/2026-12-01/01/page.yaml:2: warning: PDF 'page.pdf' has no text layer (a scanned page?): "
        "hotspots cannot be found on it; give its articles an 'area'"]
    assert re.search(r'<img src="../../2026-12-01/01/page\.[0-9a-f]+\.\d+\.jpg"', site.read(FRONT))
    assert hotspots(site) == {}


def test_check_reads_the_pdf_and_writes_no_picture(tmp_path, made):
    site = paper(tmp_path, made)
    site.article("2026-12-01/01/wanbao.md", "title: 晚报专栏今日休刊\n", "本期专栏暂停一次。\n")
    run = site.run("check")
    assert run.status == 0, run.err
    assert len(warnings_of(run)) == 1 and "not found on page 01's PDF" in warnings_of(run)[0]
    assert not (site.root / ".broadsheet-cache").exists()


@pytest.fixture(scope="module")
def built_papers(tmp_path_factory, made):
    """built_papers(language) → that language's paper, built once for the module."""
    built: dict[str, Site] = {}

    def build(language: str) -> Site:
        if language not in built:
            built[language] = paper(tmp_path_factory.mktemp(f"paper-{language}"), made, language)
            assert built[language].run().status == 0
        return built[language]

    return build


@pytest.mark.parametrize("viewport", [headless.DESKTOP, headless.PHONE], ids=["1280", "375"])
@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_each_found_hotspot_lies_on_its_story_and_opens_its_article(built_papers, made, chromium, viewport, language):
    site = built_papers(language)
    stories = {story["key"]: story for story in (pages.CHINESE if language == "zh-CN" else pages.ENGLISH)}
    truth = made[language][1]
    with headless.serve(site.out) as base:
        page = chromium.new_page(viewport=viewport)
        for key, story in stories.items():
            page.goto(base + FRONT)
            picture = page.locator(".replica img").bounding_box()
            spot = page.locator(f'a.hotspot[href$="/{key}.html"]')
            box = spot.bounding_box()
            assert picture and box
            found = (100 * (box["x"] - picture["x"]) / picture["width"], 100 * (box["y"] - picture["y"]) / picture["height"],
                     100 * box["width"] / picture["width"], 100 * box["height"] / picture["height"])
            assert printed.iou(found, truth[key]) >= 0.6, (key, found, truth[key])
            spot.click()
            page.wait_for_url(f"**/{key}.html")
            assert story["title"] in page.locator("h1").inner_text().replace("\n", "")
        page.close()
