/* Search for the search page: finds events by the words on them, with the timeline's filters (tag, actor, side,
 * claim status). The index is JSON files made by the build (timeline/search.py), loaded only as a query needs
 * them: the words sharing a query word's first two letters, one filter's events, the events shown.
 * The query and the filters live in the URL (?q=lysychansk&tag=military): a search can be shared, survives a
 * reload, and Back and Forward step through earlier searches. No eval, no WebAssembly, no inline code.
 */
(function () {
  "use strict";

  var form = document.querySelector("form.search-form");
  if (!form || !window.fetch || !window.URLSearchParams) return;

  var base = form.getAttribute("data-index");
  var root = form.getAttribute("data-root") || "";
  var status = document.querySelector(".search-status");
  var list = document.querySelector("ol.search-results");
  var more = document.querySelector(".search-more");
  var query = form.elements.namedItem("q");
  var FILTERS = ["tag", "actor", "side", "status"];
  var PAGE = 20;
  var cache = {};
  var manifest = null;
  var shown = [];
  var searchNumber = 0;

  function load(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (response) {
        if (response.status === 404) return null;
        if (!response.ok) throw new Error(path + ": " + response.status);
        return response.json();
      });
    }
    return cache[path];
  }

  /* The same words as timeline/search.py: lower case, without accents, two characters or more. */
  function words(text) {
    var plain = text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
    return (plain.match(/[\p{L}\p{N}]+/gu) || []).filter(function (w) { return w.length >= 2; });
  }

  function key(word) {
    return Array.prototype.slice.call(word, 0, manifest.key_letters)
      .map(function (c) { return c.codePointAt(0).toString(16); }).join("-");
  }

  function ungap(gaps) {
    var out = [], last = 0;
    (gaps || []).forEach(function (gap) { last += gap; out.push(last); });
    return out;
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i += 1; j += 1; }
      else if (a[i] < b[j]) i += 1;
      else j += 1;
    }
    return out;
  }

  /* The events with a word that starts with `word` (so "shoi" finds Shoigu while it is typed). */
  function eventsWith(word) {
    if (manifest.words.indexOf(key(word)) < 0) return Promise.resolve([]);
    return load("w/" + key(word) + ".json").then(function (chunk) {
      var found = {};
      Object.keys(chunk || {}).forEach(function (w) {
        if (w.lastIndexOf(word, 0) === 0) ungap(chunk[w]).forEach(function (n) { found[n] = true; });
      });
      return Object.keys(found).map(Number).sort(function (a, b) { return a - b; });
    });
  }

  function eventsFiltered(name, value) {
    return load("f/" + name + "-" + value + ".json").then(ungap);
  }

  function state() {
    var out = { q: query.value.trim() };
    FILTERS.forEach(function (name) {
      var el = form.elements.namedItem(name);
      out[name] = el ? el.value : "";
    });
    return out;
  }

  function urlOf(choice) {
    var params = new URLSearchParams();
    ["q"].concat(FILTERS).forEach(function (name) { if (choice[name]) params.set(name, choice[name]); });
    var search = params.toString();
    return window.location.pathname + (search ? "?" + search : "");
  }

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    query.value = params.get("q") || "";
    FILTERS.forEach(function (name) {
      var el = form.elements.namedItem(name);
      var wanted = params.get(name) || "";
      if (!el) return;
      var known = Array.prototype.some.call(el.options, function (o) { return o.value === wanted; });
      el.value = known ? wanted : "";
    });
    var header = document.getElementById("site-search-q");
    if (header) header.value = query.value;
  }

  /* Text with the words of the query marked, as DOM nodes (never as HTML). */
  function marked(text, terms) {
    var fragment = document.createDocumentFragment();
    var pattern = terms.length ? new RegExp("[\\p{L}\\p{N}]+", "gu") : null;
    var last = 0, match;
    while (pattern && (match = pattern.exec(text))) {
      var plain = words(match[0]).join("");
      var hit = plain && terms.some(function (t) { return plain.lastIndexOf(t, 0) === 0; });
      if (!hit) continue;
      fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
      var mark = document.createElement("mark");
      mark.textContent = match[0];
      fragment.appendChild(mark);
      last = match.index + match[0].length;
    }
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  /* About 200 characters of `text` around the first word of the query it has. */
  function excerpt(text, terms) {
    var pattern = new RegExp("[\\p{L}\\p{N}]+", "gu"), match, at = -1;
    while ((match = pattern.exec(text))) {
      var plain = words(match[0]).join("");
      if (plain && terms.some(function (t) { return plain.lastIndexOf(t, 0) === 0; })) { at = match.index; break; }
    }
    if (at < 0) return text.length > 200 ? text.slice(0, 199) + "\u2026" : text;
    var start = Math.max(0, text.lastIndexOf(" ", Math.max(0, at - 80)) + 1);
    var piece = text.slice(start, start + 200);
    return (start > 0 ? "\u2026" : "") + piece + (start + 200 < text.length ? "\u2026" : "");
  }

  function item(record, terms) {
    var li = document.createElement("li");
    li.className = "search-result";
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = root + record[0];
    link.appendChild(marked(record[1], terms));
    heading.appendChild(link);
    var when = document.createElement("p");
    when.className = "search-where";
    when.textContent = record[2];
    var text = document.createElement("p");
    text.appendChild(marked(excerpt(record[3], terms), terms));
    li.appendChild(heading);
    li.appendChild(when);
    li.appendChild(text);
    var names = words(record[4]);
    if (terms.some(function (t) { return names.some(function (n) { return n.lastIndexOf(t, 0) === 0; }); })) {
      var on = document.createElement("p");
      on.className = "search-where";
      on.appendChild(marked(excerpt(record[4], terms), terms));
      li.appendChild(on);
    }
    return li;
  }

  function showMore(terms, number) {
    var start = list.children.length;
    var numbers = shown.slice(start, start + PAGE);
    var files = {};
    numbers.forEach(function (n) { files[Math.floor(n / manifest.per_file)] = true; });
    return Promise.all(Object.keys(files).map(function (f) { return load("e/" + f + ".json"); })).then(function () {
      if (number !== searchNumber) return;
      return Promise.all(numbers.map(function (n) {
        return load("e/" + Math.floor(n / manifest.per_file) + ".json").then(function (records) {
          return records[n % manifest.per_file];
        });
      })).then(function (records) {
        if (number !== searchNumber) return;
        records.forEach(function (record) { list.appendChild(item(record, terms)); });
        more.hidden = list.children.length >= shown.length;
        list.setAttribute("data-searched", terms.join(" "));
      });
    });
  }

  function search(choice) {
    searchNumber += 1;
    var number = searchNumber;
    var terms = words(choice.q);
    var lists = terms.map(eventsWith);
    FILTERS.forEach(function (name) { if (choice[name]) lists.push(eventsFiltered(name, choice[name])); });
    if (!lists.length) {
      list.textContent = "";
      more.hidden = true;
      status.textContent = "Type a word, a name or a place, or choose a filter.";
      list.setAttribute("data-searched", "");
      return Promise.resolve();
    }
    status.textContent = "Searching\u2026";
    return Promise.all(lists).then(function (found) {
      if (number !== searchNumber) return;
      shown = found.reduce(intersect);
      list.textContent = "";
      status.textContent = shown.length === 0 ? "No event matches." :
        (shown.length === 1 ? "1 event matches." : shown.length.toLocaleString("en") + " events match, in date order.");
      return showMore(terms, number);
    }).catch(function () {
      status.textContent = "The search index could not be loaded.";
    });
  }

  /* A finished choice (a filter chosen, the query sent) is a new entry in the history; typing replaces it. */
  function update(push) {
    var choice = state();
    var url = urlOf(choice);
    if (url !== window.location.pathname + window.location.search) {
      try {
        if (push) window.history.pushState(choice, "", url);
        else window.history.replaceState(choice, "", url);
      } catch (error) { /* file:// pages may refuse; searching still works */ }
    }
    return search(choice);
  }

  /* The first change of the query after a finished search starts a new history entry; the letters typed
     after it update that entry, so Back returns to the search before, not to each letter. A search left on
     screen for a second counts as finished. */
  var typing = null;
  var settled = null;
  var fresh = true;
  query.addEventListener("input", function () {
    window.clearTimeout(typing);
    window.clearTimeout(settled);
    typing = window.setTimeout(function () {
      update(fresh);
      fresh = false;
      settled = window.setTimeout(function () { fresh = true; }, 1000);
    }, 150);
  });
  form.addEventListener("change", function (event) {
    if (event.target !== query) { fresh = true; update(true); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(typing);
    update(fresh);
    fresh = true;
  });
  more.querySelector("button").addEventListener("click", function () { showMore(words(query.value), searchNumber); });
  window.addEventListener("popstate", function () {
    fresh = true;
    readUrl();
    search(state());
  });

  var nojs = document.querySelector(".search-nojs");
  if (nojs) nojs.hidden = true;
  form.hidden = false;
  readUrl();
  load("index.json").then(function (data) {
    manifest = data;
    return search(state());
  }).catch(function () {
    status.textContent = "The search index could not be loaded.";
  });
})();
