/* Draws the charts of a page with the self-hosted plotly.js, loaded only when a chart nears the
   viewport. Each chart's figure is JSON in a <script type="application/json"> beside it; the data
   table stays in the page for readers without JavaScript or sight. A map (data-basemap-src) first loads
   the script that hands plotly.js its base map, so plotly.js never fetches one from its CDN. */
(function () {
  "use strict";

  var plotlyLoading = null;
  var scriptsLoading = {};

  function loadScript(src) {
    if (!scriptsLoading[src]) {
      scriptsLoading[src] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.onload = function () { resolve(); };
        script.onerror = function () { reject(new Error(src + " could not be loaded")); };
        document.head.appendChild(script);
      });
    }
    return scriptsLoading[src];
  }

  /* plotly.js injects <style> elements for map traces unless elements with their ids exist; the page's
     Content-Security-Policy forbids inline styles and the site draws no maps, so placeholders stand in. */
  function placeStylePlaceholders(ids) {
    (ids || "").split(/\s+/).filter(Boolean).forEach(function (id) {
      if (document.getElementById(id)) return;
      var placeholder = document.createElement("meta");
      placeholder.id = id;
      document.head.appendChild(placeholder);
    });
  }

  function loadPlotly(src, styleIds) {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyLoading) {
      placeStylePlaceholders(styleIds);
      plotlyLoading = loadScript(src).then(function () { return window.Plotly; });
    }
    return plotlyLoading;
  }

  /* A map's base map is loaded before plotly.js draws it (and, on a page whose first chart is a map,
     before plotly.js itself, as plotly.js keeps a PlotlyGeoAssets it finds). */
  function loadFor(figureElement) {
    var basemap = figureElement.getAttribute("data-basemap-src");
    var before = basemap ? loadScript(basemap) : Promise.resolve();
    return before.then(function () {
      return loadPlotly(figureElement.getAttribute("data-plotly-src"), figureElement.getAttribute("data-plotly-style-ids"));
    });
  }

  /* plotly.js reads a little HTML in the text it draws (<b>, <br>, <a href>, <span style>). Every string of
     the figure is content and is shown as text, so its &, < and > are escaped here, and plotly shows them
     as the characters they stand for. hovertext and hovertemplate are the exceptions: the build writes
     them as plotly's markup (<br>, <extra>) and escapes the content inside them itself. */
  var MARKUP_KEYS = { hovertext: true, hovertemplate: true };

  function asText(value, key) {
    if (typeof value === "string") {
      return MARKUP_KEYS[key] ? value : value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    }
    if (Array.isArray(value)) return value.map(function (item) { return asText(item, key); });
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (name) { out[name] = asText(value[name], name); });
      return out;
    }
    return value;
  }

  function themeColours(element) {
    var style = window.getComputedStyle(element);
    var text = style.color || "#222";
    function variable(name, fallback) { return style.getPropertyValue(name).trim() || fallback; }
    return {
      text: text,
      grid: variable("--chart-grid", "rgba(128,128,128,0.3)"),
      land: variable("--map-land", "#f2efe6"),
      sea: variable("--map-sea", "#dfeaf2"),
      border: variable("--map-border", "#777777")
    };
  }

  function themed(layout, colours) {
    layout.font = Object.assign({}, layout.font, { color: colours.text });
    Object.keys(layout).forEach(function (key) {
      if (/^[xy]axis\d*$/.test(key)) {
        layout[key] = Object.assign({}, layout[key], { gridcolor: colours.grid, zerolinecolor: colours.grid, linecolor: colours.grid });
      }
    });
    (layout.annotations || []).forEach(function (a) { a.font = Object.assign({}, a.font, { color: colours.text }); });
    if (layout.geo) {
      layout.geo = Object.assign({}, layout.geo, {
        bgcolor: "rgba(0,0,0,0)", landcolor: colours.land, oceancolor: colours.sea,
        countrycolor: colours.border, coastlinecolor: colours.border
      });
    }
    (layout.sliders || []).forEach(function (s) {
      s.font = Object.assign({}, s.font, { color: colours.text });
      s.currentvalue = Object.assign({}, s.currentvalue, { font: { color: colours.text } });
    });
    return layout;
  }

  /* On a narrow screen (a phone held upright) the axes' labels would take half the width and crowd each other:
     smaller type, a few upright date labels rather than many slanted ones, and long names of bars shortened
     (a bar's hover text and the data table give them whole). */
  var NARROW = 560;
  var SHORT_LABEL = 22;

  function shortened(label) {
    return label.length > SHORT_LABEL ? label.slice(0, SHORT_LABEL - 1).trim() + "\u2026" : label;
  }

  function fitted(data, layout, width) {
    if (width >= NARROW) return layout;
    layout.font = Object.assign({}, layout.font, { size: 11 });
    Object.keys(layout).forEach(function (key) {
      if (/^xaxis\d*$/.test(key) && layout[key].type === "date") {
        layout[key] = Object.assign({}, layout[key], { nticks: 4, tickangle: 0 });
      }
    });
    data.forEach(function (trace) {
      if (trace.type === "scattergeo" && Array.isArray(trace.text)) trace.text = trace.text.map(shortened);
    });
    ["x", "y"].forEach(function (letter) {
      var names = [];
      data.forEach(function (trace) {
        var along = trace.orientation === "h" ? "y" : "x";  /* the axis a bar chart names its bars on */
        if (trace.type !== "bar" || along !== letter || !Array.isArray(trace[letter])) return;
        trace[letter].forEach(function (name) { if (typeof name === "string" && names.indexOf(name) < 0) names.push(name); });
      });
      if (names.some(function (name) { return name.length > SHORT_LABEL; })) {
        var axis = letter + "axis";
        layout[axis] = Object.assign({}, layout[axis], { tickmode: "array", tickvals: names, ticktext: names.map(shortened) });
      }
    });
    return layout;
  }

  /* The day-by-day maps never play by themselves; for readers who ask for reduced motion, the play button
     steps through the days without moving transitions. */
  function calmed(layout) {
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (!reduce) return layout;
    (layout.updatemenus || []).forEach(function (menu) {
      (menu.buttons || []).forEach(function (button) {
        var options = button.args && button.args[1];
        if (options) {
          options.transition = { duration: 0 };
          options.frame = Object.assign({}, options.frame, { duration: 1200 });
        }
      });
    });
    return layout;
  }

  function draw(figureElement) {
    var plot = figureElement.querySelector(".chart-plot");
    var dataElement = figureElement.querySelector("script.chart-figure");
    if (!plot || !dataElement || figureElement.hasAttribute("data-drawn")) return;
    figureElement.setAttribute("data-drawn", "loading");
    var figure = asText(JSON.parse(dataElement.textContent), "");
    var root = figureElement.getAttribute("data-root") || "";
    loadFor(figureElement).then(function (Plotly) {
      var layout = calmed(fitted(figure.data, themed(figure.layout || {}, themeColours(figureElement)), plot.clientWidth));
      (figure.frames || []).forEach(function (frame) { fitted(frame.data, {}, plot.clientWidth); });
      /* topojsonURL: were a base map missing, plotly.js would ask this site for it, never its CDN */
      var config = { responsive: true, displayModeBar: false, scrollZoom: false, topojsonURL: root + "static/" };
      var drawing = Plotly.newPlot(plot, figure.data, layout, config);
      if (figure.frames && figure.frames.length) {
        drawing = drawing.then(function () { return Plotly.addFrames(plot, figure.frames); });
      }
      return drawing.then(function () {
        figureElement.setAttribute("data-drawn", "yes");
        plot.on("plotly_click", function (event) {
          var point = event && event.points && event.points[0];
          if (point && typeof point.customdata === "string") window.location.href = root + point.customdata;
        });
        var table = figureElement.querySelector("details.chart-data");
        if (table && !printing) table.open = false;  /* a page being printed keeps its tables open */
        if (window.matchMedia) {
          window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function () {
            Plotly.relayout(plot, themed(plot.layout, themeColours(figureElement)));
          });
        }
      });
    }).catch(function () {
      figureElement.setAttribute("data-drawn", "failed");
    });
  }

  function start() {
    var charts = Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
    if (!charts.length) return;
    if (!("IntersectionObserver" in window)) { charts.forEach(draw); return; }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); draw(entry.target); }
      });
    }, { rootMargin: "300px 0px" });
    charts.forEach(function (chart) { observer.observe(chart); });
  }

  /* A drawn chart closes its data table; a printed page shows every table, since paper has no charts to explore. */
  var printing = false;
  window.addEventListener("afterprint", function () { printing = false; });
  window.addEventListener("beforeprint", function () {
    printing = true;
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart] details.chart-data"), function (details) {
      details.open = true;
    });
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
