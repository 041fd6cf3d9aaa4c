"""Site search: index bundles made by the build, Chinese found inside sentences, in a real browser.

The build side (buckets, incremental re-indexing, failures) runs without a browser.
The reader's side runs in Debian's headless Chromium: the sample and the English
fixture are built into `www/sub/` and the PARENT folder is served, so search is
also checked from a sub-path, as on a static host.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

import headless
from broadsheet import pipeline, postbuild, search
from broadsheet.config import load_config
from broadsheet.content import load_site
from broadsheet.problems import Problems
from conftest import PROJECT, Site, assert_same_as_clean_build, body_html, copy_built_sample, snapshot


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in sorted(folder.rglob("*")) if p.is_file()}


# Tokens: what the index holds and what a query looks for ------------------------------------

def test_a_han_run_is_indexed_as_its_overlapping_pairs_and_its_last_character():
    assert search.tokens(["网格员"]) == {"网格", "格员", "员"}


def test_han_runs_are_indexed_apart_across_punctuation_and_latin_words():
    assert search.tokens(["网格，服务Bridge站"]) == {"网格", "格", "服务", "务", "bridge", "站"}


def test_a_han_run_repeated_in_a_text_gives_the_keys_it_gives_alone():
    assert search.tokens(["网格员，网格。网格员 网"]) == {"网格", "格员", "员", "格", "网"}


def test_the_keys_of_several_texts_are_those_of_each_text_with_no_key_across_two():
    texts = ["网格员", "员工 Bridge", "桥，", "gate"]
    assert search.tokens(texts) == set().union(*(search.tokens([text]) for text in texts))
    assert "员员" not in search.tokens(texts) and "bridge桥" not in search.tokens(texts)


def test_a_key_ends_at_every_punctuation_mark_between_han_characters():
    assert search.tokens(["网；格：员！站？区、市。县 乡"]) == {"网", "格", "员", "站", "区", "市", "县", "乡"}


def test_latin_words_and_digits_are_indexed_whole_lower_cased_and_full_width_forms_normalised():
    assert search.tokens(["Bridge REOPENS ５Ｇ 2026年"]) == {"bridge", "reopens", "5g", "2026", "年"}


def test_keys_are_those_of_the_text_fully_nfkc_normalised():
    # normal() skips NFKC for text whose characters it cannot change into letters or digits
    samples = ["网格员，５Ｇ基站〸", "ﬁle ①② café", "兀丽 Ⅻ", "e\u0301 \u1100\u1161", "〇々〻 ‘quoted’ — …"]
    for text in samples:
        full = unicodedata.normalize("NFKC", text).lower()
        expected = (set(re.findall(f"(?=([{search._H}]{{2}}))", full)) | set(re.findall(f"[{search._H}](?![{search._H}])", full))
                    | set(search._WORD.findall(full)))
        assert search.tokens([text]) == expected, text


def test_no_character_the_quick_check_passes_is_one_nfkc_turns_into_a_letter_or_digit():
    for code in [*range(0xD800), *range(0xE000, 0x10000)]:
        char = chr(code)
        if not search._PLAIN.match(char):  # passed over: NFKC must not matter
            changed = unicodedata.normalize("NFKC", char)
            assert changed == char or not (char.isalnum() or any(c.isalnum() for c in changed)), hex(code)


def test_a_bodys_plain_text_has_its_paragraphs_on_lines_trimmed_and_its_spaces_collapsed():
    html = "<p>  网格\t\t员  <b>服务</b> </p>\n\n<p>\u3000</p><blockquote><p>A &amp;\r\nB</p></blockquote><br>站 "
    assert search.plain_text(html) == "网格 员 服务\nA &\nB\n站"


def test_a_query_is_its_han_runs_and_other_words_each_once_in_order():
    assert search.query_terms("“网格员” Bridge，网格员 ５Ｇ") == ["网格员", "bridge", "5g"]


def test_a_query_of_punctuation_only_has_no_terms():
    assert search.query_terms(" “”，。!? ") == []


def _fake_site(days: list[date]):
    editions = [SimpleNamespace(id=d.isoformat(), date=d, articles=(object(),)) for d in sorted(days, reverse=True)]
    return SimpleNamespace(editions=editions)


def test_buckets_are_the_newest_seven_editions_then_months_then_years():
    newest = date(2026, 3, 10)
    days = [newest - timedelta(days=n) for n in range(9)] + [date(2025, 12, 31), date(2024, 6, 1), date(2023, 1, 5)]
    found = search.buckets(_fake_site(days))
    assert [(b.name, b.url) for b in found] == [
        ("2026-03-10", "2026-03-10/search/"), ("2026-03-09", "2026-03-09/search/"),
        ("2026-03-08", "2026-03-08/search/"), ("2026-03-07", "2026-03-07/search/"),
        ("2026-03-06", "2026-03-06/search/"), ("2026-03-05", "2026-03-05/search/"),
        ("2026-03-04", "2026-03-04/search/"),
        ("2026-03", "search/2026-03/"), ("2025-12", "search/2025-12/"),
        ("2024", "search/2024/"), ("2023", "search/2023/"),
    ]
    assert [e.id for e in found[7].editions] == ["2026-03-03", "2026-03-02"]


# The index in the build --------------------------------------------------------------------

def bundles(out: Path) -> dict[str, dict[str, int]]:
    """Each bundle folder of an output with its files' inodes."""
    found = {}
    for entry in sorted(out.rglob(search.DIGEST_FILE)):
        folder = entry.parent
        found[folder.relative_to(out).as_posix()] = inodes(folder)
    return found


def test_every_bundle_is_in_the_output_with_its_digest(corpus):
    assert sorted(bundles(corpus.out)) == ["2026-11-24/search", "2026-11-25/search", "2026-11-26/search", "2026-11-27/search"]
    for folder in bundles(corpus.out):
        assert re.fullmatch(r"[0-9a-f]{32}\n", (corpus.out / folder / "broadsheet-digest.txt").read_text(encoding="utf-8"))


def test_an_unchanged_rebuild_does_not_run_the_indexer(corpus, monkeypatch):
    def indexer_called(*args, **kwargs):
        raise AssertionError("the indexer ran on a build in which nothing changed")

    monkeypatch.setattr(search, "index_bundles", indexer_called)
    assert corpus.run().status == 0


def test_a_template_edit_reuses_every_bundle(corpus):
    before = bundles(corpus.out)
    template = corpus.override("templates/front.html")
    template.write_text(template.read_text(encoding="utf-8") + "<!-- v2 -->\n", encoding="utf-8")
    assert corpus.run().status == 0
    done, _seconds = postbuild.last_index
    assert (done.indexed, done.reused) == (0, 4)
    assert bundles(corpus.out) == before


def test_a_site_yaml_edit_reindexes_nothing(corpus):
    before = bundles(corpus.out)
    (corpus.root / "site.yaml").write_text("title: 改名日报\nbase_url: https://bench.example.org/\n", encoding="utf-8")
    assert corpus.run().status == 0
    done, _seconds = postbuild.last_index
    assert (done.indexed, done.reused) == (0, 4)
    assert bundles(corpus.out) == before


def test_an_article_edit_reindexes_only_its_edition_and_equals_a_clean_build(corpus, tmp_path):
    before = bundles(corpus.out)
    path = sorted((corpus.root / "content/2026-11-25").rglob("a*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n新增的一段正文。\n", encoding="utf-8")
    assert corpus.run().status == 0
    done, _seconds = postbuild.last_index
    assert (done.indexed, done.reused) == (1, 3)
    after = bundles(corpus.out)
    assert {k for k in after if after[k] != before[k]} == {"2026-11-25/search"}
    assert_same_as_clean_build(corpus, tmp_path)


@pytest.fixture(params=["swap", "in-place"])
def eight_days(request, site, monkeypatch) -> Site:
    """Eight editions of one article each, 2026-11-20 … 27, built once."""
    if request.param == "in-place":
        monkeypatch.setattr(pipeline, "IN_PLACE_MIN_FILES", 0)
        monkeypatch.setattr(pipeline, "IN_PLACE_MAX_SHARE", 1.0)
    for day in range(20, 28):
        site.article(f"2026-11-{day}/01/story.md", f"title: 第{day}日新闻\n", f"十一月{day}日的正文。\n")
    assert site.run().status == 0
    return site


def test_an_edition_leaving_the_newest_seven_moves_into_its_month_bundle(eight_days, tmp_path):
    assert sorted(bundles(eight_days.out)) == [f"2026-11-{d}/search" for d in range(21, 28)] + ["search/2026-11"]
    eight_days.article("2026-11-28/01/story.md", "title: 第28日新闻\n", "十一月28日的正文。\n")
    assert eight_days.run().status == 0
    done, _seconds = postbuild.last_index
    assert (done.indexed, done.reused) == (2, 6)  # the new edition, and the month 11-21 joins
    assert sorted(bundles(eight_days.out)) == [f"2026-11-{d}/search" for d in range(22, 29)] + ["search/2026-11"]
    assert_same_as_clean_build(eight_days, tmp_path)


@pytest.fixture(params=["swap", "in-place"])
def old_month(request, site, monkeypatch) -> Site:
    """Ten editions, 2026-11-18 … 27, of eleven articles each, built once: the three oldest (33
    articles, two chunks) are the month bundle search/2026-11/."""
    if request.param == "in-place":
        monkeypatch.setattr(pipeline, "IN_PLACE_MIN_FILES", 0)
        monkeypatch.setattr(pipeline, "IN_PLACE_MAX_SHARE", 1.0)
    for day in range(18, 28):
        for n in range(11):
            site.article(f"2026-11-{day}/01/s{n:02d}.md", f"title: 第{day}日第{n}条新闻\n",
                         f"十一月{day}日第{n}条的正文，{'河川清溪石门柳岸'[n % 4]}镇的消息。\n")
    assert site.run().status == 0
    return site


def test_a_body_edit_in_an_old_bundle_rewrites_only_the_files_holding_it(old_month, tmp_path):
    before = inodes(old_month.out / "search/2026-11")
    path = old_month.root / "content/2026-11-20/01/s03.md"  # the month's newest edition: chunk 0
    path.write_text(path.read_text(encoding="utf-8") + "\n新增一段关于冷链物流的正文。\n", encoding="utf-8")
    assert old_month.run().status == 0
    done, _seconds = postbuild.last_index
    assert (done.indexed, done.read, list(done.patched)) == (1, 1, ["search/2026-11/"])
    after = inodes(old_month.out / "search/2026-11")
    rewritten = {name for name in after if after[name] != before.get(name)}
    assert set(after) == set(before) and rewritten == set(done.patched["search/2026-11/"])
    assert "d/0.json" in rewritten and "d/1.json" not in rewritten  # the article's chunk, not the other
    assert_same_as_clean_build(old_month, tmp_path)


def test_an_article_added_to_or_deleted_from_an_old_bundle_reads_only_the_new_one(old_month, tmp_path):
    old_month.article("2026-11-19/01/s05a.md", "title: 补发的稿件\n", "补发稿件的正文，冷链物流。\n")
    assert old_month.run().status == 0
    done, _seconds = postbuild.last_index
    assert (done.indexed, done.read, done.patched) == (1, 1, {})
    assert_same_as_clean_build(old_month, tmp_path)
    (old_month.root / "content/2026-11-18/01/s00.md").unlink()
    assert old_month.run().status == 0
    done, _seconds = postbuild.last_index
    assert (done.indexed, done.read) == (1, 0)
    assert_same_as_clean_build(old_month, tmp_path)


def test_a_bundle_holds_its_manifest_shards_and_chunks_of_articles(corpus):
    folder = corpus.out / "2026-11-27/search"
    manifest = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert manifest["format"] == search.FORMAT
    chunks = sorted((folder / "d").glob("*.json"))
    rows = [row for chunk in sorted(chunks, key=lambda p: int(p.stem)) for row in json.loads(chunk.read_text(encoding="utf-8"))]
    assert manifest["docs"] == len(rows) and len(chunks) == -(-len(rows) // manifest["chunk"])
    assert sorted(p.stem for p in (folder / "s").glob("*.json")) == sorted(str(n) for n in range(manifest["shards"]))
    assert all((corpus.out / row[0]).is_file() for row in rows)


def test_every_key_of_every_article_is_in_its_shard(corpus):
    folder = corpus.out / "2026-11-27/search"
    manifest = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    rows = json.loads((folder / "d/0.json").read_text(encoding="utf-8"))
    shards = {int(p.stem): json.loads(p.read_text(encoding="utf-8")) for p in (folder / "s").glob("*.json")}
    for number, row in enumerate(rows):
        for key in search.tokens(search._searched(row)):
            gaps = shards[ord(key[0]) % manifest["shards"]][key]
            assert number in itertools.accumulate(gaps), (key, row[0])


def test_a_bundle_whose_postings_spill_to_disk_is_the_bundle_held_in_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(search.bundle, "SHARD_POSTINGS", 200)  # many shards, each gathering several key groups
    words = ["网格员", "冬小麦", "inspectors", "5g", "合作社", "乡村振兴", "Ｇ", "①"]
    articles = [([f"a{n}.html", f"标题{n}"], sorted(search.tokens([" ".join(words[n % 8:] + words[:n % 5]), f"第{n}篇"])))
                for n in range(300)]
    held, spilled = tmp_path / "held", tmp_path / "spilled"
    search.write_bundle(iter(articles), held)
    search.write_bundle(iter(articles), spilled, spill=50)  # a run every few articles, then merged

    def files(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    assert files(spilled) == files(held)
    assert json.loads(files(held)["index.json"])["shards"] >= 16


def test_an_index_that_cannot_be_written_fails_the_build_and_leaves_the_old_site(site, monkeypatch):
    assert site.run().status == 0
    before = snapshot(site.out)
    site.article("2026-11-27/01/story.md", "title: 新标题\n")

    def disk_full(path, value):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(search.bundle, "write_json", disk_full)
    run = site.run()
    assert run.status == 1
    assert re.fullmatch(r"search: the search index of 2026-11-27 could not be written: No space left on device: "
                        r".*/2026-11-27/search/s/0\.json\n1 error; nothing written\.\n", run.err), run.err
    assert snapshot(site.out) == before


def test_a_template_error_while_the_index_is_made_leaves_the_old_site_and_no_staging_folder(site):
    assert site.run().status == 0
    before = snapshot(site.out)
    site.article("2026-11-27/01/story.md", "title: 新标题\n")  # its bundle is indexed again, beside the rendering
    template = site.override("templates/article.html")
    template.write_text(template.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}{{ 1 // 0 }}"),
                        encoding="utf-8")
    run = site.run()
    assert run.status == 1 and "ZeroDivisionError" in run.err
    assert snapshot(site.out) == before
    assert not [p.name for p in site.root.iterdir() if ".staging-" in p.name]


# In the browser ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """{"zh": (base URL of /sub/, model), "en": (…)}: each site built into www/sub, www served."""
    headless.require(need_axe=False)
    made, servers = {}, []
    for lang in ("zh", "en"):
        # the sample: a copy of the session's build (its pictures derived already), built again into www/sub
        root = (copy_built_sample(tmp_path_factory, "search-zh").root if lang == "zh"
                else headless.copy_english(tmp_path_factory.mktemp("search-en") / "site"))
        www = root.parent / "www"
        site = Site(root)
        run = site.run("--out", str(www / "sub"))
        assert run.status == 0, run.err
        problems = Problems()
        model = load_site(load_config(root / "site.yaml", problems), problems)
        server = headless.serve(www)
        made[lang] = (server.__enter__() + "sub/", model, www / "sub")
        servers.append(server)
    yield made
    for server in servers:
        server.__exit__(None, None, None)


@pytest.fixture(scope="module")
def browser_page(served):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = headless.launch(playwright)
    page = browser.new_page(viewport=headless.DESKTOP)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, errors
    browser.close()
    playwright.stop()


def _type_query(browser_page, base: str, query: str) -> list[dict]:
    """Open the search page, type a query, press Enter; the results as shown."""
    page, errors = browser_page
    page.goto(base + "search/index.html", wait_until="load")
    page.fill("#search-query", query)
    page.press("#search-query", "Enter")
    page.wait_for_function("document.querySelector('.search-status[role=status]').textContent.match(/\\d/)")
    assert errors == []
    return page.evaluate(
        """() => [...document.querySelectorAll('.search-results > li')].map(li => ({
            href: li.querySelector('h2 a').getAttribute('href'),
            headline: li.querySelector('h2').textContent,
            meta: li.querySelector('.teaser-meta').textContent,
            marked: [...li.querySelectorAll('mark')].map(m => m.textContent),
        }))"""
    )


def _texts(article) -> list[str]:
    """Every text of an article the index holds."""
    people = [b.text or " ".join([b.role or "", *b.names]) for b in article.bylines]
    return [article.title, article.kicker or "", article.subtitle or "", article.dateline or "",
            article.column.name if article.column else "", *article.tags, *(p.caption or "" for p in article.photos),
            *people, search.plain_text(body_html(article))]


def _containing(model, word: str) -> set[str]:
    return {a.url for a in model.articles if any(word in text for text in _texts(a))}


def test_a_two_character_word_inside_a_sentence_finds_its_article(served, browser_page):
    base, model, _out = served["zh"]
    (article,) = [a for a in model.articles if a.url == "2026-11-26/03/liuan-wangge.html"]
    body = search.plain_text(body_html(article))
    assert re.search(r"[\u4e00-\u9fff]网格[\u4e00-\u9fff]", body), "网格 stands inside a sentence (街道网格管理)"
    assert _containing(model, "网格") == {article.url}
    shown = _type_query(browser_page, base, "网格")
    assert [r["href"] for r in shown] == ["../" + article.url]


def test_a_result_shows_headline_edition_date_page_and_the_word_marked(served, browser_page):
    base, _model, _out = served["zh"]
    (shown,) = _type_query(browser_page, base, "网格")
    assert shown["headline"] == "柳岸区：“小网格”织密为民服务网"
    assert shown["meta"] == "2026年11月26日 · 第03版 基层党建"
    assert set(shown["marked"]) == {"网格"}


CLAUSE_MARKS = "。！？；，、：…—.!?;,: \n“”‘’「」『』《》（）()"


@pytest.mark.parametrize("lang, query", [("zh", "农业"), ("zh", "冬小麦"), ("en", "corrosion")])
def test_an_excerpt_starts_and_ends_at_a_phrase(served, browser_page, lang, query):
    base, model, _out = served[lang]
    page, _errors = browser_page
    _type_query(browser_page, base, query)
    shown = page.eval_on_selector_all(".search-results > li", """items => items.map(li => [
        li.querySelector('h2 a').getAttribute('href'), li.querySelector('.excerpt').textContent])""")
    texts = {a.url: search.plain_text(body_html(a)) for a in model.articles}
    checked = 0
    for href, excerpt in shown:
        text = " ".join(texts[href.removeprefix("../")].split())
        piece = excerpt.strip("…")
        if query.lower() not in piece.lower():
            continue  # found in the headline or byline: the excerpt is the text's opening
        at = text.find(piece)
        assert at >= 0, (href, excerpt)
        assert at == 0 or text[at - 1] in CLAUSE_MARKS, (href, excerpt)
        end = at + len(piece)
        assert end == len(text) or piece[-1] in CLAUSE_MARKS or text[end] in CLAUSE_MARKS, (href, excerpt)
        checked += 1
    assert checked


WORDS = ["冬小麦", "合作社", "冷链", "大棚", "乡镇", "坡地", "党建引领", "农", "茶园", "古窑", "方言词典"]


def test_each_chinese_query_finds_exactly_the_articles_containing_it(served, browser_page):
    base, model, _out = served["zh"]
    page, _errors = browser_page
    page.goto(base + "search/index.html", wait_until="load")
    found = page.evaluate(
        """async ([bundles, words]) => {
            const abs = p => new URL('../' + p, document.baseURI).href;
            const out = {};
            for (const w of words) out[w] = (await broadsheetSearch.find(bundles.map(abs), w)).sort();
            return out;
        }""",
        [[b.url for b in search.buckets(model)], WORDS],
    )
    expected = {w: sorted(_containing(model, w)) for w in WORDS}
    assert all(expected[w] for w in WORDS), "every word is in the sample"
    assert found == expected


def test_an_english_word_and_its_plural_find_the_article(served, browser_page):
    base, model, _out = served["en"]
    assert _containing(model, "corrosion") == {"2026-11-27/A1/bridge-reopens.html"}
    assert [r["href"] for r in _type_query(browser_page, base, "corrosion")] == ["../2026-11-27/A1/bridge-reopens.html"]
    assert "../2026-11-27/A1/bridge-reopens.html" in [r["href"] for r in _type_query(browser_page, base, "inspector")]


def test_the_browser_makes_the_same_keys_and_terms_as_the_indexer(served, browser_page):
    base, _model, _out = served["zh"]
    page, _errors = browser_page
    page.goto(base + "search/index.html", wait_until="load")
    text = "河川日报５G基站，“网格员”𠀀在石门县。Bridge 2026年 Café_au-lait"
    in_browser = page.evaluate("t => [broadsheetSearch.indexTokens(t), broadsheetSearch.queryTerms(t)]", text)
    assert in_browser == [sorted(search.tokens([text])), search.query_terms(text)]


def test_the_search_page_opened_from_disk_says_to_use_a_server(served, browser_page):
    _base, _model, out = served["zh"]
    page, _errors = browser_page
    page.goto((out / "search/index.html").as_uri() + "?q=网格", wait_until="load")
    page.wait_for_function("document.querySelector('.search-status[role=status]').textContent !== ''")
    status = page.text_content(".search-status[role=status]")
    assert status == "从本地文件打开时无法检索：请通过网站服务器访问本页（本地预览可运行 python build.py serve）。"


# The new pages in the browser: accessible, and no sideways scrolling on a phone ------------

NEW_VIEWS = {
    "zh": ["search/index.html?q=冬小麦", "archive/index.html", "archive/2026-11.html", "tags/dong-ji-nong-ye.html",
           "people/lin-zhi-hang.html", "tags/index.html"],
    "en": ["search/index.html?q=bridge", "archive/index.html", "archive/2026-11.html", "tags/transportation.html",
           "people/ann-lee.html", "people/index.html"],
}
NEW_CASES = [(lang, url) for lang, urls in NEW_VIEWS.items() for url in urls]


def _open(browser_page, served, lang, url, viewport):
    page, errors = browser_page
    page.set_viewport_size(viewport)
    response = page.goto(served[lang][0] + url, wait_until="load")
    assert response is not None and response.ok, url
    if "?q=" in url:
        page.wait_for_selector(".search-results > li")
    assert errors == []
    return page


@pytest.mark.parametrize("lang,url", NEW_CASES)
def test_new_page_has_no_serious_or_critical_axe_finding(served, browser_page, lang, url):
    if not headless.AXE.is_file():
        pytest.skip(f"{headless.AXE.relative_to(PROJECT)} is missing (npm ci)")
    page = _open(browser_page, served, lang, url, headless.DESKTOP)
    page.add_script_tag(path=str(headless.AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical").map(v => v.id)"""
    )
    assert violations == []


@pytest.mark.parametrize("lang,url", NEW_CASES)
def test_new_page_fits_a_phone_without_sideways_scrolling(served, browser_page, lang, url):
    page = _open(browser_page, served, lang, url, headless.PHONE)
    scroll_width, inner_width = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    page.set_viewport_size(headless.DESKTOP)
    assert scroll_width <= inner_width
