"""The reference page's raw text (when the file exists) through the importer, and through `check`.

`import` must find its stories' kickers, headlines, bylines, sub-heads, captions, credits and column,
repair the export's damage (a sentence repeated, words cut at column breaks) and report each repair,
lose nothing, and give a site that builds. The same stories split but not repaired must make the lint
point at that damage. Expectations are named by the reference's line numbers, not copied from it.
"""

import re
from pathlib import Path

import pytest
import yaml
from conftest import warnings_of

from broadsheet.importing.reading import read_copy
from broadsheet.importing.stories import split
from broadsheet.importing.writing import plan, write

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "page-raw-text.txt"
PAGE = "content/2024-01-26/01"

pytestmark = pytest.mark.skipif(not REFERENCE.exists(), reason=f"{REFERENCE} is not here")


def at(line: int) -> str:
    """The reference's text at a line."""
    return REFERENCE.read_text(encoding="utf-8").splitlines()[line - 1].strip()


def byline(line: int) -> dict:
    role, *names = at(line).split()
    return {"role": role, "names": names}


def expected() -> list[dict]:
    """The reference page's four stories, by the lines their parts are on."""
    run_in = [at(n).split("：", 1) for n in (44, 55)]
    return [
        {"kicker": at(5).rstrip(":"), "title": at(7), "byline": [byline(9), byline(10)], "subheads": [14, 22, 30]},
        {"kicker": run_in[0][0], "title": run_in[0][1], "byline": [byline(46), byline(47)], "subheads": []},
        {"kicker": run_in[1][0], "title": run_in[1][1], "byline": [byline(57), byline(58)], "subheads": [64, 72, 84, 94]},
        {"kicker": None, "title": at(106), "byline": None, "subheads": [], "column": at(136)},
    ]


def read_article(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.load(front, Loader=yaml.BaseLoader), body


@pytest.fixture
def imported(site):
    """The reference page imported with `import` into a page of its own."""
    run = site.run("import", str(REFERENCE), "--into", "2024-01-26/01")
    assert run.status == 0, run.err
    files = sorted((site.root / PAGE).glob("*.md"), key=lambda p: int(read_article(p)[0]["order"]))
    return site, run, [read_article(p) for p in files]


def test_the_reference_page_imports_into_its_four_stories(imported):
    _, _, stories = imported
    assert len(stories) == len(expected())
    for (front, body), want in zip(stories, expected()):
        assert front["title"] == want["title"]
        assert front.get("kicker") == want["kicker"]
        assert front.get("byline") == want["byline"]
        assert re.findall(r"^### (.*)$", body, re.MULTILINE) == [at(n) for n in want["subheads"]]
        assert front.get("column") == want.get("column")
        assert "draft" not in front


def test_its_captions_credits_and_page_credit_are_kept(imported):
    site, _, stories = imported
    caption_line, page_credit_line = at(110), at(102)
    credit = caption_line[caption_line.index("本报记者"):]
    caption = caption_line[:caption_line.index("本报记者")]
    assert f"<!-- 图片说明（未附图片）：{caption}　署名：{credit} -->" in stories[3][1]
    wide = page_credit_line[page_credit_line.index("(") + 1:-1]
    assert f"<!-- 图片说明（未附图片）：{page_credit_line[1:page_credit_line.index('(')]} -->" in stories[2][1]
    page = yaml.load((site.root / PAGE / "page.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert page == {"photo_credit": wide}


def test_the_repeated_sentence_is_published_once_and_reported(imported):
    site, run, _stories = imported
    repeats = re.findall(r"^(\S+\.md):(\d+): repaired: a sentence the export repeated back to back \((\d) times\).*"
                         r"page-raw-text\.txt:(\d+)\)$", run.err, re.MULTILINE)
    assert len(repeats) == 1
    path, line, times, source_line = repeats[0]
    sentence = re.findall(r"[^。]*。", at(int(source_line)))[-1]
    assert at(int(source_line)).count(sentence) == int(times) == 3
    written = (site.root / path).read_text(encoding="utf-8")
    assert written.count(sentence) == 1
    assert sentence in written.splitlines()[int(line) - 1]


def test_the_column_break_splits_are_joined_and_reported(imported):
    site, run, _ = imported
    joins = re.findall(r"^(\S+\.md):(\d+): repaired: joined a paragraph cut by a column break: .*"
                       r"page-raw-text\.txt:(\d+) and (\d+)\)$", run.err, re.MULTILINE)
    assert len(joins) == 4
    for path, line, first, second in joins:
        written = (site.root / path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        assert at(int(first)) + at(int(second)) in written


def test_what_the_importer_could_not_repair_is_warned_at_its_line(imported):
    site, run, _ = imported
    warned = re.findall(r"^(\S+\.md):(\d+): warning: (.*)$", run.err, re.MULTILINE)
    lines = {(site.root / path).read_text(encoding="utf-8").splitlines()[int(n) - 1] for path, n, _ in warned}
    assert at(114) in lines  # a paragraph cut off, its continuation lost
    assert at(98) in lines  # a title-like line ending a story
    assert any(line.endswith(at(96)[-4:]) for line in lines)  # text cut off mid-sentence


def test_nothing_of_the_export_is_lost(imported):
    site, _, _ = imported
    written = [p.read_text(encoding="utf-8") for p in (site.root / PAGE).rglob("*") if p.is_file()]
    for number, line in enumerate(REFERENCE.read_text(encoding="utf-8").splitlines(), 1):
        for run in re.findall(r"[\w\u4e00-\u9fff]+", line):
            assert any(run in text for text in written), f"line {number}: “{run}” is in no written file"


def test_the_imported_page_builds_with_no_hand_edits(imported):
    site, _, stories = imported
    run = site.run_process()  # python build.py, as a newsroom runs it
    assert run.status == 0, run.err
    html = "".join(p.read_text(encoding="utf-8") for p in (site.out / "2024-01-26/01").glob("*.html"))
    for front, _ in stories:
        assert front["title"] in html


def test_check_after_import_finds_no_repeat_and_no_joined_split_left(imported):
    site, _, _ = imported
    warnings = warnings_of(site.run("check"))
    assert not [w for w in warnings if "sentence repeated" in w]
    assert len([w for w in warnings if "a word cut by a column break" in w]) == 2  # the two the importer warned of


@pytest.fixture
def unrepaired(site):
    """The reference page split into its stories by the importer, but not repaired."""
    copy = read_copy(REFERENCE, "page-raw-text.txt")
    write(plan([(copy.name, split(copy.lines))], site.root / PAGE, "zh-CN", []))
    return site


def found(site, rule_text):
    """(file, line, message, the file's line text) of each warning of `check` containing rule_text."""
    result = []
    for warning in warnings_of(site.run("check")):
        path, line, message = re.match(r"^(.+?):(\d+): warning: (.*)$", warning).groups()
        if rule_text in message:
            source = (site.root / path).read_text(encoding="utf-8").splitlines()
            result.append((path, int(line), message, source[int(line) - 1]))
    return result


def test_check_reports_the_repeated_sentence_at_its_line(unrepaired):
    repeated = found(unrepaired, "sentence repeated")
    assert repeated
    for path, line, message, text in repeated:
        excerpt = message.split("“", 1)[1].rstrip("”").rstrip("…")
        assert excerpt in text
        whole = (unrepaired.root / path).read_text(encoding="utf-8")
        assert whole.count(excerpt) >= 2


def test_check_reports_words_split_by_column_breaks(unrepaired):
    splits = found(unrepaired, "a word cut by a column break")
    assert len(splits) >= 4
    for path, line, message, text in splits:
        lines = (unrepaired.root / path).read_text(encoding="utf-8").splitlines()
        following = next(x for x in lines[line:] if x.strip())
        assert re.search(r"[\u4e00-\u9fff]$", text) and re.match(r"[\u4e00-\u9fff“]", following)


def test_check_reports_the_unbalanced_quote_of_the_cut_off_text(unrepaired):
    unbalanced = found(unrepaired, "unbalanced “”")
    assert unbalanced
    for _, _, _, text in unbalanced:
        assert text.count("“") != text.count("”")
