"""`check` on a site made at run time from the reference page's raw text (when the file exists).

The stories are split from the page-layout export by their bylines and photo
credits; each becomes one article. The lint must point at the export's damage:
the repeated sentence, the words split across column breaks, the cut-off text.
"""

import json
import re
from pathlib import Path

import pytest

from conftest import warnings_of

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "page-raw-text.txt"
BYLINE = re.compile(r"^(本报记者|本报通讯员)\s+(.+)$")

pytestmark = pytest.mark.skipif(not REFERENCE.exists(), reason=f"{REFERENCE} is not here")


def is_caption(line: str) -> bool:
    return line.rstrip(")）").endswith("摄")


def split_stories(text: str) -> list[dict]:
    """Stories as {title, kicker, bylines, column, paragraphs} from the raw page text."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    starts = [i for i in range(len(lines) - 1) if BYLINE.match(lines[i + 1]) or is_caption(lines[i + 1])]
    starts = [i for i in starts if not BYLINE.match(lines[i]) and not is_caption(lines[i])]
    stories = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        story = {"title": lines[start], "kicker": None, "bylines": [], "column": None, "paragraphs": []}
        if start > 0 and lines[start - 1].endswith((":", "：")) and len(lines[start - 1]) < 12:
            story["kicker"] = lines[start - 1].rstrip(":：")
        for line in lines[start + 1:end]:
            match = BYLINE.match(line)
            if match and not story["paragraphs"]:
                story["bylines"].append({"role": match.group(1), "names": match.group(2).split()})
            elif not is_caption(line):
                story["paragraphs"].append(line)
        if story["paragraphs"] and n + 1 < len(starts) and story["paragraphs"][-1].endswith((":", "：")):
            story["paragraphs"].pop()  # the next story's kicker
        if n + 1 == len(starts) and len(story["paragraphs"][-1]) <= 10:
            story["column"] = story["paragraphs"].pop()
        if story["paragraphs"]:
            stories.append(story)
    return stories


@pytest.fixture
def reference_site(site):
    (site.root / "content/2026-11-27/01/story.md").unlink()
    stories = split_stories(REFERENCE.read_text(encoding="utf-8"))
    for n, story in enumerate(stories, 1):
        front = f"title: {json.dumps(story['title'], ensure_ascii=False)}\n"
        if story["kicker"]:
            front += f"kicker: {json.dumps(story['kicker'], ensure_ascii=False)}\n"
        if story["bylines"]:
            front += f"byline: {json.dumps(story['bylines'], ensure_ascii=False)}\n"
        if story["column"]:
            front += f"column: {json.dumps(story['column'], ensure_ascii=False)}\n"
        site.article(f"2024-01-26/01/story-{n}.md", front, "\n\n".join(story["paragraphs"]) + "\n")
    return site, stories


def found(site, rule_text):
    """(file, line, message, the file's line text) of each warning of `check` containing rule_text."""
    result = []
    for warning in warnings_of(site.run("check")):
        path, line, message = re.match(r"^(.+?):(\d+): warning: (.*)$", warning).groups()
        if rule_text in message:
            source = (site.root / path).read_text(encoding="utf-8").splitlines()
            result.append((path, int(line), message, source[int(line) - 1]))
    return result


def test_reference_page_splits_into_its_stories(reference_site):
    _, stories = reference_site
    assert len(stories) >= 4
    assert all(s["bylines"] for s in stories[:3])


def test_check_reports_the_repeated_sentence_at_its_line(reference_site):
    site, _ = reference_site
    repeated = found(site, "sentence repeated")
    assert repeated
    for path, line, message, text in repeated:
        excerpt = message.split("“", 1)[1].rstrip("”").rstrip("…")
        assert excerpt in text
        whole = (site.root / path).read_text(encoding="utf-8")
        assert whole.count(excerpt) >= 2


def test_check_reports_words_split_by_column_breaks(reference_site):
    site, _ = reference_site
    splits = found(site, "a word cut by a column break")
    assert len(splits) >= 4
    for path, line, message, text in splits:
        lines = (site.root / path).read_text(encoding="utf-8").splitlines()
        following = next(x for x in lines[line:] if x.strip())
        assert re.search(r"[\u4e00-\u9fff]$", text) and re.match(r"[\u4e00-\u9fff]", following)


def test_check_reports_the_cut_off_and_unbalanced_text(reference_site):
    site, _ = reference_site
    unbalanced = found(site, "unbalanced “”")
    assert unbalanced
    for _, _, _, text in unbalanced:
        assert text.count("“") != text.count("”")
    cut_off = found(site, "text cut off")
    assert cut_off
    for _, _, _, text in cut_off:
        assert re.search(r"[\u4e00-\u9fff]$", text)
