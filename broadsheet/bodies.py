"""Article bodies, once every article's front matter is known: rendered where the build cache
lacks them, their references to files and other articles resolved, their warnings reported."""

from __future__ import annotations

import posixpath
from pathlib import Path

from . import lint
from .articles import read_body
from .assemble import SourceArticle, SourceEdition
from .cache import BodyStore, BuildCache
from .config import SiteConfig
from .markup import Body, BodyMeta, render_body
from .model import BodyText
from .parallel import fork_map
from .problems import Problem, Problems
from .references import PICTURE_SUFFIXES, References
from .schema import Reader


class BodyReader:
    """Gives each article its `BodyText`, and keeps the body keys this build uses (`live`)."""

    def __init__(self, config: SiteConfig, problems: Problems, cache: BuildCache, store: BodyStore,
                 files: References, drafts: bool, jobs: int):
        self.config = config
        self.problems = problems
        self.cache = cache
        self.store = store
        self.files = files
        self.drafts = drafts
        self.jobs = jobs
        self.live: set[str] = set()  # body keys of this build's articles

    def resolve_all(self, editions: list[SourceEdition]) -> None:
        """Render the bodies the cache lacks (on all cores), then resolve every body's references."""
        articles = {a.path: a for e in editions for p in e.pages.values() for a in p.articles}
        wanted = {
            a.record.body_key: a for a in articles.values()
            if a.record.body_key not in self.cache.bodies or not self.store.may_have(a.record.body_key)
        }
        language, trust = self.config.language, self.config.trust_raw_html

        def render(article: SourceArticle) -> Body | None:
            document = read_body(article.path, article.rel)
            if document is None:
                return None
            try:
                return render_body(language, document.body, document.body_line, trust)
            except RecursionError:
                return None

        todo = list(wanted.values())
        for key, body in zip(wanted, fork_map(lambda index: render(todo[index]), range(len(todo)), self.jobs)):
            if body is not None:
                self.cache.bodies[key] = body.meta
                self.store.put(key, body.html)
                self.cache.dirty = True
        for article in articles.values():
            self._finish(article, articles)

    def _finish(self, article: SourceArticle, articles: dict[Path, SourceArticle]) -> None:
        body = self.cache.bodies.get(article.record.body_key)
        self.live.add(article.record.body_key)
        if body is None:
            self.problems.error(article.rel, article.record.body_line,
                                "body nested too deeply for Markdown (lists or quotes inside each other)")
            return
        read = Reader(article.rel, self.problems)
        resolved: dict[str, tuple[str, tuple[int, int] | None]] = {}
        for reference in body.references:
            path_part, _, fragment = reference.target.partition("#")
            path_part = path_part.split("?")[0]
            if reference.tag == "a" and path_part.endswith(".md"):
                url = self._article_link(read, article, articles, path_part, fragment, reference.line)
                resolved[reference.token] = (url or reference.target, None)
                continue
            what = "image" if reference.tag == "img" else "linked file"
            found = self.files.resolve(read, None, article.path.parent, path_part, what, line=reference.line)
            url, size = reference.target, None
            if found and (reference.tag == "img" or path_part.lower().endswith(PICTURE_SUFFIXES)):
                # a linked photo too: its original is never published, its full-size derivative is
                url, size = self.files.body_image(read, found, path_part, reference.line, reference.tag == "a")
            resolved[reference.token] = (url, size)
        self.problems.items.extend(body_warnings(article.rel, article.record.switches, body))
        for photo, line in zip(article.fields["photos"], article.lines.get("photos", [])):
            if not photo["caption"]:
                message = "photo has no caption" if photo["alt"] else "photo has neither caption nor alt text"
                article.report(self.problems, line, "photo-caption", message)
        article.fields["body"] = BodyText(
            article.record.body_key, tuple((t, u, s) for t, (u, s) in resolved.items()), body.references,
            (str(article.path), article.rel, self.config.language, self.config.trust_raw_html),
        )
        article.fields["text_length"] = body.text_length
        if article.fields["summary"] is None:
            article.fields["summary"] = body.summary

    def _article_link(self, read: Reader, article: SourceArticle, articles: dict[Path, SourceArticle], target: str, fragment: str, line: int) -> str | None:
        """A link to another article's Markdown file becomes a link to its page."""
        found = self.files.resolve(read, None, article.path.parent, target, "link", line=line)
        if found is None:
            return None
        other = articles.get(found)
        if other is None:
            self.problems.error(article.rel, line, f"link to '{target}' does not match any article")
            return None
        if other.fields["draft"] and not self.drafts:
            self.problems.error(article.rel, line, f"link to '{target}', a draft that is not published")
            return None
        url = f"{other.edition}/{other.page}/{other.fields['slug']}.html"
        relative = posixpath.relpath(url, f"{article.edition}/{article.page}")
        return relative + (f"#{fragment}" if fragment else "")


def body_warnings(rel: str, switches: dict, meta: BodyMeta) -> list[Problem]:
    """A body's warnings: what the raw-HTML policy removed, and what the lint found where no
    `lint:` switch on the line silences it."""
    found = [Problem(rel, line, what, warning=True) for line, what in meta.removals]
    found += [Problem(rel, line, message, warning=True) for line, rule, message in meta.findings
              if not lint.silenced(switches.get(line, ""), rule)]
    return found
