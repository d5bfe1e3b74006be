/* A scan's page images, zoomable, beside its text (OpenSeadragon over the site's IIIF level 0 tiles).

   Progressive: without JavaScript the page shows each page image beside the text
   that follows its page break. With it, one viewer stands beside the text and turns
   to the page being read; "Line by line" lists the OCR lines, and a line that is
   pointed at, focused or chosen has its zone outlined on the page. The tile sources
   come from the section's data-pages attribute (relative URLs: no fetch, so file://
   works). */
(function () {
  "use strict";
  var section = document.querySelector("section.viewer[data-pages]");
  if (!section || !window.OpenSeadragon) { return; }
  var pages = JSON.parse(section.getAttribute("data-pages"));
  var article = section.closest("article");
  var label = section.querySelector(".viewer-page");
  var current = 0;
  var highlight = document.createElement("div");
  highlight.className = "zone-highlight";
  var pendingLine = null;

  section.hidden = false;
  article.classList.add("viewer-on");
  var viewer = window.OpenSeadragon({
    element: document.getElementById("viewer-canvas"),
    tileSources: pages.map(function (p) { return p.tiles; }),
    sequenceMode: true,
    showNavigationControl: false,
    showSequenceControl: false,
    drawer: "canvas",
    visibilityRatio: 0.5,
    minZoomImageRatio: 0.8,
    maxZoomPixelRatio: 2,  // past the scan's own pixels, for small type
    gestureSettingsMouse: { clickToZoom: false }
  });
  window.editionViewer = viewer;  // for tests and the curious

  function showPage(index) {
    if (index < 0 || index >= pages.length || index === current) { return; }
    viewer.goToPage(index);
  }

  function updateLabel() {
    label.textContent = "Page " + pages[current].n + " of " + pages.length;
    section.querySelector("[data-action=previous]").disabled = current === 0;
    section.querySelector("[data-action=next]").disabled = current === pages.length - 1;
  }

  viewer.addHandler("page", function (event) { current = event.page; updateLabel(); });
  viewer.addHandler("open", function () {
    if (pendingLine) { var line = pendingLine; pendingLine = null; outline(line, true); }
  });
  updateLabel();

  section.querySelector(".viewer-bar").addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) { return; }
    var action = button.getAttribute("data-action");
    if (action === "previous") { showPage(current - 1); }
    else if (action === "next") { showPage(current + 1); }
    else if (action === "zoom-in") { viewer.viewport.zoomBy(1.5); viewer.viewport.applyConstraints(); }
    else if (action === "zoom-out") { viewer.viewport.zoomBy(1 / 1.5); viewer.viewport.applyConstraints(); }
    else if (action === "home") { viewer.viewport.goHome(); }
  });

  // Reading: the viewer turns to the page whose break last scrolled past the top of the window.
  var byNumber = {};
  pages.forEach(function (p, i) { byNumber[p.n] = i; });
  var breaks = Array.prototype.slice.call(document.querySelectorAll(".tei-text .pb[id^='page-']"));
  if (breaks.length && "IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function () {
      var passed = breaks.filter(function (b) { return b.getBoundingClientRect().top < window.innerHeight / 2; });
      var last = passed.length ? passed[passed.length - 1] : breaks[0];
      var index = byNumber[last.id.slice("page-".length)];
      if (index !== undefined && !pendingLine) { showPage(index); }
    }, { rootMargin: "0px 0px -50% 0px" });
    breaks.forEach(function (b) { observer.observe(b); });
  }

  // Line by line: a line's zone outlined on its page; choosing it zooms there.
  function outline(line, zoom) {
    var index = Number(line.getAttribute("data-page"));
    if (index !== current) { pendingLine = line; showPage(index); return; }
    var box = line.getAttribute("data-box").split(",").map(Number);
    var item = viewer.world.getItemAt(0);
    if (!item) { pendingLine = line; return; }
    var rect = item.imageToViewportRectangle(box[0], box[1], box[2], box[3]);
    viewer.removeOverlay(highlight);
    viewer.addOverlay({ element: highlight, location: rect });
    document.querySelectorAll(".ocr-lines .line.current").forEach(function (b) { b.classList.remove("current"); });
    line.classList.add("current");
    section.setAttribute("data-zone", line.id.slice("line-".length));
    if (zoom) {
      var margin = rect.height * 2;
      viewer.viewport.fitBounds(new window.OpenSeadragon.Rect(rect.x - margin, rect.y - margin * 3,
                                                              rect.width + 2 * margin, rect.height + margin * 6));
    }
  }

  var lines = document.querySelector(".ocr-lines");
  if (lines) {
    lines.addEventListener("mouseover", function (event) {
      var line = event.target.closest("button.line");
      if (line) { outline(line, false); }
    });
    lines.addEventListener("focusin", function (event) {
      var line = event.target.closest("button.line");
      if (line) { outline(line, false); }
    });
    lines.addEventListener("click", function (event) {
      var line = event.target.closest("button.line");
      if (line) { outline(line, true); }
    });
  }

  var views = document.querySelector(".view-switch");
  if (views && lines) {
    var text = document.querySelector(".tei-text");
    views.hidden = false;
    views.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-view]");
      if (!button) { return; }
      var showLines = button.getAttribute("data-view") === "lines";
      lines.hidden = !showLines;
      text.hidden = showLines;
      views.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
      if (!showLines) { viewer.removeOverlay(highlight); }
    });
  }
}());
