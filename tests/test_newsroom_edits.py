"""A day in the newsroom: random edits, each followed by the ordinary build, whose output must equal
a clean build of the same input, byte for byte; and builds render only the outputs an edit shows in.

The state machine copies a small part of the sample (two editions, five pages, thirteen articles,
their photos, the page whose picture and hotspots come from its PDF, the project's theme) and applies
edits a reporter or editor makes: a body, a headline, tags, an article added, deleted or moved to
another page, page.yaml, edition.yaml, a template, a static file, site.yaml, a picture replaced, a
page's PDF replaced, a draft toggled, a column; now and then a mistake, which must
be refused (exit 1) with the output left exactly as it was. After every step it runs the command a
user runs, with the build cache kept from the steps before, and compares the whole output folder
with a clean build of a fresh copy of the input.

It works through the command line only (`broadsheet.cli.run`, what `python build.py` calls, in a
forked child that has built nothing before), so that it holds whatever the engine keeps inside.

Cost: 4 examples of up to 8 steps, derandomized (the same edits on every run, no example
database), on a small site deriving one picture width below each picture's own: about 73 CPU
seconds (children included; 150 s wall on this two-core machine shared with three builds, load
5-9), most of it the clean builds it compares with (one takes 4.5 s; 12.5 s with the five
default widths, whose encoding was three quarters of the test's time). For a longer search by hand, raise the number of examples (and the steps of each):

    BROADSHEET_EDIT_EXAMPLES=300 BROADSHEET_EDIT_STEPS=20 .venv/bin/python -m pytest tests/test_newsroom_edits.py
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT, Run, tree
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from broadsheet import theme

EDITIONS = {"2026-11-26": ("01", "02", "03"), "2026-11-27": ("03", "04")}
PICTURES = sorted((PROJECT / "content").rglob("*.jpg"))
PAGE_PDFS = sorted((PROJECT / "content").rglob("*.pdf"))  # a printed page with its text, and a scan

HEADLINES = ["冬闲变冬忙 田间管理不放松", "老街换新颜", "Bridge reopens after repairs", "一条新路连通三个村"]
PARAGRAPHS = ["记者从市农业农村局获悉，全市冬小麦播种面积稳中有增。", "“今年的收成比去年好。”村民老李笑着说。",
              "### 新的小标题\n\n小标题下的一段正文。", "据了解，相关工作将于下月全面铺开。"]
TAGS = ["县域经济", "清溪县", "石门县", "乡村治理", "新标签"]
COLUMNS = ["党员先锋故事", "河川时评", "乡土文脉", "新开的栏目", None]
PAGE_FIELDS = [("name", "要闻"), ("name", "民生"), ("editor", "陈晓帆"), ("editor", ["周明远", "韩若溪"]),
               ("photo_credit", "本版图片均由本报记者 唐可欣 摄"), ("photo_credit", None), ("name", None)]
EDITION_FIELDS = [("number", 9901), ("number", 8801), ("label", "周末特刊"), ("label", None)]
SITE_LINES = [("title", "河川日报"), ("title", "河川晚报"), ("description", "河川市的数字报"),
              ("base_url", "https://news.example.org/hechuan/"), ("base_url", "https://paper.example.com/")]
TEMPLATES = [("article.html", "{% block main %}"), ("page.html", "{% block main %}"), ("front.html", "{% block main %}"),
             ("tag.html", "{% block main %}"), ("column.html", "{% block main %}"),
             ("base.html", "{% block main %}{% endblock %}"), ("_macros.html", "{% macro headline_block(article, level=2, link=true) %}")]
MISTAKES = {
    "unclosed bracket in the front matter": lambda text: text.replace("title: ", "title: [坏", 1),
    "unknown key": lambda text: text.replace("title: ", "titel: 多余的键\ntitle: ", 1),
    "photo that does not exist": lambda text: text.replace("\n---\n", "\nphotos: [{src: images/missing.jpg, caption: 无}]\n---\n", 1)
    if "\nphotos:" not in text else text.replace("src: images/", "src: images/missing-", 1),
}
EXAMPLES = int(os.environ.get("BROADSHEET_EDIT_EXAMPLES", "4"))
STEPS = int(os.environ.get("BROADSHEET_EDIT_STEPS", "8"))


def command(root: Path, *args: str) -> Run:
    """Run `python build.py ARGS` in the site folder, as a newsroom does: the command's own entry
    point in a forked child (a process that has built nothing before), without Python's start-up."""
    out, err = root.parent / f"{root.name}.stdout", root.parent / f"{root.name}.stderr"
    pid = os.fork()
    if pid == 0:  # the child: never returns into the test
        try:
            from broadsheet.cli import run

            os.chdir(root)
            with open(out, "w", encoding="utf-8") as stdout, open(err, "w", encoding="utf-8") as stderr:
                sys.stdout, sys.stderr = stdout, stderr
                os.dup2(stdout.fileno(), 1)
                os.dup2(stderr.fileno(), 2)
                sys.argv = ["build.py", *args]
                run()  # exits the child with the command's status
        except BaseException:  # noqa: BLE001 - a traceback is reported as the run's failure
            os.write(2, traceback.format_exc().encode())
        os._exit(70)
    _, status = os.waitpid(pid, 0)
    return Run(os.waitstatus_to_exitcode(status), out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"))


def small_site(root: Path) -> None:
    """Two editions of the sample, five pages, with the project's theme and site.yaml."""
    root.mkdir(parents=True)
    for name in ("templates", "static"):
        shutil.copytree(PROJECT / name, root / name)
    shutil.copy(PROJECT / "site.yaml", root / "site.yaml")
    with open(root / "site.yaml", "a", encoding="utf-8") as site_yaml:
        # one width below the pictures' own, in every format: the derivatives are still made, kept,
        # pruned and compared after each edit, at a fifth of the cost of the five default widths
        # (a page picture drawn from a PDF is 2,362 pixels wide); the default widths are
        # tests/test_pictures.py's and tests/test_replica.py's
        site_yaml.write("pictures:\n  widths: [480]\n")
    (root / "content").mkdir()
    shutil.copy(PROJECT / "content/columns.yaml", root / "content/columns.yaml")
    for edition, pages in EDITIONS.items():
        (root / "content" / edition).mkdir()
        shutil.copy(PROJECT / "content" / edition / "edition.yaml", root / "content" / edition / "edition.yaml")
        for page in pages:
            shutil.copytree(PROJECT / "content" / edition / page, root / "content" / edition / page)


def read_article(path: Path) -> tuple[dict, str]:
    """An article's front matter and body."""
    front, body = split_article(path)
    return yaml.safe_load(front), body


def split_article(path: Path) -> tuple[str, str]:
    """An article's front matter text and body text."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return front, body


def write_article(path: Path, front: dict | str, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(front, dict):
        front = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def edit_front(path: Path, key: str, value) -> None:
    """Set (or, with None, remove) one key of an article's front matter, as an editor does: that
    one line changed, the rest of the file as it was."""
    front, body = split_article(path)
    line = "" if value is None else f"{key}: {yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000)}"
    line = line.removesuffix("...\n")
    front, found = re.subn(rf"(?m)^{key}:.*\n", line, front, count=1)
    write_article(path, front if found else front + line, body)
    assert read_article(path)[0].get(key) == value, f"{path.name}: the edit of {key} did not give {value!r}"


def edit_yaml(path: Path, key: str, value) -> None:
    """Set (or, with None, remove) one key of a YAML file such as page.yaml."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    data = data or {}
    if value is None:
        data.pop(key, None)
    else:
        data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def photos_of(path: Path) -> list[str]:
    return [photo["src"] for photo in read_article(path)[0].get("photos", [])]


def differences(ours: Path, clean: Path) -> str:
    """The files that differ between two output folders, with the first text difference."""
    mine, theirs = tree(ours), tree(clean)
    lines = [f"{url}: {'missing' if url not in mine else 'extra' if url not in theirs else 'differs'}"
             for url in sorted(mine.keys() | theirs.keys()) if mine.get(url) != theirs.get(url)]
    first = next((url for url in sorted(mine.keys() & theirs.keys()) if mine[url] != theirs[url]), None)
    if first is not None:
        try:
            a, b = ((folder / first).read_text(encoding="utf-8").splitlines() for folder in (ours, clean))
            lines += list(difflib.unified_diff(a, b, f"incremental/{first}", f"clean/{first}", lineterm="", n=1))[:30]
        except UnicodeDecodeError:
            pass
    return "\n".join(lines)


class NewsroomEdits(RuleBasedStateMachine):
    """A small site, edited step by step and built after every step with its cache kept."""

    def __init__(self):
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="broadsheet-edits-"))
        self.root = self.tmp / "site"
        small_site(self.root)
        self.made = 0  # edits that need a fresh name or text: articles added, template marks
        built = command(self.root)
        assert built.status == 0, built.err
        self.unedited = True  # a first build is a clean build: nothing to compare yet

    def teardown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    # What there is to edit ------------------------------------------------------------------

    def articles(self) -> list[Path]:
        return sorted((self.root / "content").glob("*/*/*.md"))

    def pages(self) -> list[Path]:
        return sorted(p for p in (self.root / "content").glob("*/*") if p.is_dir())

    def published(self, page: Path) -> list[Path]:
        return [p for p in sorted(page.glob("*.md")) if not read_article(p)[0].get("draft")]

    def removable(self) -> list[Path]:
        """Articles whose page keeps a published article without them (a page is never left empty)."""
        return [p for p in self.articles() if len([q for q in self.published(p.parent) if q != p]) >= 1]

    def pick(self, data, items: list[Path], label: str) -> Path | None:
        """One of the files, drawn by its name under content/ (a failing example then reads well)."""
        if not items:
            return None
        names = {}
        for item in items:
            base = next(b for b in (self.root / "content", PROJECT / "content", self.root) if item.is_relative_to(b))
            names[item.relative_to(base).as_posix()] = item
        return names[data.draw(st.sampled_from(sorted(names)), label=label)]

    # The edits ------------------------------------------------------------------------------

    @rule(data=st.data(), paragraph=st.sampled_from(PARAGRAPHS), where=st.sampled_from(["end", "start", "replace"]))
    def edit_a_body(self, data, paragraph, where):
        path = self.pick(data, self.articles(), "article")
        front, body = split_article(path)
        body = {"end": body + f"\n{paragraph}\n", "start": f"\n{paragraph}\n{body}", "replace": f"\n{paragraph}\n"}[where]
        write_article(path, front, body)

    @rule(data=st.data(), headline=st.sampled_from(HEADLINES))
    def edit_a_headline(self, data, headline):
        edit_front(self.pick(data, self.articles(), "article"), "title", headline)

    @rule(data=st.data(), tag=st.sampled_from(TAGS))
    def add_or_remove_a_tag(self, data, tag):
        path = self.pick(data, self.articles(), "article")
        tags = read_article(path)[0].get("tags", [])
        edit_front(path, "tags", ([t for t in tags if t != tag] if tag in tags else tags + [tag]) or None)

    @rule(data=st.data(), headline=st.sampled_from(HEADLINES), paragraph=st.sampled_from(PARAGRAPHS),
          tags=st.lists(st.sampled_from(TAGS), max_size=2, unique=True), column=st.sampled_from(COLUMNS))
    def add_an_article(self, data, headline, paragraph, tags, column):
        page = self.pick(data, self.pages(), "page")
        self.made += 1
        front = {"title": headline, "byline": [{"role": "本报记者", "names": ["宁江东"]}], "tags": tags or None,
                 "column": column}
        write_article(page / f"zz-new-{self.made}.md", {k: v for k, v in front.items() if v}, f"\n{paragraph}\n")

    @rule(data=st.data())
    def delete_an_article(self, data):
        path = self.pick(data, self.removable(), "article")
        if path is not None:
            photos = photos_of(path)
            path.unlink()
            for src in photos:  # the reporter takes the article's pictures out with it
                if not any(src in photos_of(p) for p in path.parent.glob("*.md")):
                    (path.parent / src).unlink(missing_ok=True)

    @rule(data=st.data())
    def move_an_article_to_another_page(self, data):
        path = self.pick(data, self.removable(), "article")
        if path is None:
            return
        names = {path.stem, read_article(path)[0].get("slug")}
        targets = [page for page in self.pages() if page != path.parent
                   and not names & {n for p in page.glob("*.md") for n in (p.stem, read_article(p)[0].get("slug"))}
                   and not any((page / src).exists() for src in photos_of(path))]
        if not targets:
            return
        target = self.pick(data, targets, "to page")
        photos = photos_of(path)
        path.rename(target / path.name)
        for src in photos:  # its pictures go with it (copied when another article of the page shows them too)
            (target / src).parent.mkdir(exist_ok=True)
            shown_here = any(src in photos_of(p) for p in path.parent.glob("*.md"))
            (shutil.copy2 if shown_here else shutil.move)(path.parent / src, target / src)

    @rule(data=st.data(), field=st.sampled_from(PAGE_FIELDS))
    def edit_a_page_yaml(self, data, field):
        edit_yaml(self.pick(data, self.pages(), "page") / "page.yaml", *field)

    @rule(edition=st.sampled_from(sorted(EDITIONS)), field=st.sampled_from(EDITION_FIELDS))
    def edit_an_edition_yaml(self, edition, field):
        edit_yaml(self.root / "content" / edition / "edition.yaml", *field)

    @rule(template=st.sampled_from(TEMPLATES))
    def edit_a_template(self, template):
        name, anchor = template
        path = self.root / "templates" / name
        if not path.exists():
            shutil.copyfile(theme.TEMPLATES / name, path)  # the newsroom overrides the theme's file
        self.made += 1
        text = path.read_text(encoding="utf-8")
        assert anchor in text, f"templates/{name} no longer has {anchor!r}: choose another place to edit"
        path.write_text(text.replace(anchor, f"{anchor}<!-- edit {self.made} -->", 1), encoding="utf-8")

    @rule(what=st.sampled_from(["edit the stylesheet", "add a file", "remove an added file"]))
    def edit_a_static_file(self, what):
        static = self.root / "static"
        if what == "edit the stylesheet":
            if not (static / "css/broadsheet.css").exists():
                (static / "css").mkdir(exist_ok=True)
                shutil.copyfile(theme.STATIC / "css/broadsheet.css", static / "css/broadsheet.css")
            self.made += 1
            with open(static / "css/broadsheet.css", "a", encoding="utf-8") as css:
                css.write(f"\n.edit-{self.made} {{ color: #333; }}\n")
        elif what == "add a file":
            (static / "notice.txt").write_text(f"公告 {self.made}\n", encoding="utf-8")
        else:
            (static / "notice.txt").unlink(missing_ok=True)

    @rule(line=st.sampled_from(SITE_LINES))
    def edit_site_yaml(self, line):
        key, value = line
        path = self.root / "site.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(rf"(?m)^{key}: .*$", f"{key}: {value}", text), encoding="utf-8")

    @rule(data=st.data())
    def replace_a_picture(self, data):
        pictures = sorted((self.root / "content").rglob("*.jpg"))
        if pictures:
            path = self.pick(data, pictures, "picture")
            others = [p for p in PICTURES if p.read_bytes() != path.read_bytes()]
            shutil.copyfile(self.pick(data, others, "replaced by"), path)

    @rule(data=st.data())
    def replace_a_page_pdf(self, data):
        """The page sent to the plant again: its picture and its stories' hotspots come from the new PDF."""
        pdfs = sorted((self.root / "content").rglob("*.pdf"))
        if pdfs:
            path = self.pick(data, pdfs, "page PDF")
            others = [p for p in PAGE_PDFS if p.read_bytes() != path.read_bytes()]
            shutil.copyfile(self.pick(data, others, "replaced by"), path)

    @rule(data=st.data())
    def toggle_a_draft(self, data):
        drafts = [p for p in self.articles() if read_article(p)[0].get("draft")]
        path = self.pick(data, sorted(set(drafts + self.removable())), "article")
        if path is not None:
            edit_front(path, "draft", None if read_article(path)[0].get("draft") else True)

    @rule(data=st.data(), column=st.sampled_from(COLUMNS))
    def set_or_remove_a_column(self, data, column):
        edit_front(self.pick(data, self.articles(), "article"), "column", column)

    @rule(data=st.data(), mistake=st.sampled_from(sorted(MISTAKES)))
    def a_mistake_is_refused_and_the_output_kept(self, data, mistake):
        path = self.pick(data, self.articles(), "article")
        original = path.read_text(encoding="utf-8")
        before = tree(self.root / "_site")
        path.write_text(MISTAKES[mistake](original), encoding="utf-8")
        refused = command(self.root)
        assert refused.status == 1, f"{mistake}: exit {refused.status}\n{refused.err}"
        assert tree(self.root / "_site") == before, f"{mistake}: the old output was not kept as it was"
        path.write_text(original, encoding="utf-8")  # put right; the next build is checked as any other

    # After every step ------------------------------------------------------------------------

    @invariant()
    def the_output_equals_a_clean_build(self):
        if self.unedited:
            self.unedited = False
            return
        built = command(self.root)
        assert built.status == 0, built.err
        fresh = self.tmp / "fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.copytree(self.root, fresh, ignore=shutil.ignore_patterns("_site*", ".broadsheet-cache"))
        clean = command(fresh, "--clean")
        assert clean.status == 0, clean.err
        assert tree(self.root / "_site") == tree(fresh / "_site"), differences(self.root / "_site", fresh / "_site")


def _warm_imports() -> None:
    """Load the transliteration dictionaries once here, so that each forked build need not."""
    from pypinyin import lazy_pinyin

    lazy_pinyin("中文")


_warm_imports()
NewsroomEdits.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_a_day_of_newsroom_edits_gives_the_clean_build_after_every_edit = pytest.mark.long(NewsroomEdits.TestCase)


# Work done: a build renders the outputs an edit shows in, and no others ----------------------------

def outputs_rendered(run: Run) -> int:
    """How many outputs a build rendered, as its --verbose output says."""
    assert run.status == 0, run.err
    counts = [int(n) for n in re.findall(r"rendered (\d+) of \d+ outputs", run.err)]
    if not counts and re.search(r"nothing (to do|written)", run.err):
        return 0
    assert len(counts) == 1, f"--verbose no longer says how many outputs the build rendered:\n{run.err}"
    return counts[0]


def pages_and_feeds(folder: Path) -> dict[str, str]:
    """The output's rendered files with their content hash: not the copied static files and pictures,
    nor the editions' search bundles (indexed apart)."""
    return {url: digest for url, digest in tree(folder).items()
            if not url.startswith("static/") and "/images/" not in url and "/search/" not in url}


def test_a_rebuild_with_nothing_changed_renders_nothing(tmp_path):
    small_site(tmp_path / "site")
    assert command(tmp_path / "site").status == 0
    before = tree(tmp_path / "site/_site")
    assert outputs_rendered(command(tmp_path / "site", "--verbose")) == 0
    assert tree(tmp_path / "site/_site") == before


def test_a_body_edit_renders_exactly_the_outputs_that_show_that_body(tmp_path):
    root = tmp_path / "site"
    small_site(root)
    assert command(root).status == 0
    before = pages_and_feeds(root / "_site")
    path = root / "content/2026-11-26/03/luo-xiaomei.md"  # in a column: its feed carries the text too
    path.write_text(path.read_text(encoding="utf-8") + "\n卫生室新添了一台心电图机。\n", encoding="utf-8")
    rendered = outputs_rendered(command(root, "--verbose"))
    after = pages_and_feeds(root / "_site")
    changed = {url for url in after if after[url] != before.get(url)}
    showing = {url for url in after if "卫生室新添了一台心电图机" in (root / "_site" / url).read_text(encoding="utf-8")}
    assert "2026-11-26/03/luo-xiaomei.html" in showing
    assert changed == showing
    assert rendered == len(showing)
