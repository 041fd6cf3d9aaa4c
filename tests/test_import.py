"""`import FILE… --into DATE/PAGE`: page exports and Word files become article files, field by field.

The pages here are written for these tests in the styles layout systems export: kickers on their own
line or run into the headline, bylines by role, datelines, numbered sub-heads, editor's notes,
captions with credits, a page-wide credit, a column line, a jump line, and the export's damage.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from conftest import SITE_YAML, tree

PAGE_UTF8 = """\

青溪镇:
茶园里种出“致富经”

本报记者 林晓舟
本报通讯员 周明远 何雨桐

编者按：乡村振兴，产业是根本。本报今起推出系列报道，记录各地产业兴旺的新探索。

初冬时节，青溪镇的万亩茶园依旧青翠。镇党委书记陈立新说，全镇今年茶叶产值预计突破三亿元。

一、党支部领办合作社

去年春天，村党支部牵头成立茶叶专业合作社，统一品种、统一技术、统一收购，茶农的收入比往年高出两成以上，合作社还把加工厂建到了村
口，乡亲们在家门口就能打工挣钱。

二、电商带货拓销路

“以前茶叶卖不上价，现在直播间一开，订单就来了。”返乡青年王小禾说。镇里开设电商培训班十二期，培训茶农八百多人次。镇里开设电商培训班十二期，培训茶农八百多人次。

▲茶农在青溪镇茶园采摘冬茶。本报记者 林晓舟 摄

（下转第2版）

南岭县：小小积分卡激活乡村治理

本报讯（记者 赵一帆 通讯员 孙可）近日，南岭县在全县推行“文明积分卡”，村民参加志愿服务、保持庭院整洁都能攒积分，积分可以到超市兑换生活用品。

截至目前，全县已发放积分卡两万余张，兑换物品价值三十余万元。县委组织部负责人表示，下一步将把积分结果与评先评优挂钩，让

本版图片除署名外均由本报记者 林晓舟 摄

乡村振兴观察
"""

PAGE_GB18030 = """\
冬季供暖全面启动
——全市三百万户居民按时用上暖气

本报记者 郑雪 刘䶮

十一月十五日零时，全市集中供暖正式启动。热力公司提前一个月完成管网检修，确保居民家中室温达标。

城南片区

城南片区新建换热站四座，老旧小区的供暖管线全部更换，居民反映的暖气不热问题得到解决。

城北片区

城北片区首次试点智能调温，系统根据室外温度自动调节供水温度，预计节约燃气一成。

图为工人在热力站检修管道。 郑雪 摄

让温暖如期而至

本报评论员

供暖是民生大事，一头连着千家万户的冷暖，一头连着城市治理的温度。按时供暖、稳定供暖，是对市民最好的承诺。
"""


def front_and_body(path: Path) -> tuple[dict, str]:
    """An article file's front matter (every value as the text written) and its body."""
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.load(front, Loader=yaml.BaseLoader), body.strip("\n")


def articles(page: Path) -> list[tuple[dict, str]]:
    """The page's imported article files (they have an `order`) in their order."""
    found = [fb for fb in map(front_and_body, page.glob("*.md")) if "order" in fb[0]]
    return sorted(found, key=lambda fb: int(fb[0]["order"]))


def run_import(site, name: str, data: bytes, *args: str):
    """Write the copy beside the site (not in content/) and import it."""
    path = site.root.parent / name
    path.write_bytes(data)
    return site.run("import", str(path), *args)


@pytest.fixture
def paper(site):
    """The test site with a page 02 for jumps to land on."""
    site.article("2026-11-27/02/other.md")
    return site


def test_a_utf8_page_becomes_its_articles_field_by_field(paper):
    run = run_import(paper, "page.txt", PAGE_UTF8.encode("utf-8"), "--into", "2026-11-28/01")
    assert run.status == 0, run.err
    first, second = articles(paper.root / "content/2026-11-28/01")
    front, body = first
    assert front["kicker"] == "青溪镇"
    assert front["title"] == "茶园里种出“致富经”"
    assert front["byline"] == [{"role": "本报记者", "names": ["林晓舟"]},
                               {"role": "本报通讯员", "names": ["周明远", "何雨桐"]}]
    assert body.startswith("> 编者按：乡村振兴，产业是根本。")
    assert re.findall(r"^### .*$", body, re.MULTILINE) == ["### 一、党支部领办合作社", "### 二、电商带货拓销路"]
    assert "加工厂建到了村口，乡亲们" in body
    assert body.count("镇里开设电商培训班十二期") == 1
    assert "<!-- 图片说明（未附图片）：茶农在青溪镇茶园采摘冬茶。　署名：本报记者 林晓舟 摄 -->" in body
    front, body = second
    assert (front["kicker"], front["title"], front["dateline"]) == ("南岭县", "小小积分卡激活乡村治理", "本报讯")
    assert front["byline"] == [{"role": "本报记者", "names": ["赵一帆"]}, {"role": "本报通讯员", "names": ["孙可"]}]
    assert body.startswith("近日，南岭县在全县推行“文明积分卡”")
    assert front["column"] == "乡村振兴观察"
    assert "draft" not in front and "draft" not in first[0]
    page_yaml = yaml.load((paper.root / "content/2026-11-28/01/page.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert page_yaml == {"photo_credit": "本版图片除署名外均由本报记者 林晓舟 摄"}


def test_a_jump_line_becomes_continued_on_for_a_page_the_edition_has(paper):
    run = run_import(paper, "page.txt", PAGE_UTF8.encode("utf-8"), "--into", "2026-11-27/01")
    assert run.status == 0, run.err
    (front, body), _ = articles(paper.root / "content/2026-11-27/01")
    assert front["continued_on"] == "02"
    assert "下转" not in body
    assert paper.run("check").status == 0


def test_a_jump_to_a_missing_page_is_kept_as_a_comment_and_warned(paper):
    run = run_import(paper, "page.txt", PAGE_UTF8.encode("utf-8"), "--into", "2026-11-28/01")
    (front, body), _ = articles(paper.root / "content/2026-11-28/01")
    assert "continued_on" not in front
    assert "<!-- 转版：下转第2版 -->" in body
    assert re.search(r"content/2026-11-28/01/cha-yuan-li-zhong-chu-zhi-fu-jing\.md:\d+: warning: the story jumps to page 2", run.err)


def test_repairs_and_guesses_are_reported_at_the_line_of_the_written_file(paper):
    run = run_import(paper, "page.txt", PAGE_UTF8.encode("utf-8"), "--into", "2026-11-28/01")
    reported = re.findall(r"^(content/\S+\.md):(\d+): (repaired|warning): (.*)$", run.err, re.MULTILINE)
    assert {level for *_, level, _ in reported} == {"repaired", "warning"}
    for path, line, level, message in reported:
        text = (paper.root / path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        if message.startswith("joined"):
            assert "建到了村口" in text and message.endswith("page.txt:14 and 15)")
        if message.startswith("a sentence the export repeated"):
            assert text.count("培训茶农八百多人次") == 1
        if message.startswith("the story ends mid-sentence"):
            assert text.endswith("让")
    messages = [message for *_, message in reported]
    assert any(m.startswith("joined a paragraph cut by a column break") for m in messages)
    assert any(m.startswith("a sentence the export repeated back to back (2 times)") for m in messages)
    assert any(m.startswith("the story ends mid-sentence") for m in messages)


def test_a_gb18030_page_with_crlf_is_detected_and_read(paper):
    data = PAGE_GB18030.replace("\n", "\r\n").encode("gb18030")
    with pytest.raises(UnicodeEncodeError):
        PAGE_GB18030.encode("gbk")  # 䶮 is only in GB18030
    run = run_import(paper, "page.txt", data, "--into", "2026-11-28/03")
    assert run.status == 0, run.err
    assert "page.txt (gb18030)" in run.out
    (front, body), (front2, body2) = articles(paper.root / "content/2026-11-28/03")
    assert (front["title"], front["subtitle"]) == ("冬季供暖全面启动", "全市三百万户居民按时用上暖气")
    assert front["byline"] == [{"role": "本报记者", "names": ["郑雪", "刘䶮"]}]
    assert re.findall(r"^### .*$", body, re.MULTILINE) == ["### 城南片区", "### 城北片区"]
    assert "\r" not in body
    assert "<!-- 图片说明（未附图片）：图为工人在热力站检修管道。　署名：郑雪 摄 -->" in body
    assert (front2["title"], front2["byline"]) == ("让温暖如期而至", ["本报评论员"])
    assert body2.startswith("供暖是民生大事")


def test_encoding_named_on_the_command_line_is_used(paper):
    data = PAGE_GB18030.encode("gb18030")
    run = run_import(paper, "page.txt", data, "--into", "2026-11-28/03", "--encoding", "utf-8")
    assert run.status == 1
    assert "cannot be read as utf-8" in run.err
    assert run_import(paper, "page.txt", data, "--into", "2026-11-28/03", "--encoding", "gb18030").status == 0


def _docx(picture: bytes) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("老街换新颜 烟火气更浓", level=1)
    document.add_paragraph("本报记者 顾南星")
    paragraph = document.add_paragraph("经过一年改造，")
    paragraph.add_run("百年老街").bold = True
    paragraph.add_run("重新开街，青石板路和老字号招牌都保留了下来。")
    document.add_heading("留住老味道", level=2)
    document.add_paragraph("街上二十多家老字号全部回迁，店主们说，熟客一个没少。")
    document.add_picture(io.BytesIO(picture))
    document.add_paragraph("▲改造后的老街夜景。本报记者 顾南星 摄")
    document.add_paragraph("夜幕降临，老街灯笼亮起，游客络绎不绝。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 40)).save(out, "PNG")
    return out.getvalue()


def test_a_word_file_becomes_an_article_with_its_embedded_picture(paper):
    picture = _png()
    run = run_import(paper, "story.docx", _docx(picture), "--into", "2026-11-28/02")
    assert run.status == 0, run.err
    page = paper.root / "content/2026-11-28/02"
    [(front, body)] = articles(page)
    assert front["title"] == "老街换新颜 烟火气更浓"
    assert front["byline"] == [{"role": "本报记者", "names": ["顾南星"]}]
    assert body.splitlines()[0] == "经过一年改造，**百年老街**重新开街，青石板路和老字号招牌都保留了下来。"
    assert "### 留住老味道" in body
    [photo] = front["photos"]
    assert photo == {"src": "images/lao-jie-huan-xin-yan-yan-huo-qi-1.png", "caption": "改造后的老街夜景。",
                     "credit": "本报记者 顾南星 摄"}
    assert (page / photo["src"]).read_bytes() == picture
    assert body.endswith("夜幕降临，老街灯笼亮起，游客络绎不绝。")
    assert paper.run("check").status == 0


def test_captions_take_the_pictures_of_images_dir_in_order(paper):
    folder = paper.root.parent / "photos"
    folder.mkdir()
    (folder / "01.png").write_bytes(_png())
    run = run_import(paper, "page.txt", PAGE_UTF8.encode("utf-8"), "--into", "2026-11-28/01", "--images", str(folder))
    assert run.status == 0, run.err
    (front, body), _ = articles(paper.root / "content/2026-11-28/01")
    assert front["photos"] == [{"src": "images/cha-yuan-li-zhong-chu-zhi-fu-jing-1.png",
                                "caption": "茶农在青溪镇茶园采摘冬茶。", "credit": "本报记者 林晓舟 摄"}]
    assert "图片说明" not in body


BAD = {
    "a missing file": (None, (), 1, "no such file"),
    "an empty file": (b" \r\n\n", (), 1, "is empty"),
    "a picture given as copy": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, (), 1, "is a PNG picture, not copy"),
    "an undecodable text": (b"\x81\x20\xff\xfe\xfd" * 30, (), 1, "cannot be decoded"),
    "an undecodable text in the named encoding": (b"\xff\xfe\xfd" * 30, ("--encoding", "gb18030"), 1, "cannot be read as gb18030"),
    "an unknown encoding": (PAGE_UTF8.encode(), ("--encoding", "klingon"), 2, "unknown encoding"),
    "an --into date that is no date": (PAGE_UTF8.encode(), ("--into", "2026-02-30/01"), 2, "not a real date"),
    "an --into page that is no label": (PAGE_UTF8.encode(), ("--into", "2026-11-27/page1"), 2, "not a page label"),
    "an --into without a page": (PAGE_UTF8.encode(), ("--into", "2026-11-27"), 2, "must be DATE/PAGE"),
    "an --images folder that is missing": (PAGE_UTF8.encode(), ("--images", "nowhere"), 2, "not a folder"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_exits_non_zero_with_a_message_and_writes_nothing(paper, case):
    data, args, status, message = BAD[case]
    before = tree(paper.root / "content")
    path = paper.root.parent / "copy.txt"
    if data is not None:
        path.write_bytes(data)
    if "--into" not in args:
        args = args + ("--into", "2026-11-27/01")
    run = paper.run("import", str(path), *args)
    assert run.status == status
    assert message in run.err
    assert "Traceback" not in run.err
    assert tree(paper.root / "content") == before


def test_an_import_that_would_overwrite_a_file_is_refused_whole(paper):
    assert run_import(paper, "page.txt", PAGE_UTF8.encode(), "--into", "2026-11-28/01").status == 0
    page = paper.root / "content/2026-11-28/01"
    (page / "xiao-xiao-ji-fen-ka-ji-huo-xiang.md").unlink()  # the second story's file is gone, the first's is there
    before = tree(paper.root / "content")
    run = run_import(paper, "page.txt", PAGE_UTF8.encode(), "--into", "2026-11-28/01")
    assert run.status == 1
    assert "content/2026-11-28/01/cha-yuan-li-zhong-chu-zhi-fu-jing.md: already exists" in run.err
    assert "nothing written" in run.err
    assert tree(paper.root / "content") == before


def test_a_second_file_that_cannot_be_read_stops_the_first_from_being_written(paper):
    good = paper.root.parent / "good.txt"
    good.write_bytes(PAGE_UTF8.encode())
    before = tree(paper.root / "content")
    run = paper.run("import", str(good), str(paper.root.parent / "missing.txt"), "--into", "2026-11-28/01")
    assert run.status == 1 and "missing.txt: no such file" in run.err
    assert tree(paper.root / "content") == before


def test_the_page_label_already_in_the_edition_is_reused(paper):
    run = run_import(paper, "page.txt", PAGE_UTF8.encode(), "--into", "2026-11-27/2")
    assert run.status == 0, run.err
    assert not (paper.root / "content/2026-11-27/2").exists()
    assert len(list((paper.root / "content/2026-11-27/02").glob("*.md"))) == 3


def test_import_has_its_own_help_with_an_example(paper):
    run = paper.run("import", "--help")
    assert run.status == 0
    assert "--into DATE/PAGE" in run.out and "import page-01.txt --into 2026-11-27/01" in run.out


PAGE_ENGLISH = """\
Harbor Festival
Tall Ships Return to the Waterfront
— Thousands expected for the weekend parade

By Maria Chen and Paul Novak

HARBORVIEW — Eleven tall ships sailed into the harbor on Friday morning. Organizers said the ships would stay

until Monday, when they leave for the next port.

What to see

The parade of sail starts at 10 a.m. on Saturday.

Getting there

The city will run free shuttles from the stadium every 15 minutes.

The schooner Alice May enters the harbor on Friday. Photo by Lena Ortiz
"""


def test_an_english_page_gets_its_kicker_subtitle_byline_and_dateline(paper):
    paper.write("site.yaml", SITE_YAML + "language: en\n")
    run = run_import(paper, "page.txt", PAGE_ENGLISH.encode("cp1252"), "--into", "2026-11-28/A1")
    assert run.status == 0, run.err
    [(front, body)] = articles(paper.root / "content/2026-11-28/A1")
    assert (front["kicker"], front["title"]) == ("Harbor Festival", "Tall Ships Return to the Waterfront")
    assert front["subtitle"] == "Thousands expected for the weekend parade"
    assert front["byline"] == [{"names": ["Maria Chen", "Paul Novak"]}]
    assert front["dateline"] == "HARBORVIEW —"
    assert "the ships would stay until Monday" in body
    assert re.findall(r"^### .*$", body, re.MULTILINE) == ["### What to see", "### Getting there"]
    assert "Credit: Lena Ortiz" in body


def test_an_agency_dateline_gives_the_dateline_and_its_bylines(paper):
    page = "港口吞吐量再创新高\n\n新华社宁波11月30日电（记者 陈舟 何远）记者30日从港口管理局获悉，今年港口货物吞吐量已突破十亿吨。\n"
    assert run_import(paper, "page.txt", page.encode(), "--into", "2026-11-28/04").status == 0
    [(front, body)] = articles(paper.root / "content/2026-11-28/04")
    assert front["dateline"] == "新华社宁波11月30日电"
    assert front["byline"] == [{"role": "新华社记者", "names": ["陈舟", "何远"]}]
    assert body == "记者30日从港口管理局获悉，今年港口货物吞吐量已突破十亿吨。"


def test_a_story_without_a_headline_stays_a_draft_and_is_warned(paper):
    page = "记者从市气象台获悉，本周末全市将迎来大幅降温，最低气温零下五度。市民出行注意防寒保暖。\n"
    run = run_import(paper, "page.txt", page.encode(), "--into", "2026-11-28/05")
    assert run.status == 0, run.err
    [(front, body)] = articles(paper.root / "content/2026-11-28/05")
    assert front["draft"] == "true"
    assert front["title"] == "记者从市气象台获悉，本周末全市将迎来大幅…"
    assert "no headline found" in run.err
    assert body == page.strip()


def test_a_short_line_cut_by_a_column_break_is_joined_not_made_a_sub_head(paper):
    page = "冬储大白菜上市\n\n本报记者 林晓舟\n\n今年的大白菜个头大、包得紧，菜农们都说是\n个丰收年。市场上每斤卖六毛钱。\n"
    run = run_import(paper, "page.txt", page.encode(), "--into", "2026-11-28/06")
    [(_, body)] = articles(paper.root / "content/2026-11-28/06")
    assert body == "今年的大白菜个头大、包得紧，菜农们都说是个丰收年。市场上每斤卖六毛钱。"
    assert "warning" not in run.err and "repaired: joined" in run.err


def test_the_readme_example_imports_to_what_the_readme_shows(paper):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Importing copy", 1)[1]
    before = re.search(r"```text\n(.*?)```", section, re.DOTALL).group(1)
    after = re.search(r"```markdown\n(.*?)```", section, re.DOTALL).group(1)
    paper.article("2026-11-28/02/other.md")
    run = run_import(paper, "page-01.txt", before.encode(), "--into", "2026-11-28/01")
    assert run.status == 0, run.err
    page = paper.root / "content/2026-11-28/01"
    assert (page / "cha-yuan-li-zhong-chu-zhi-fu-jing.md").read_text(encoding="utf-8") == after
    shown = re.findall(r"```text\n(.*?)```", section, re.DOTALL)[1]
    printed = [line.replace(str(paper.root.parent) + "/", "") for line in (run.out + run.err).splitlines()]
    assert sorted(printed) == sorted(shown.splitlines())


def test_a_word_file_with_a_bold_headline_and_bold_sub_heads(paper):
    import docx

    document = docx.Document()
    document.add_paragraph().add_run("社区食堂开进老小区").bold = True
    document.add_paragraph("本报通讯员 马晓")
    document.add_paragraph("社区食堂开张一个月，每天有三百多位老人来吃午饭。")
    document.add_paragraph().add_run("一荤两素十二元").bold = True
    document.add_paragraph("食堂的饭菜按老人口味少油少盐，八十岁以上老人再打八折。")
    out = io.BytesIO()
    document.save(out)
    run = run_import(paper, "story.docx", out.getvalue(), "--into", "2026-11-28/07")
    assert run.status == 0, run.err
    [(front, body)] = articles(paper.root / "content/2026-11-28/07")
    assert front["title"] == "社区食堂开进老小区"
    assert front["byline"] == [{"role": "本报通讯员", "names": ["马晓"]}]
    assert re.findall(r"^### .*$", body, re.MULTILINE) == ["### 一荤两素十二元"]
    assert "draft" not in front


def test_a_docx_that_is_not_a_word_file_is_refused(paper):
    before = tree(paper.root / "content")
    run = run_import(paper, "story.docx", PAGE_UTF8.encode(), "--into", "2026-11-28/01")
    assert run.status == 1
    assert "story.docx: is not a Word file (.docx): it is text" in run.err
    assert tree(paper.root / "content") == before


def test_text_above_the_first_headline_is_a_story_of_its_own(paper):
    page = ("（上接第1版）全市今年新增绿道一百二十公里，市民出门五百米就能进公园。\n\n"
            "菜篮子价格平稳\n\n本报记者 林晓舟\n\n入冬以来，全市蔬菜批发价格总体平稳。\n")
    run = run_import(paper, "page.txt", page.encode(), "--into", "2026-11-27/03")
    assert run.status == 0, run.err
    (first, first_body), (second, body) = articles(paper.root / "content/2026-11-27/03")
    assert first["draft"] == "true" and first_body.startswith("全市今年新增绿道")
    assert "the story is continued from page 1" in run.err
    assert (second["title"], body) == ("菜篮子价格平稳", "入冬以来，全市蔬菜批发价格总体平稳。")


def test_the_page_credit_is_added_to_an_existing_page_yaml_never_replacing_one(paper):
    paper.write("content/2026-11-28/01/page.yaml", "name: 要闻\n")
    assert run_import(paper, "page.txt", PAGE_UTF8.encode(), "--into", "2026-11-28/01").status == 0
    page_yaml = paper.root / "content/2026-11-28/01/page.yaml"
    assert page_yaml.read_text(encoding="utf-8") == "name: 要闻\nphoto_credit: 本版图片除署名外均由本报记者 林晓舟 摄\n"
    paper.write("content/2026-11-28/09/page.yaml", "photo_credit: 本版图片由新华社提供\n")
    run = run_import(paper, "page.txt", PAGE_UTF8.encode(), "--into", "2026-11-28/09")
    assert run.status == 0
    assert (paper.root / "content/2026-11-28/09/page.yaml").read_text(encoding="utf-8") == "photo_credit: 本版图片由新华社提供\n"
    assert "page.yaml already has a photo_credit" in run.err
