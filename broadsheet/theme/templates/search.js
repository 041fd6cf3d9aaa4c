{# The search page's script (search/search.js). Plain JavaScript, no Jinja inside: see broadsheet/search.py. #}
{% raw %}
/* Broadsheet search: the bundles the build makes (broadsheet/search.py), searched newest first.
   Chinese is indexed as pairs of characters, so any word is found wherever it stands in a sentence. */
(function () {
  "use strict";

  var H = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
  var HAN_START = new RegExp("^[" + H + "]", "u");
  var HAN_PAIR = new RegExp("^[" + H + "]{2}$", "u");
  var RUN_END = new RegExp("[" + H + "](?![" + H + "])", "gu");
  /* A Han run, or a run of other letters and digits (Python's [^\W_] without Han). */
  var TERM = new RegExp("[" + H + "]+|(?:(?![" + H + "])[\\p{L}\\p{N}])+", "gu");
  var PAGE_SIZE = 20;

  function normal(text) { return text.normalize("NFKC").toLowerCase(); }

  function isHan(term) { return HAN_START.test(term); }

  /* A query's terms, each once (search.py's query_terms): Han runs, and the other words. */
  function queryTerms(text) {
    var out = [];
    (normal(text).match(TERM) || []).forEach(function (t) { if (out.indexOf(t) < 0) out.push(t); });
    return out;
  }

  /* The index keys of a text (search.py's tokens), sorted: for the tests. */
  function indexTokens(text) {
    var found = new Set(), norm = normal(text), chars = Array.from(norm);
    for (var i = 0; i + 1 < chars.length; i++) {
      if (HAN_PAIR.test(chars[i] + chars[i + 1])) found.add(chars[i] + chars[i + 1]);
    }
    (norm.match(RUN_END) || []).forEach(function (c) { found.add(c); });
    (norm.match(TERM) || []).forEach(function (t) { if (!isHan(t)) found.add(t); });
    return Array.from(found).sort();
  }

  /* Numbers stored as the first and the gaps between them, back to numbers. */
  function ungap(gaps) {
    var out = new Array(gaps.length), n = 0;
    for (var i = 0; i < gaps.length; i++) { n += gaps[i]; out[i] = n; }
    return out;
  }

  function intersect(a, b) {
    var set = new Set(b);
    return a.filter(function (x) { return set.has(x); });
  }

  function union(lists) {
    var set = new Set();
    lists.forEach(function (l) { l.forEach(function (x) { set.add(x); }); });
    return Array.from(set).sort(function (x, y) { return x - y; });
  }

  /* One bundle: its manifest, shards and chunks, each fetched once. */
  function Bundle(url) {
    var files = {};
    function get(name) {
      if (!files[name]) {
        files[name] = fetch(url + name).then(function (r) {
          if (!r.ok) throw new Error(url + name + ": " + r.status);
          return r.json();
        });
      }
      return files[name];
    }
    var bundle = {
      manifest: function () { return get("index.json"); },
      shard: async function (term) {
        var m = await bundle.manifest();
        return get("s/" + (term.codePointAt(0) % m.shards) + ".json");
      },
      row: async function (number) {
        var m = await bundle.manifest();
        return (await get("d/" + Math.floor(number / m.chunk) + ".json"))[number % m.chunk];
      },
      /* The articles holding a term, before a Han run of three or more is checked whole. */
      holding: async function (term) {
        var keys = await bundle.shard(term), chars = Array.from(term);
        if (isHan(term) && chars.length >= 2) {
          var found = null;
          for (var i = 0; i + 1 < chars.length; i++) {
            var key = chars[i] + chars[i + 1];
            if (i > 0) keys = await bundle.shard(key);
            var list = keys[key] ? ungap(keys[key]) : [];
            found = found === null ? list : intersect(found, list);
            if (!found.length) break;
          }
          return found;
        }
        return union(Object.keys(keys).filter(function (k) { return k.startsWith(term); })
          .map(function (k) { return ungap(keys[k]); }));
      },
      /* The numbers of the articles holding every term, in order: the candidates. */
      search: async function (terms) {
        var found = null;
        for (var i = 0; i < terms.length && (found === null || found.length); i++) {
          var list = await bundle.holding(terms[i]);
          found = found === null ? list : intersect(found, list);
        }
        return found || [];
      },
    };
    return bundle;
  }

  /* The fields of a row a query may match (search.py's _searched). */
  function searched(row) { return [row[1], row[2], row[7]].concat(row[8]); }

  /* Whether a row holds each Han run of three or more characters whole, not only its pairs. */
  function holdsWhole(row, whole) {
    var fields = searched(row).map(normal);
    return whole.every(function (t) { return fields.some(function (f) { return f.indexOf(t) >= 0; }); });
  }

  /* Every bundle searched, newest first. The candidates of a query with a Han run of three or
     more characters are checked against their text as they are shown, a page at a time: a
     common phrase in a large archive would otherwise load every article's text first. */
  async function searchBundles(bundles, query) {
    var terms = queryTerms(query);
    var whole = terms.filter(function (t) { return isHan(t) && Array.from(t).length >= 3; });
    var hits = [];
    if (terms.length) {
      var lists = await Promise.all(bundles.map(function (b) { return b.search(terms); }));
      lists.forEach(function (list, i) { list.forEach(function (n) { hits.push({ bundle: bundles[i], number: n }); }); });
    }
    var results = {
      cursor: 0, found: 0,
      /* The next matching rows: at least `count`, unless fewer are left. */
      next: async function (count) {
        var rows = [];
        while (rows.length < count && results.cursor < hits.length) {
          var batch = hits.slice(results.cursor, results.cursor + count);
          results.cursor += batch.length;
          var loaded = await Promise.all(batch.map(function (h) { return h.bundle.row(h.number); }));
          loaded.forEach(function (row) { if (!whole.length || holdsWhole(row, whole)) rows.push(row); });
        }
        results.found += rows.length;
        return rows;
      },
      done: function () { return results.cursor >= hits.length; },
      /* How many match: known when nothing needs checking or everything was checked. */
      count: function () { return !whole.length ? hits.length : (results.done() ? results.found : null); },
    };
    return results;
  }

  /* For the tests: the URLs of the articles a query finds, in order, every candidate checked. */
  async function find(urls, query) {
    var results = await searchBundles(urls.map(Bundle), query);
    return (await results.next(Infinity)).map(function (row) { return row[0]; });
  }

  window.broadsheetSearch = { queryTerms: queryTerms, indexTokens: indexTokens, find: find };

  /* The excerpt: the text around the first place a term of the query appears, terms marked.
     It starts and ends at a phrase: after a punctuation mark or a space within reach, else at a
     word boundary (Intl.Segmenter), never inside a word. */
  // the full-width stops, commas, colons, quotes and brackets, written as escapes: an English site's script has no Chinese
  var CLAUSE = /[\u3002\uff01\uff1f\uff1b\uff0c\u3001\uff1a\u2026\u2014.!?;,:\s\u201c\u201d\u2018\u2019\u300c\u300d\u300e\u300f\u300a\u300b\uff08\uff09()]/;
  var SENTENCE = /[\u3002\uff01\uff1f!?\n]/;

  function wordStart(text, from, limit) {
    if (from <= 0) return 0;
    if (window.Intl && Intl.Segmenter) {
      var base = Math.max(0, from - 12), words = new Intl.Segmenter(document.documentElement.lang || "zh", { granularity: "word" });
      for (var part of words.segment(text.slice(base, limit + 12))) {
        if (base + part.index >= from) return Math.min(base + part.index, limit);
      }
    }
    return from;
  }

  function phraseStart(text, at) {
    for (var i = at - 1; i >= Math.max(0, at - 40); i--) {
      if (CLAUSE.test(text[i])) return i + 1;
    }
    return wordStart(text, Math.max(0, at - 30), at);
  }

  function phraseEnd(text, from) {
    if (from >= text.length) return text.length;
    for (var i = from; i < Math.min(text.length, from + 30); i++) {
      if (CLAUSE.test(text[i])) return i + 1;
    }
    return wordStart(text, from, text.length);
  }

  function excerpt(text, words) {
    var lower = text.toLowerCase(), at = -1;
    words.forEach(function (w) {
      var i = lower.indexOf(w);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    var start = at < 0 ? 0 : phraseStart(text, at), end = phraseEnd(text, Math.max(at, 0) + 70);
    while (start < at && /\s/.test(text[start])) start++;
    var piece = text.slice(start, end).replace(/\s+/g, " ");
    var frag = document.createDocumentFragment();
    if (start > 0 && !SENTENCE.test(text[start - 1])) frag.appendChild(document.createTextNode("…"));
    var low = piece.toLowerCase(), pos = 0;
    while (pos < piece.length) {
      var next = -1, len = 0;
      words.forEach(function (w) {
        var i = low.indexOf(w, pos);
        if (i >= 0 && (next < 0 || i < next)) { next = i; len = w.length; }
      });
      if (next < 0) { frag.appendChild(document.createTextNode(piece.slice(pos))); break; }
      if (next > pos) frag.appendChild(document.createTextNode(piece.slice(pos, next)));
      var mark = document.createElement("mark");
      mark.textContent = piece.slice(next, next + len);
      frag.appendChild(mark);
      pos = next + len;
    }
    if (end < text.length) frag.appendChild(document.createTextNode("…"));
    return frag;
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function link(href, text) {
    var a = element("a", null, text);
    a.setAttribute("href", href);
    return a;
  }

  function start() {
    var form = document.querySelector(".search-form");
    if (!form) return;
    var input = form.querySelector("input[type=search]");
    var status = document.querySelector(".search-status[role=status]");
    var list = document.querySelector(".search-results");
    var more = document.querySelector(".search-more");
    var root = form.getAttribute("data-root") || "";
    var bundles = (form.getAttribute("data-bundles") || "").split(" ").filter(Boolean);
    var strings = JSON.parse(form.getAttribute("data-strings") || "{}");
    var current = null, shown = 0, serial = 0, opened = null;

    function say(text) { status.textContent = text; }

    function absolute(path) { return new URL(root + path, document.baseURI).href; }

    /* A row of a chunk as the result shows it (search.py's _row). */
    function render(row, words) {
      var meta = { url: row[0], title: row[1], kicker: row[2], date: row[3], edition: row[4], page: row[5],
                   pageurl: row[6], text: row[7] };
      var item = element("li");
      var article = element("article", "teaser search-result");
      if (meta.kicker) article.appendChild(element("p", "kicker", meta.kicker));
      var head = element("h2", "headline");
      head.appendChild(link(root + meta.url, meta.title));
      article.appendChild(head);
      var where = element("p", "teaser-meta");
      where.appendChild(link(root + meta.edition, meta.date));
      where.appendChild(document.createTextNode(" · "));
      where.appendChild(link(root + meta.pageurl, meta.page));
      article.appendChild(where);
      var summary = element("p", "summary excerpt");
      summary.appendChild(excerpt(meta.text || "", words));
      article.appendChild(summary);
      item.appendChild(article);
      return item;
    }

    function sayCount() {
      var count = current.results.count();
      if (count === 0) say(strings.none.replace("{query}", current.query));
      else if (count === null) say(strings.found_at_least.replace("{count}", String(current.results.found)));
      else say(count === 1 ? strings.found_one : strings.found.replace("{count}", String(count)));
    }

    async function showMore() {
      if (!current) return;
      var mine = serial;
      var rows = await current.results.next(PAGE_SIZE);
      if (mine !== serial) return;
      rows.forEach(function (row) { list.appendChild(render(row, current.words)); });
      more.hidden = current.results.done();
      sayCount();
    }

    async function run(query) {
      var mine = ++serial;
      query = query.trim();
      list.textContent = "";
      more.hidden = true;
      current = null;
      if (!query) { say(""); return; }
      if (location.protocol === "file:") { say(strings.offline); return; }
      say(strings.loading);
      if (!opened) opened = bundles.map(function (b) { return Bundle(absolute(b)); });
      var results;
      try {
        results = await searchBundles(opened, query);
      } catch (err) {
        opened = null;  // a bundle could not be read: try afresh next time
        if (mine === serial) say(strings.unavailable);
        return;
      }
      if (mine !== serial) return;
      current = { results: results, words: queryTerms(query), query: query };
      try {
        await showMore();
      } catch (err) {
        opened = null;
        if (mine === serial) say(strings.unavailable);
      }
    }

    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value); }, 300);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      var url = new URL(location.href);
      url.searchParams.set("q", input.value);
      history.replaceState(null, "", url.href);
      run(input.value);
    });
    more.addEventListener("click", function () { showMore(); });

    var initial = new URLSearchParams(location.search).get("q");
    if (initial) { input.value = initial; run(initial); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
{% endraw %}
