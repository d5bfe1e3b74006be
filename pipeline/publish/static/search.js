/* Client-side search over window.SEARCH_INDEX (assets/search-index.js, loaded as a
   script so it works from file://; its format is described in pipeline/publish/search.py).

   Text and query are folded alike: case, accents and punctuation go, and the letters
   the index's "fold" table names are spelled out, so "oconnell" finds O'Connell and
   "lodz" finds Łódź. Every word of the query must match a passage, each in one of
   three ways: in its text; in a name it mentions, under any form the register knows
   (so "Kholmsk" finds the passage that says "Maoka"); or, for a year or an ISO date
   such as 1946-06, a date it tags within that period. Results are grouped by edition
   and say why they matched. They are built with DOM text nodes only: nothing from the
   collection is ever parsed as HTML. */
(function () {
  "use strict";
  var index = window.SEARCH_INDEX;
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!index || !input || !status || !list) { return; }

  var LIMIT = 100;           // editions and register entries shown
  var PASSAGES = 3;          // passages shown per edition
  var DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
  var MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  var fold_table = index.fold || {};

  /* The folded text and, for each of its characters, where it came from in the original. */
  function foldMap(s) {
    var out = "", from = [], space = true;
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i);
      var code = s.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length) { c = s.substr(i, 2); }
      var f = fold_table[c];
      if (f === undefined) { f = c.normalize("NFKD").replace(MARKS, "").toLowerCase(); }
      for (var j = 0; j < f.length; j++) {
        var ch = f.charAt(j);
        if (/\s/.test(ch)) {
          if (!space) { out += " "; from.push(i); space = true; }
        } else if (/[\p{L}\p{N}]/u.test(ch)) {
          out += ch; from.push(i); space = false;
        }  // punctuation and symbols fold to nothing
      }
      i += c.length - 1;
    }
    return { text: out, from: from };
  }
  function fold(s) { return foldMap(s).text; }

  var docs = index.docs.map(function (d) { return { title: d.title, href: d.href, record: d.record || "",
                                                     folded: fold(d.title + " " + (d.record || "")) }; });
  var names = index.names.map(function (n) {
    var forms = [n[0]].concat(n[1]);
    return { label: n[0], variants: n[1], href: n[2], register: n[3], forms: forms,
             folded: forms.map(fold) };
  });
  var entries = index.entries.map(function (e) {
    var m = foldMap(e[2]);
    return { doc: e[0], anchor: e[1], text: e[2], folded: m.text, from: m.from, names: e[3], dates: e[4] };
  });

  /* A date term as a period [start, end] of padded ISO strings; a tagged date (or FROM/TO range) likewise. */
  function period(value) {
    var parts = value.split("/");
    var start = parts[0] || "0000", end = parts.length > 1 ? (parts[1] || "9999") : parts[0];
    return [start + "-01-01".slice(start.length - 4), end + "-12-31".slice(end.length - 4)];
  }
  function overlaps(a, b) { return a[0] <= b[1] && b[0] <= a[1]; }

  function parse(query) {
    return query.split(/\s+/).filter(Boolean).map(function (word) {
      if (DATE.test(word)) { return { raw: word, folded: word.length === 4 ? word : "", date: period(word) }; }
      return { raw: word, folded: fold(word), date: null };
    }).filter(function (t) { return t.folded || t.date; });
  }

  /* Why an entry matches one term, or null: {kind: "text"} | {kind: "date", value} |
     {kind: "name", name, form}, form being the name as the passage writes it where it can be told. */
  function reason(entry, term) {
    if (term.folded && entry.folded.indexOf(term.folded) >= 0) { return { kind: "text" }; }
    if (term.date) {
      for (var d = 0; d < entry.dates.length; d++) {
        if (entry.dates[d].charAt(0) !== "-" && overlaps(period(entry.dates[d]), term.date)) {
          return { kind: "date", value: entry.dates[d] };
        }
      }
      return null;
    }
    for (var n = 0; n < entry.names.length; n++) {
      var name = names[entry.names[n]];
      for (var f = 0; f < name.folded.length; f++) {
        if (name.folded[f].indexOf(term.folded) >= 0) {
          var shown = null;  // the form the passage itself uses
          for (var g = 0; g < name.folded.length && shown === null; g++) {
            if (entry.folded.indexOf(name.folded[g]) >= 0) { shown = name.forms[g]; }
          }
          return { kind: "name", name: name, form: shown || name.forms[f] };
        }
      }
    }
    return null;
  }

  function describe(term, why) {
    if (why.kind === "text") { return "“" + term.raw + "” in the text"; }
    if (why.kind === "date") {
      return "“" + term.raw + "”: the date " + why.value.replace("/", "–");
    }
    var register = why.name.register ? " (" + why.name.register.toLowerCase() + " register)" : "";
    return "“" + term.raw + "”: mentions " + why.name.label + register +
      (why.form === why.name.label ? "" : " as “" + why.form + "”");
  }

  function snippet(entry, terms) {
    var p = document.createElement("p");
    var at = -1, length = 0;
    for (var t = 0; t < terms.length && at < 0; t++) {
      var k = terms[t].folded ? entry.folded.indexOf(terms[t].folded) : -1;
      if (k >= 0) {
        at = entry.from[k];
        var last = entry.from[k + terms[t].folded.length - 1];
        length = last - at + 1;
        while (at + length < entry.text.length && /[\u0300-\u036f]/.test(entry.text.charAt(at + length))) { length++; }
      }
    }
    if (at < 0) { at = 0; length = 0; }
    var start = Math.max(0, at - 80), end = Math.min(entry.text.length, at + length + 120);
    p.appendChild(document.createTextNode((start > 0 ? "…" : "") + entry.text.slice(start, at)));
    if (length) {
      var mark = document.createElement("mark");
      mark.textContent = entry.text.slice(at, at + length);
      p.appendChild(mark);
    }
    p.appendChild(document.createTextNode(entry.text.slice(at + length, end) + (end < entry.text.length ? "…" : "")));
    return p;
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function line(className, text) {
    var p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  function search(query) {
    var terms = parse(query);
    list.textContent = "";
    if (!terms.length) { status.textContent = "Type words, names or dates (1946, 1946-06) to search the editions and registers."; return; }
    var shown = 0;

    // register entries whose forms hold every word
    var words = terms.filter(function (t) { return !t.date; });
    if (words.length === terms.length) {
      names.forEach(function (n) {
        if (!n.href || shown >= LIMIT) { return; }
        var matched = words.every(function (t) { return n.folded.some(function (f) { return f.indexOf(t.folded) >= 0; }); });
        if (!matched) { return; }
        var li = document.createElement("li");
        li.className = "result-name";
        li.appendChild(link(n.href, n.label));
        li.appendChild(line("muted", n.register + " register" + (n.variants.length ? "; also called " + n.variants.join(", ") : "")));
        list.appendChild(li);
        shown++;
      });
    }

    // passages, grouped by edition, in the collection's order
    var byDoc = {}, order = [];
    entries.forEach(function (e) {
      var whys = [];
      for (var t = 0; t < terms.length; t++) {
        var why = reason(e, terms[t]);
        if (!why) { return; }
        whys.push(why);
      }
      if (!byDoc[e.doc]) { byDoc[e.doc] = { passages: [], reasons: {} }; order.push(e.doc); }
      byDoc[e.doc].passages.push(e);
      whys.forEach(function (why, t) { byDoc[e.doc].reasons[describe(terms[t], why)] = true; });
    });
    // editions whose catalogue record holds every word (title, creator, date, holding, shelfmark)
    docs.forEach(function (d, i) {
      if (byDoc[i] || !terms.every(function (t) { return t.folded && d.folded.indexOf(t.folded) >= 0; })) { return; }
      byDoc[i] = { passages: [], reasons: { "in the title or catalogue record": true } };
      order.push(i);
    });
    order.sort(function (a, b) { return a - b; });
    var editions = 0;
    order.forEach(function (i) {
      if (shown >= LIMIT) { return; }
      var doc = docs[i], found = byDoc[i];
      var li = document.createElement("li");
      li.className = "result-edition";
      li.appendChild(link(found.passages.length ? doc.href + "#" + found.passages[0].anchor : doc.href, doc.title));
      if (doc.record) { li.appendChild(line("muted", doc.record)); }
      li.appendChild(line("why", "Matched: " + Object.keys(found.reasons).join("; ") + "."));
      if (found.passages.length) {
        var passages = document.createElement("ul");
        passages.className = "passages";
        found.passages.slice(0, PASSAGES).forEach(function (e) {
          var item = document.createElement("li");
          var a = document.createElement("a");
          a.href = doc.href + "#" + e.anchor;
          a.appendChild(snippet(e, terms));
          item.appendChild(a);
          passages.appendChild(item);
        });
        li.appendChild(passages);
        if (found.passages.length > PASSAGES) {
          li.appendChild(line("muted", "and " + (found.passages.length - PASSAGES) + " more passage" +
                              (found.passages.length - PASSAGES === 1 ? "" : "s") + " in this edition"));
        }
      }
      list.appendChild(li);
      shown++;
      editions++;
    });
    var names_shown = shown - editions;
    status.textContent = shown === 0 ? "No results for “" + query + "”."
      : editions + " edition" + (editions === 1 ? "" : "s") +
        (names_shown ? " and " + names_shown + " register entr" + (names_shown === 1 ? "y" : "ies") : "") +
        (shown >= LIMIT ? " (the first " + LIMIT + ")" : "") + " for “" + query + "”.";
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
