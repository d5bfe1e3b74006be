/* Client-side search over window.SEARCH_INDEX (assets/search-index.js, loaded as a
   script so it works from file://). Results are built with DOM text nodes only:
   nothing from the collection is ever parsed as HTML. */
(function () {
  "use strict";
  var index = window.SEARCH_INDEX;
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!index || !input || !status || !list) { return; }

  var LIMIT = 100;
  function fold(s) { return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  var entries = index.entries.map(function (e) { return { doc: e[0], anchor: e[1], text: e[2], folded: fold(e[2]) }; });
  var names = index.names.map(function (n) {
    return { label: n[0], href: n[2], kind: n[3], folded: fold([n[0]].concat(n[1]).join(" ")) };
  });

  function snippet(text, term) {
    var at = fold(text).indexOf(term);
    var start = Math.max(0, at - 80);
    var end = Math.min(text.length, at + term.length + 120);
    var p = document.createElement("p");
    p.appendChild(document.createTextNode((start > 0 ? "…" : "") + text.slice(start, at)));
    var mark = document.createElement("mark");
    mark.textContent = text.slice(at, at + term.length);
    p.appendChild(mark);
    p.appendChild(document.createTextNode(text.slice(at + term.length, end) + (end < text.length ? "…" : "")));
    return p;
  }

  function item(href, title, detail) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = href;
    a.textContent = title;
    li.appendChild(a);
    if (detail) { li.appendChild(detail); }
    return li;
  }

  function search(query) {
    var terms = fold(query).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!terms.length) { status.textContent = "Type words to search the editions and registers."; return; }
    var matches = function (folded) { return terms.every(function (t) { return folded.indexOf(t) >= 0; }); };
    var found = 0;
    names.forEach(function (n) {
      if (matches(n.folded) && found < LIMIT) {
        var kind = document.createElement("span");
        kind.className = "muted";
        kind.textContent = " (" + n.kind + " register)";
        list.appendChild(item(n.href, n.label, kind));
        found++;
      }
    });
    entries.forEach(function (e) {
      if (matches(e.folded) && found < LIMIT) {
        var doc = index.docs[e.doc];
        list.appendChild(item(doc.href + "#" + e.anchor, doc.title, snippet(e.text, terms[0])));
        found++;
      }
    });
    status.textContent = found === 0 ? "No results for “" + query + "”."
      : (found >= LIMIT ? "The first " + LIMIT : found) + " result" + (found === 1 ? "" : "s") + " for “" + query + "”.";
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  search(query);
  var timer;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 150);
  });
}());
