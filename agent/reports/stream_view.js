// The report's one script: pan and zoom of the stream diagram, and a click (or Enter on a card reached by
// Tab) that lights up an element's chain (threshold -> duplication -> loss) and its findings. Allowed by its hash in the page's policy;
// it loads nothing and sends nothing. Without it the report reads the same, the diagram fitted to the page.
(function () {
  "use strict";
  var view = document.querySelector(".stream-view");
  var svg = view && view.querySelector("svg.stream");
  var pan = svg && svg.querySelector("g.pan");
  if (!pan) { return; }
  var note = document.getElementById("focus-note");
  var box = svg.viewBox.baseVal;
  var k = 1, tx = 0, ty = 0, MAX_ZOOM = 40;

  function clamp() {
    // The drawing always covers the view: no panning off into empty space.
    tx = Math.min(box.x - box.x * k, Math.max(box.x + box.width - (box.x + box.width) * k, tx));
    ty = Math.min(box.y - box.y * k, Math.max(box.y + box.height - (box.y + box.height) * k, ty));
  }
  function apply() {
    clamp();
    pan.setAttribute("transform", "translate(" + tx + " " + ty + ") scale(" + k + ")");
    view.classList.toggle("zoomed", k > 1.001);
  }
  function toUser(clientX, clientY) {
    var point = svg.createSVGPoint();
    point.x = clientX; point.y = clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }
  function zoomAt(factor, ux, uy) {
    var next = Math.min(MAX_ZOOM, Math.max(1, k * factor));
    tx = ux - (ux - tx) * next / k;
    ty = uy - (uy - ty) * next / k;
    k = next;
    apply();
  }
  function zoomCentre(factor) { zoomAt(factor, box.x + box.width / 2, box.y + box.height / 2); }
  function panBy(dx, dy) { tx += dx; ty += dy; apply(); }
  function fit() { k = 1; tx = 0; ty = 0; apply(); }

  view.addEventListener("wheel", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {  // ctrl+wheel and pinch zoom; a plain wheel scrolls the page
      event.preventDefault();
      var at = toUser(event.clientX, event.clientY);
      zoomAt(Math.exp(-event.deltaY / 300), at.x, at.y);
    } else if (k > 1.001 && event.shiftKey) {
      event.preventDefault();
      panBy(-event.deltaY * box.width / svg.clientWidth, 0);
    }
  }, { passive: false });

  var drag = null;
  view.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) { return; }
    drag = { x: event.clientX, y: event.clientY, tx: tx, ty: ty, moved: false };
  });
  window.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) { drag.moved = true; view.classList.add("dragging"); }
    var scale = box.width / svg.getBoundingClientRect().width;
    tx = drag.tx + dx * scale; ty = drag.ty + dy * scale;
    apply();
  });
  window.addEventListener("pointerup", function () {
    view.classList.remove("dragging");
    if (drag && drag.moved) { view.dataset.dragged = "1"; }
    drag = null;
  });
  view.addEventListener("dblclick", function (event) {
    var at = toUser(event.clientX, event.clientY);
    zoomAt(event.shiftKey ? 0.5 : 2, at.x, at.y);
  });
  view.addEventListener("keydown", function (event) {
    var across = box.width / 12, down = box.height / 6;
    var keys = {
      "+": function () { zoomCentre(1.5); }, "=": function () { zoomCentre(1.5); },
      "-": function () { zoomCentre(1 / 1.5); }, "0": fit,
      "ArrowLeft": function () { panBy(across, 0); }, "ArrowRight": function () { panBy(-across, 0); },
      "ArrowUp": function () { panBy(0, down); }, "ArrowDown": function () { panBy(0, -down); },
      "Escape": function () { select(null); }
    };
    if (keys[event.key] && !event.ctrlKey && !event.metaKey) { event.preventDefault(); keys[event.key](); }
  });
  var tools = view.parentNode.querySelector(".zoom-tools");
  tools.querySelectorAll("button[data-zoom]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var how = button.getAttribute("data-zoom");
      if (how === "in") { zoomCentre(1.5); } else if (how === "out") { zoomCentre(1 / 1.5); } else { fit(); }
    });
  });
  tools.hidden = false;

  function select(card) {
    var chain = card ? card.getAttribute("data-chain").split(" ") : [];
    var on = {};
    chain.forEach(function (id) { on[id] = true; });
    svg.classList.toggle("focused", !!card);
    svg.querySelectorAll("g.card").forEach(function (g) {
      g.classList.toggle("on", !!on[g.getAttribute("data-id")]);
      g.classList.toggle("picked", g === card);
      if (g.hasAttribute("tabindex")) { g.setAttribute("aria-pressed", g === card ? "true" : "false"); }
    });
    svg.querySelectorAll("g.trace, g.flow").forEach(function (g) {
      g.classList.toggle("on", !!(on[g.getAttribute("data-from")] && on[g.getAttribute("data-to")]));
    });
    var findings = [];
    document.querySelectorAll("article.finding[data-elements]").forEach(function (article) {
      var hit = article.getAttribute("data-elements").split(" ").some(function (id) { return on[id]; });
      article.classList.toggle("on", !!card && hit);
      if (card && hit) { findings.push(article); }
    });
    note.textContent = "";
    if (!card) { note.hidden = true; return; }
    note.hidden = false;
    var title = card.querySelector("title").textContent.split("\n")[0];
    note.appendChild(document.createTextNode(title + ": chain of " + chain.length + " element" +
      (chain.length === 1 ? "" : "s") + " lit; " + findings.length + " finding" + (findings.length === 1 ? "" : "s") +
      (findings.length ? ": " : ".")));
    findings.forEach(function (article, index) {
      var link = document.createElement("a");
      link.href = "#" + article.id;
      link.textContent = article.querySelector("code").textContent;
      if (index) { note.appendChild(document.createTextNode(", ")); }
      note.appendChild(link);
    });
    var clear = document.createElement("button");
    clear.type = "button";
    clear.textContent = "Clear";
    clear.addEventListener("click", function () { select(null); });
    note.appendChild(document.createTextNode(" "));
    note.appendChild(clear);
  }
  svg.addEventListener("click", function (event) {
    if (view.dataset.dragged) { delete view.dataset.dragged; return; }
    var card = event.target.closest("g.card[data-chain]");
    select(card && !card.classList.contains("picked") ? card : null);
  });

  // Without a mouse: every card with a chain is a tab stop named by its title, Enter or Space lights
  // its chain (and puts it out again), and a card tabbed to while zoomed in is brought into the frame.
  svg.setAttribute("role", "group");  // an image's parts are not announced; a group's buttons are
  svg.setAttribute("tabindex", "-1");  // the frame around it is the one stop for zoom and pan keys
  svg.querySelectorAll("g.card[data-chain]").forEach(function (g) {
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute("aria-pressed", "false");
    g.setAttribute("aria-label", g.querySelector("title").textContent.split("\n")[0]);
  });
  svg.addEventListener("keydown", function (event) {
    var card = event.target.closest && event.target.closest("g.card[data-chain]");
    if (!card || (event.key !== "Enter" && event.key !== " ")) { return; }
    event.preventDefault();
    select(card.classList.contains("picked") ? null : card);
  });
  svg.addEventListener("focusin", function (event) {
    var card = event.target.closest && event.target.closest("g.card[data-chain]");
    view.scrollLeft = 0; view.scrollTop = 0;  // focus must not scroll the frame: only pan moves the drawing
    if (!card || k <= 1.001) { return; }
    var bb = card.getBBox();
    var left = bb.x * k + tx, top = bb.y * k + ty;
    if (left < box.x || left + bb.width * k > box.x + box.width) {
      tx = box.x + box.width / 2 - (bb.x + bb.width / 2) * k;
    }
    if (top < box.y || top + bb.height * k > box.y + box.height) {
      ty = box.y + box.height / 2 - (bb.y + bb.height / 2) * k;
    }
    apply();
  });
  window.addEventListener("beforeprint", fit);
})();
