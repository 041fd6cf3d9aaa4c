#!/usr/bin/env python3
"""Time Broadsheet (and Hugo and Pelican, where installed) on generated corpora.

For each N (default 1,000 and 10,000) it generates the corpus with
`make_corpus.py`, then times whole processes — median of --runs runs — and
takes peak RSS of: a full build from nothing; a rebuild with no change; a
rebuild after editing one article's body; after editing one headline; after
editing one template; after adding one article. Hugo (Debian's `hugo`) and
Pelican (`pelican` on PATH or PELICAN=/path/to/pelican) build the same corpus,
converted, in the same run; the script prints the ratios.

    .venv/bin/python bench/run.py                 # N = 1000 and 10000
    .venv/bin/python bench/run.py --sizes 1000 --runs 5
    .venv/bin/python bench/run.py --workdir /dev/shm   # in memory: no disk in the figures
    .venv/bin/python bench/run.py --sizes 2000 10000 --rich --compare paper --workdir /dev/shm
    .venv/bin/python bench/run.py --sizes 50000 --runs 1 --compare paper --serve 5 --workdir /dev/shm
    .venv/bin/python bench/run.py --sizes 10000 50000 --runs 1 --compare paper --full-only --workdir /dev/shm

`--full-only` times the two full builds alone: from nothing (no output, no build state, no
picture store: every photo's derivatives made again) and with the picture store kept (what
Hugo's newspaper layouts do with a photo is copy it: like with like).

`--rich` makes the rich-copy corpus (`make_corpus.py --rich`: bold, quotes,
lists, tables, a photo on every third article); `--compare paper` runs only
Hugo's newspaper layouts beside Broadsheet; `--serve N` also times N saves in
`build.py serve` (save → served). Each run prints the machine's load average
beside its figures, the largest HTML page of the output, the CPU seconds (user and system, the
process and its children) and the peak RSS of the largest process of each command (the build
and each of its workers alike; not their sum).
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))
from make_corpus import make  # noqa: E402
from serve_latency import breakdown, measure, summary  # noqa: E402

PYTHON = sys.executable
BUILD = [PYTHON, str(PROJECT / "build.py"), "--quiet"]


def timed(command: list[str], cwd: Path) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (MB) of the largest process and CPU seconds (user and system) of
    one process and its children. (Linux's ru_maxrss for the children is the peak of the
    largest one, not of the tree: what "in every process" asks for.)"""
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter(); r = subprocess.run(sys.argv[1:]); t = time.perf_counter() - t\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(f'{t} {u.ru_maxrss} {u.ru_utime + u.ru_stime}', file=sys.stderr); sys.exit(r.returncode)\n"
    )
    done = subprocess.run([PYTHON, "-c", code, *command], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
    seconds, rss, cpu = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(rss) // 1024, float(cpu)


def median_of(runs: int, prepare, command: list[str], cwd: Path) -> tuple[float, int, float]:
    """Median wall time, the highest peak RSS and the median CPU seconds of `runs` runs, calling
    `prepare()` before each."""
    times, peaks, cpus = [], [], []
    for _ in range(runs):
        prepare()
        seconds, rss, cpu = timed(command, cwd)
        times.append(seconds)
        peaks.append(rss)
        cpus.append(cpu)
    return statistics.median(times), max(peaks), statistics.median(cpus)


def first_article(site: Path) -> Path:
    return min((site / "content").rglob("a*.md"))


def broadsheet(site: Path, runs: int, full_only: bool = False) -> dict[str, tuple[float, int, float]]:
    """The Broadsheet scenarios (`full_only`: the two full builds alone)."""
    results = {}
    article = first_article(site)
    original = article.read_text(encoding="utf-8")
    template = site / "templates" / "article.html"  # an override of the packaged theme's
    template_text = (PROJECT / "broadsheet" / "theme" / "templates" / "article.html").read_text(encoding="utf-8")
    template.parent.mkdir(exist_ok=True)
    template.write_text(template_text, encoding="utf-8")
    counter = iter(range(10**6))

    def from_nothing():
        for name in ("_site", ".broadsheet-cache"):
            shutil.rmtree(site / name, ignore_errors=True)

    results["full build from nothing"] = median_of(runs, from_nothing, BUILD, site)

    def photos_kept():  # like Hugo's layouts, which copy the photos: the derivatives made once are kept
        shutil.rmtree(site / "_site", ignore_errors=True)
        for path in (site / ".broadsheet-cache").iterdir():
            if path.name != "pictures":
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    results["full build, photos' store kept"] = median_of(runs, photos_kept, BUILD, site)
    largest = max((site / "_site").rglob("*.html"), key=lambda p: p.stat().st_size)
    print(f"  largest HTML page: {largest.relative_to(site / '_site')}, {largest.stat().st_size / 1024:.0f} KB")
    if full_only:
        return results
    results["no-change rebuild"] = median_of(runs, lambda: None, BUILD, site)

    def edit_body():
        article.write_text(original + f"\n新增一段正文{next(counter)}。\n", encoding="utf-8")
    results["one article's body edited"] = median_of(runs, edit_body, BUILD, site)

    def edit_headline():
        article.write_text(original.replace("title: ", f"title: 改{next(counter)}", 1), encoding="utf-8")
    results["one headline edited"] = median_of(runs, edit_headline, BUILD, site)

    def edit_template():
        template.write_text(template_text + f"\n{{# edit {next(counter)} #}}\n", encoding="utf-8")
    results["one template edited"] = median_of(runs, edit_template, BUILD, site)

    def add_article():
        n = next(counter)
        (article.parent / f"zz-added-{n}.md").write_text(f"---\ntitle: 新增稿件{n}\n---\n\n正文。\n", encoding="utf-8")
    results["one article added"] = median_of(runs, add_article, BUILD, site)
    article.write_text(original, encoding="utf-8")
    template.write_text(template_text, encoding="utf-8")
    return results


HUGO_LAYOUT = {
    "layouts/_default/baseof.html": "<!doctype html><html><head><title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>\n",
    "layouts/_default/single.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n",
    "layouts/_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
    "layouts/index.html": "{{ define \"main\" }}<ul>{{ range first 24 .Site.RegularPages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
}


# The same kinds of page as Broadsheet's: an article page (breadcrumb, the edition's pages,
# kicker, bylines linked to author pages, photo, body, tags, previous and next on its page,
# JSON-LD), a page view and an edition front listing headlines and summaries, the newest
# edition as the home page, tag, author and column pages, the home page's RSS (50 items) and
# the sitemap. No search index (Broadsheet's is 2.8 s of its 11.7 s full build).
HUGO_PAPER_LAYOUT = {
    "layouts/_default/baseof.html": """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<meta name="description" content="{{ .Summary | plainify | truncate 120 }}">
<link rel="canonical" href="{{ .Permalink }}"><link rel="stylesheet" href="{{ "css/broadsheet.css" | relURL }}">
{{ block "head" . }}{{ end }}</head><body>
<header class="masthead"><p class="site-title"><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></p>
<nav><a href="{{ "/" | relURL }}">最新一期</a> <a href="{{ "columns/" | relURL }}">栏目</a> <a href="{{ "tags/" | relURL }}">关键词</a> <a href="{{ "authors/" | relURL }}">作者</a></nav></header>
<main id="main">{{ block "main" . }}{{ end }}</main>
<footer><a href="{{ "tags/" | relURL }}">关键词</a> · <a href="{{ "authors/" | relURL }}">作者</a> · <a href="{{ "index.xml" | relURL }}">RSS</a></footer>
</body></html>
""",
    "layouts/partials/teaser.html": """<li><article class="teaser">{{ with .Params.kicker }}<p class="kicker">{{ . }}</p>{{ end }}
<h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<p class="teaser-meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2006年01月02日" }}</time></p>
<p class="summary">{{ .Summary | plainify | truncate 120 }}</p></article></li>
""",
    "layouts/partials/edition.html": """<h1>{{ .Title }}</h1>
{{ range .Sections.ByWeight }}<section><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<ol class="article-list">{{ range .Pages.ByWeight }}{{ partial "teaser.html" . }}{{ end }}</ol></section>{{ end }}
""",
    "layouts/_default/single.html": """{{ define "head" }}<meta property="og:type" content="article"><meta property="og:title" content="{{ .Title }}">
<meta property="article:published_time" content="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">
{{ range .Params.tags }}<meta property="article:tag" content="{{ . }}">{{ end }}
<script type="application/ld+json">{{ dict "@context" "https://schema.org" "@type" "NewsArticle" "headline" .Title "datePublished" (.Date.Format "2006-01-02T15:04:05-07:00") "url" .Permalink | jsonify | safeJS }}</script>{{ end }}
{{ define "main" }}{{ $page := .Parent }}{{ $edition := $page.Parent }}
<nav class="breadcrumb"><a href="{{ $edition.RelPermalink }}">{{ $edition.Title }}</a> › <a href="{{ $page.RelPermalink }}">{{ $page.Title }}</a>{{ range .GetTerms "columns" }} › <a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</nav>
<nav class="page-nav">{{ range $edition.Sections.ByWeight }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
<article class="story"><header>{{ with .Params.kicker }}<p class="kicker">{{ . }}</p>{{ end }}<h1>{{ .Title }}</h1>
<p class="byline">{{ .Params.role }} {{ range .GetTerms "authors" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
<p class="story-meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "15:04" }}</time> · <a href="{{ $page.RelPermalink }}">{{ $page.Title }}</a></p></header>
{{ with .Params.photo }}<figure><img src="{{ . | relURL }}" alt="{{ $.Params.photo_alt }}" loading="lazy"><figcaption>{{ $.Params.photo_caption }}</figcaption></figure>{{ end }}
<div class="story-body">{{ with .Params.dateline }}<span class="dateline">{{ . }}</span> {{ end }}{{ .Content }}</div>
<p class="tags">{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}" rel="tag">{{ .LinkTitle }}</a> {{ end }}</p></article>
<nav class="prev-next">{{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">← {{ .Title }}</a>{{ end }}
<a href="{{ $page.RelPermalink }}">返回{{ $page.Title }}</a>{{ with .NextInSection }} <a rel="next" href="{{ .RelPermalink }}">{{ .Title }} →</a>{{ end }}</nav>{{ end }}
""",
    "layouts/_default/section.html": """{{ define "main" }}{{ if .Sections }}{{ partial "edition.html" . }}{{ else }}
<nav class="page-nav">{{ range .Parent.Sections.ByWeight }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
<h1>{{ .Parent.Title }} {{ .Title }}</h1><ol class="article-list">{{ range .Pages.ByWeight }}{{ partial "teaser.html" . }}{{ end }}</ol>{{ end }}{{ end }}
""",
    "layouts/_default/term.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ol class="article-list">{{ range .Pages }}{{ partial "teaser.html" . }}{{ end }}</ol>{{ end }}
""",
    "layouts/_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
""",
    "layouts/index.html": """{{ define "main" }}{{ range first 1 .Site.Sections.ByTitle.Reverse }}{{ partial "edition.html" . }}{{ end }}
<h2>往期回顾</h2><ul>{{ range .Site.Sections.ByTitle.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
""",
}
HUGO_PAPER_CONFIG = """baseURL = "https://bench.example.org/"
title = "基准日报"
languageCode = "zh-CN"
hasCJKLanguage = true
rssLimit = 50
[taxonomies]
tag = "tags"
author = "authors"
column = "columns"
[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]
"""


def convert_hugo_paper(site: Path, target: Path) -> None:
    """The corpus as a Hugo site with Broadsheet's kinds of page: editions and pages as sections."""
    for path in sorted((site / "content").rglob("a*.md")):
        text = path.read_text(encoding="utf-8")
        front, body = text.split("\n---\n", 1)
        def field(key: str, front: str = front) -> str:
            return (re.search(rf"^{key}: (.*)$", front, re.M) or [None, ""])[1]
        names = re.search(r"names: \[(.*?)\]", front).group(1)
        photo = re.search(r"\{src: (\S+), caption: (.*?), credit: .*?, alt: (.*?)\}", front)
        page, edition = path.parent.name, path.parent.parent.name
        head = [f'title: "{field("title")}"', f'kicker: "{field("kicker")}"', 'role: "本报记者"',
                f'dateline: "{field("dateline")}"', f"date: {field('date').replace(' ', 'T')}:00+08:00",
                f"weight: {field('order') or 0}", f"tags: {field('tags')}", f"authors: [{names}]"]
        if field("column"):
            head.append(f"columns: [{field('column')}]")
        if photo:
            head += [f'photo: "{edition}/{page}/{photo.group(1)}"', f'photo_caption: "{photo.group(2)}"',
                     f'photo_alt: "{photo.group(3)}"']
            image = target / "static" / edition / page / photo.group(1)
            image.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path.parent / photo.group(1), image)
        out = target / "content" / edition / page / path.name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("---\n" + "\n".join(head) + "\n---\n" + re.sub(r"!\[[^\]]*\]\([^)]*\)", "", body), encoding="utf-8")
        (target / "content" / edition / "_index.md").write_text(f'---\ntitle: "{edition}"\n---\n', encoding="utf-8")
        (out.parent / "_index.md").write_text(f'---\ntitle: "第{page}版"\nweight: {int(page)}\n---\n', encoding="utf-8")
    (target / "config.toml").write_text(HUGO_PAPER_CONFIG, encoding="utf-8")
    static = site / "static" if (site / "static").is_dir() else PROJECT / "broadsheet" / "theme" / "static"
    shutil.copytree(static, target / "static", dirs_exist_ok=True)  # the stylesheet the pages link
    for rel, text in HUGO_PAPER_LAYOUT.items():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_text(text, encoding="utf-8")


def convert(site: Path, target: Path, kind: str) -> None:
    """The same articles for Hugo or Pelican: title, date, tags and the Markdown body."""
    for path in sorted((site / "content").rglob("a*.md")):
        text = path.read_text(encoding="utf-8")
        front, body = text.split("\n---\n", 1)
        title = re.search(r"^title: (.*)$", front, re.M).group(1)
        date = re.search(r"^date: (.*)$", front, re.M).group(1)
        tags = re.search(r"^tags: \[(.*)\]$", front, re.M).group(1)
        body = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", body)
        if kind == "hugo":
            out = target / "content" / "posts" / path.parent.parent.name / path.parent.name / path.name
            head = f"---\ntitle: \"{title}\"\ndate: {date.replace(' ', 'T')}:00+08:00\ntags: [{tags}]\n---\n"
        else:
            out = target / "content" / path.parent.parent.name / path.parent.name / path.name
            head = f"Title: {title}\nDate: {date}\nTags: {tags}\nCategory: {path.parent.name}\nSlug: {path.parent.parent.name}-{path.stem}\n\n"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(head + body, encoding="utf-8")
    if kind == "hugo":
        (target / "config.toml").write_text('baseURL = "https://bench.example.org/"\ntitle = "基准日报"\n', encoding="utf-8")
        for rel, text in HUGO_LAYOUT.items():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            (target / rel).write_text(text, encoding="utf-8")
    else:
        (target / "pelicanconf.py").write_text(
            "SITENAME = '基准日报'\nSITEURL = ''\nPATH = 'content'\nTIMEZONE = 'Asia/Shanghai'\nDEFAULT_LANG = 'zh'\n"
            "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\n"
            "DEFAULT_PAGINATION = False\nCACHE_CONTENT = True\nLOAD_CONTENT_CACHE = True\n",
            encoding="utf-8",
        )


def removing(folder: Path, *names: str):
    """A step before a run: remove these sub-folders of `folder` (so the build starts clean)."""
    def remove() -> None:
        for name in names:
            shutil.rmtree(folder / name, ignore_errors=True)
    return remove


def served(site: Path, saves: int, workdir: Path) -> None:
    """Save → served in `build.py serve`, the oldest article saved `saves` times."""
    article = first_article(site)
    edition, page = article.parent.parent.name, article.parent.name
    times, builds = measure(site, site / "site.yaml", article, f"/{edition}/{page}/{article.stem}.html", saves,
                            workdir / "serve.log")
    print("  serve: " + summary(times, builds, article.relative_to(site).as_posix()).replace("\n", "\n  serve: "))
    print("  serve: where it goes: " + breakdown(workdir / "serve.log"))


def others(site: Path, workdir: Path, runs: int, pelican_runs: int, compare: str = "all") -> dict[str, tuple[float, int, float]]:
    """Hugo and Pelican on the converted corpus, where they are installed (`compare`: all, paper
    for Hugo's newspaper layouts only, none)."""
    results: dict[str, tuple[float, int, float]] = {}
    hugo = shutil.which("hugo")
    if compare == "none":
        return results
    if hugo and compare == "paper":
        paper = workdir / "hugo-paper"
        convert_hugo_paper(site, paper)
        results["hugo, newspaper layouts, full build"] = median_of(runs, removing(paper, "public", "resources"),
                                                                   [hugo, "--quiet"], paper)
        return results
    if hugo:
        target = workdir / "hugo"
        convert(site, target, "hugo")
        clean = removing(target, "public", "resources")
        results["hugo full build"] = median_of(runs, clean, [hugo, "--quiet"], target)
        results["hugo no-change rebuild"] = median_of(runs, lambda: None, [hugo, "--quiet"], target)
        paper = workdir / "hugo-paper"
        convert_hugo_paper(site, paper)
        clean_paper = removing(paper, "public", "resources")
        results["hugo, newspaper layouts, full build"] = median_of(runs, clean_paper, [hugo, "--quiet"], paper)
    pelican = os.environ.get("PELICAN") or shutil.which("pelican")
    if pelican:
        target = workdir / "pelican"
        convert(site, target, "pelican")
        command = [pelican, "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
        clean = removing(target, "output", "cache")
        results["pelican full build"] = median_of(pelican_runs, clean, command, target)
        results["pelican rebuild with its cache"] = median_of(pelican_runs, lambda: None, command, target)
    return results


def shown(results: dict[str, tuple[float, int, float]], size: int) -> None:
    """Print each scenario's figures."""
    for name, (seconds, rss, cpu) in results.items():
        per = seconds / size * 1000
        print(f"  {name:36s} {seconds:8.2f} s  {per:6.3f} ms/article  CPU {cpu:7.2f} s  peak RSS {rss:5d} MB", flush=True)


def load() -> str:
    """The machine's load average (1, 5, 15 minutes): the share of the two cores others took."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def compiled(project: Path) -> None:
    """The engine's bytecode and its theme's compiled templates written, as `make .venv/.compiled`
    writes them for an installed engine: where PYTHONDONTWRITEBYTECODE is set, every timed build
    would otherwise compile the engine anew (and the first full build, the theme)."""
    compileall.compile_dir(project / "broadsheet", quiet=1)
    subprocess.run([PYTHON, "-c", "from broadsheet.render import compile_theme; compile_theme()"], cwd=project, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="Broadsheet against Hugo and Pelican")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pelican-runs", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the corpora and outputs go (default: the system's temporary folder); "
                             "/dev/shm keeps the disk's own speed out of the figures")
    parser.add_argument("--rich", action="store_true", help="the rich-copy corpus (make_corpus.py --rich)")
    parser.add_argument("--compare", choices=("all", "paper", "none"), default="all",
                        help="which other generators to run: all, Hugo's newspaper layouts only, none")
    parser.add_argument("--full-only", action="store_true", help="time Broadsheet's full builds only, not the rebuilds")
    parser.add_argument("--serve", type=int, default=0, metavar="N", help="also time N saves in `build.py serve`")
    args = parser.parse_args()
    compiled(PROJECT)
    if args.workdir:
        Path(args.workdir).mkdir(parents=True, exist_ok=True)
    # (the interpreter's own build matters: pyenv's, without optimisations, runs the build 10% slower than Debian's)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]} ({os.path.realpath(sys.executable)}); "
          f"working in {args.workdir or tempfile.gettempdir()}; load average {load()}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory(dir=args.workdir) as temporary:
            workdir = Path(temporary)
            site = workdir / "broadsheet"
            started = time.perf_counter()
            make(size, site, rich=args.rich)
            print(f"\nN = {size:,} articles{' (rich copy)' if args.rich else ''}; corpus made in "
                  f"{time.perf_counter() - started:.0f} s; load average {load()}")
            ours = broadsheet(site, args.runs, args.full_only)
            if args.serve:
                served(site, args.serve, workdir)
            shown(ours, size)  # before the others run: one of them failing loses nothing
            print(f"  load average: {load()}")
            theirs = others(site, workdir, args.runs, args.pelican_runs, args.compare)
            print(f"  load average after: {load()}")
            shown(theirs, size)
            for ours_name in ("full build from nothing", "full build, photos' store kept"):
                full = ours[ours_name][0]
                for name in ("hugo full build", "hugo, newspaper layouts, full build", "pelican full build"):
                    if name in theirs:
                        print(f"  ratio broadsheet {ours_name} / {name}: {full / theirs[name][0]:.2f}")


if __name__ == "__main__":
    main()
