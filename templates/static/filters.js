/* Timeline filters for the home page: tag, actor, side and claim status.
 *
 * The page lists every event in its HTML; this script only hides the ones that do not match, so the
 * full list is there without JavaScript. The choice is kept in the query string
 * (?tag=military&side=russia) so that a filtered view can be shared and survives a reload; each choice is an
 * entry in the browser's history, so Back returns to the previous one.
 * No inline code, no eval: it runs under a strict Content-Security-Policy.
 */
(function () {
  "use strict";

  var form = document.querySelector("form.filters");
  if (!form) {
    return;
  }

  /* select name -> the data attribute of each <li> that lists its values */
  var FIELDS = { tag: "tags", actor: "actors", side: "sides", status: "statuses" };
  var NAMES = Object.keys(FIELDS);

  var items = Array.prototype.slice.call(document.querySelectorAll("ol.events > li.event"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.episode-section"));
  var live = form.querySelector(".filter-status");
  var total = items.length;

  /* Each item's values, split once. */
  var values = items.map(function (li) {
    var sets = {};
    NAMES.forEach(function (name) {
      var raw = li.getAttribute("data-" + FIELDS[name]) || "";
      sets[name] = raw.split(/\s+/).filter(Boolean);
    });
    return sets;
  });

  function select(name) {
    return form.elements.namedItem(name);
  }

  function chosen() {
    var out = {};
    NAMES.forEach(function (name) {
      var el = select(name);
      if (el && el.value) {
        out[name] = el.value;
      }
    });
    return out;
  }

  function matches(index, choice) {
    return NAMES.every(function (name) {
      return !choice[name] || values[index][name].indexOf(choice[name]) !== -1;
    });
  }

  function writeUrl(choice) {
    try {
      var url = new URL(window.location.href);
      NAMES.forEach(function (name) {
        if (choice[name]) {
          url.searchParams.set(name, choice[name]);
        } else {
          url.searchParams.delete(name);
        }
      });
      var next = url.pathname + url.search + url.hash;
      if (next !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.pushState(choice, "", next);
      }
    } catch (error) {
      /* file:// pages and old browsers may refuse; filtering still works */
    }
  }

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    NAMES.forEach(function (name) {
      var el = select(name);
      var wanted = params.get(name) || "";
      if (!el) {
        return;
      }
      var known = Array.prototype.some.call(el.options, function (option) {
        return option.value === wanted;
      });
      el.value = known ? wanted : "";
    });
  }

  function apply(updateUrl) {
    var choice = chosen();
    var shown = 0;
    items.forEach(function (li, index) {
      var visible = matches(index, choice);
      li.hidden = !visible;
      if (visible) {
        shown += 1;
      }
    });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector("ol.events > li.event:not([hidden])");
    });
    var text = "Showing " + shown + " of " + total + " events";
    if (shown === 0) {
      text += ". No event matches all the chosen filters.";
    }
    if (live && live.textContent !== text) {
      live.textContent = text;
    }
    form.classList.toggle("is-filtered", Object.keys(choice).length > 0);
    if (updateUrl) {
      writeUrl(choice);
    }
  }

  form.addEventListener("change", function () {
    apply(true);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply(true);
  });
  form.addEventListener("reset", function () {
    /* the reset event fires before the controls are reset */
    window.setTimeout(function () {
      apply(true);
    }, 0);
  });

  window.addEventListener("popstate", function () {
    readUrl();
    apply(false);
  });

  readUrl();
  form.hidden = false;
  apply(false);
})();
