{# The search page's script (search/search.js). Plain JavaScript, no Jinja inside: see broadsheet/search.py. #}
{% raw %}
/* Broadsheet search: Pagefind bundles made by the build (broadsheet/search.py), merged in the browser.
   Chinese: the query's Han characters become the same letter tokens the index holds (pairs of
   characters), so any two-character word is found wherever it stands in a sentence. */
(function () {
  "use strict";

  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+/gu;
  var LETTERS = "abcdefghijklmnopqrstuvwxyz";
  var PAGE_SIZE = 20;

  function code(ch) {
    var n = ch.codePointAt(0), s = "";
    for (var i = 0; i < 4; i++) { s = LETTERS[n % 26] + s; n = Math.floor(n / 26); }
    return s;
  }

  function pairs(codes) {
    var out = [];
    for (var i = 0; i + 1 < codes.length; i++) out.push(codes[i] + codes[i + 1]);
    return out;
  }

  /* The query as Pagefind searches it (search.py's query_tokens). */
  function queryTokens(text) {
    return text.normalize("NFKC").replace(HAN, function (run) {
      var codes = Array.from(run, code);
      return " " + (codes.length === 1 ? codes[0] : pairs(codes).join(" ")) + " ";
    }).split(/\s+/).filter(Boolean).join(" ");
  }

  /* Text as the index holds it (search.py's index_tokens), for the tests. */
  function indexTokens(text) {
    return text.normalize("NFKC").replace(HAN, function (run) {
      var codes = Array.from(run, code);
      return " " + pairs(codes).concat([codes[codes.length - 1] + "z"]).join(" ") + " ";
    }).split(/\s+/).filter(Boolean).join(" ");
  }

  /* One run of two or more Han characters and nothing else: search its pairs as a phrase. */
  function pagefindQuery(text) {
    var clean = text.replace(/["\u201c\u201d]/g, " ").trim();
    var tokens = queryTokens(clean);
    var han = clean.normalize("NFKC").match(HAN);
    if (han && han.length === 1 && han[0] === clean.normalize("NFKC") && Array.from(han[0]).length > 2) {
      return "\"" + tokens + "\"";
    }
    return tokens;
  }

  window.broadsheetSearch = { queryTokens: queryTokens, indexTokens: indexTokens, pagefindQuery: pagefindQuery };

  /* The excerpt: the text around the first place a term of the query appears, terms marked. */
  function terms(query) {
    return query.normalize("NFKC").split(/\s+/).filter(Boolean).map(function (t) { return t.toLowerCase(); });
  }

  function excerpt(text, words) {
    var lower = text.toLowerCase(), at = -1;
    words.forEach(function (w) {
      var i = lower.indexOf(w);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    var start = at < 0 ? 0 : Math.max(0, at - 30), end = Math.min(text.length, (at < 0 ? 0 : at) + 90);
    if (start > 0 && /\w/.test(text[start - 1])) {  // a Latin word: start after it, not inside it
      var space = text.slice(start, at).search(/\s/);
      if (space >= 0) start += space + 1;
    }
    var piece = text.slice(start, end).replace(/\s+/g, " ");
    var frag = document.createDocumentFragment();
    if (start > 0) frag.appendChild(document.createTextNode("…"));
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
    var pagefind = null, loading = null, current = null, shown = 0, serial = 0;

    function say(text) { status.textContent = text; }

    function absolute(path) { return new URL(root + path, document.baseURI).href; }

    function load() {
      if (!loading) {
        loading = (async function () {
          if (!bundles.length) throw new Error("no bundles");
          var first = absolute(bundles[0]);
          var found = await import(first + "pagefind.js");
          await found.options({ basePath: first, baseUrl: "/" });
          await found.init();
          for (var i = 1; i < bundles.length; i++) {
            await found.mergeIndex(absolute(bundles[i]), { baseUrl: "/" });
          }
          return found;
        })();
      }
      return loading;
    }

    function render(data, words) {
      var meta = data.meta || {};
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

    async function showMore() {
      if (!current) return;
      var mine = serial;
      var slice = current.results.slice(shown, shown + PAGE_SIZE);
      var datas = await Promise.all(slice.map(function (r) { return r.data(); }));
      if (mine !== serial) return;
      datas.forEach(function (d) { list.appendChild(render(d, current.words)); });
      shown += slice.length;
      more.hidden = shown >= current.results.length;
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
      try {
        pagefind = await load();
      } catch (err) {
        say(strings.unavailable);
        return;
      }
      var search = await pagefind.search(pagefindQuery(query));
      if (mine !== serial) return;
      var results = search ? search.results : [];
      current = { results: results, words: terms(query) };
      shown = 0;
      if (!results.length) { say(strings.none.replace("{query}", query)); return; }
      await showMore();
      if (mine !== serial) return;
      say(results.length === 1 ? strings.found_one : strings.found.replace("{count}", String(results.length)));
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
