// Send the CSRF token with every htmx request, read from the page's meta tag
// (no inline script, so the Content-Security-Policy can forbid them).
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
  }
});

// htmx swaps error responses (422 validation, 409 stale edit) too: they carry the
// Dutch message and the form with what the user typed.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 422 || status === 409) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
  // 503 while a restore runs: nothing is swapped (a form keeps what was typed, a screen
  // what it shows), no error; a poll simply tries again at its next tick, and someone
  // who saved reads the server's Dutch message once, above the page.
  if (status === 503) {
    event.detail.shouldSwap = false;
    event.detail.isError = false;
    var config = event.detail.requestConfig;
    var verb = config ? config.verb : "get";
    // The login form waits and tries again by itself (static/login.js).
    var retriesItself = config && config.elt && config.elt.hasAttribute("data-retry-line");
    if (verb !== "get" && !retriesItself) {
      showMaintenanceNotice();
    }
  }
});

var MAINTENANCE_NOTICE_ID = "onderhoud-melding";

function showMaintenanceNotice() {
  if (document.getElementById(MAINTENANCE_NOTICE_ID)) {
    return;
  }
  var main = document.getElementById("main");
  if (!main) {
    return;
  }
  var notice = document.createElement("p");
  notice.id = MAINTENANCE_NOTICE_ID;
  notice.className = "flash flash-warning";
  notice.setAttribute("role", "status");
  notice.textContent = "Onderhoud: probeer het zo weer. Er is niets opgeslagen.";
  main.insertBefore(notice, main.firstChild);
  window.setTimeout(function () {
    notice.remove();
  }, 15000);
}

// Elements with data-autofocus get the focus when htmx brings them in. After an
// outerHTML swap the element htmx names is the old one: look in its successor.
// Someone who moved the focus themselves while the answer was on its way (Escape, Tab,
// a click) keeps it, and so does someone already typing in another field of the new content.
var focusMovedAt = 0;
document.addEventListener("keydown", function (event) {
  if (event.key === "Escape" || event.key === "Tab") {
    focusMovedAt = Date.now();
  }
}, true);
document.addEventListener("mousedown", function () {
  focusMovedAt = Date.now();
}, true);
document.addEventListener("htmx:beforeRequest", function (event) {
  if (event.detail.xhr) {
    event.detail.xhr.maatwerkRequestedAt = Date.now();
  }
});
document.addEventListener("htmx:afterSettle", function (event) {
  var elt = event.detail.elt;
  if (!elt.isConnected && elt.id) {
    elt = document.getElementById(elt.id) || elt;
  }
  var target = elt.matches("[data-autofocus]") ? elt : elt.querySelector("[data-autofocus]");
  var active = document.activeElement;
  var typingElsewhere = active && active !== target && elt.contains(active) && active.closest("form");
  var xhr = event.detail.xhr;
  var requestedAt = xhr && xhr.maatwerkRequestedAt ? xhr.maatwerkRequestedAt : Date.now();
  if (target && !typingElsewhere && focusMovedAt <= requestedAt) {
    target.focus();
  }
});

// Buttons with data-confirm ask before they act (no inline onclick handlers).
document.addEventListener("htmx:confirm", function (event) {
  var question = event.detail.elt.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// One submit at a time: a double click on "Gezin aanmaken" (or any save) sends one
// request; the server also refuses a second family from one form (its token).
document.addEventListener("htmx:beforeRequest", function (event) {
  var form = event.detail.elt.closest && event.detail.elt.closest("form");
  if (!form || event.detail.requestConfig.verb === "get") {
    return;
  }
  if (form.hasAttribute("data-submitting")) {
    event.preventDefault();
    return;
  }
  form.setAttribute("data-submitting", "");
});
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.detail.elt.closest && event.detail.elt.closest("form");
  if (form) {
    form.removeAttribute("data-submitting");
  }
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (event.defaultPrevented || form.hasAttribute("hx-post") || form.hasAttribute("hx-put")) {
    return;
  }
  if (form.hasAttribute("data-submitting")) {
    event.preventDefault();
    return;
  }
  form.setAttribute("data-submitting", "");
});
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-submitting]").forEach(function (form) {
    form.removeAttribute("data-submitting");
  });
});

// A print version (it is logged as "print" when it loads) opens the print dialog itself.
document.addEventListener("DOMContentLoaded", function () {
  if (document.querySelector("[data-print-on-load]")) {
    window.print();
  }
});

// ---------------------------------------------------------------------------------
// The genogram: zoom and pan (Panzoom), and a click, Enter or Space on a person or
// network member opens it in the side panel. Arrow keys walk from symbol to symbol.

var genogramViews = {}; // drawing id -> {scale, x, y}, kept across redraws

function genogramDrawings(root) {
  var scope = root || document;
  var found = Array.prototype.slice.call(scope.querySelectorAll(".genogram-drawing"));
  if (scope.classList && scope.classList.contains("genogram-drawing")) {
    found.push(scope);
  }
  return found;
}

function genogramSymbols(drawing) {
  return Array.prototype.slice.call(
    drawing.querySelectorAll("svg [data-person-id], svg [data-member-id]")
  );
}

function setUpGenogram(drawing) {
  var svg = drawing.querySelector("svg");
  if (!svg || drawing.genogramZoom || typeof Panzoom !== "function") {
    return;
  }
  var view = genogramViews[drawing.id] || { scale: 1, x: 0, y: 0 };
  var zoom = Panzoom(svg, {
    canvas: true,
    maxScale: 12,
    minScale: 0.5,
    step: 0.25,
    startScale: view.scale,
    startX: view.x,
    startY: view.y,
    cursor: "grab",
  });
  drawing.genogramZoom = zoom;
  drawing.addEventListener("wheel", function (event) {
    // On the family page the wheel scrolls the page unless Ctrl is held.
    if (drawing.closest("[data-wheel-zoom]") || event.ctrlKey) {
      zoom.zoomWithWheel(event);
    }
  });
  svg.addEventListener("panzoomchange", function (event) {
    genogramViews[drawing.id] = { scale: event.detail.scale, x: event.detail.x, y: event.detail.y };
  });
  genogramSymbols(drawing).forEach(function (symbol) {
    var title = symbol.querySelector("title");
    symbol.setAttribute("tabindex", "0");
    symbol.setAttribute("role", "button");
    if (title) {
      symbol.setAttribute("aria-label", title.textContent);
    }
  });
  markGenogramSelection();
}

function genogramZoomBy(drawing, how) {
  var zoom = drawing && drawing.genogramZoom;
  if (!zoom) {
    return;
  }
  if (how === "in") {
    zoom.zoomIn();
  } else if (how === "out") {
    zoom.zoomOut();
  } else {
    zoom.reset();
  }
}

function openInGenogramPanel(symbol) {
  var drawing = symbol.closest(".genogram-drawing");
  var person = symbol.getAttribute("data-person-id");
  var template = drawing.getAttribute(person ? "data-person-url" : "data-member-url");
  var id = person || symbol.getAttribute("data-member-id");
  var target = "#" + drawing.getAttribute("data-panel");
  if (!template || !document.querySelector(target)) {
    return;
  }
  htmx.ajax("GET", template.replace("__id__", encodeURIComponent(id)), {
    target: target,
    swap: "outerHTML",
  });
}

// The panel says whom it shows; that symbol gets the selection mark in the drawing.
function markGenogramSelection() {
  var panel = document.querySelector(".genogram-panel");
  document.querySelectorAll(".genogram-drawing .is-selected").forEach(function (el) {
    el.classList.remove("is-selected");
  });
  if (!panel) {
    return;
  }
  var person = panel.getAttribute("data-selected-person");
  var member = panel.getAttribute("data-selected-member");
  genogramDrawings().forEach(function (drawing) {
    genogramSymbols(drawing).forEach(function (symbol) {
      if (
        (person && symbol.getAttribute("data-person-id") === person) ||
        (member && symbol.getAttribute("data-member-id") === member)
      ) {
        symbol.classList.add("is-selected");
      }
    });
  });
}

// Keep a focused symbol in view: pan by the distance it lies outside the frame.
function showInGenogram(drawing, symbol) {
  var zoom = drawing.genogramZoom;
  if (!zoom) {
    return;
  }
  var frame = drawing.getBoundingClientRect();
  var box = symbol.getBoundingClientRect();
  var margin = 40;
  var dx = 0;
  var dy = 0;
  if (box.left < frame.left + margin) dx = frame.left + margin - box.left;
  if (box.right > frame.right - margin) dx = frame.right - margin - box.right;
  if (box.top < frame.top + margin) dy = frame.top + margin - box.top;
  if (box.bottom > frame.bottom - margin) dy = frame.bottom - margin - box.bottom;
  if (dx || dy) {
    var scale = zoom.getScale();
    var pan = zoom.getPan();
    zoom.pan(pan.x + dx / scale, pan.y + dy / scale, { animate: false });
  }
}

// The nearest symbol in an arrow's direction, from the data-x/data-y of each centre.
function nextGenogramSymbol(drawing, from, key) {
  var x0 = parseFloat(from.getAttribute("data-x"));
  var y0 = parseFloat(from.getAttribute("data-y"));
  var best = null;
  var bestScore = Infinity;
  genogramSymbols(drawing).forEach(function (symbol) {
    if (symbol === from) {
      return;
    }
    var dx = parseFloat(symbol.getAttribute("data-x")) - x0;
    var dy = parseFloat(symbol.getAttribute("data-y")) - y0;
    var along = { ArrowRight: dx, ArrowLeft: -dx, ArrowDown: dy, ArrowUp: -dy }[key];
    var across = key === "ArrowRight" || key === "ArrowLeft" ? Math.abs(dy) : Math.abs(dx);
    if (along <= 1) {
      return;
    }
    var score = along + 2 * across; // prefer the one straight ahead
    if (score < bestScore) {
      bestScore = score;
      best = symbol;
    }
  });
  return best;
}

// On the projector the drawing takes the rest of the screen below the step's heading,
// whatever the heading's height (one or two rows of agenda, a longer prompt).
function fitConferenceGenogram() {
  document.querySelectorAll(".conference-genogram").forEach(function (frame) {
    var top = frame.getBoundingClientRect().top + window.scrollY;
    frame.style.height = Math.max(320, window.innerHeight - top - 16) + "px";
  });
}
window.addEventListener("resize", fitConferenceGenogram);
document.addEventListener("fullscreenchange", fitConferenceGenogram);

document.addEventListener("DOMContentLoaded", function () {
  fitConferenceGenogram();
  genogramDrawings().forEach(setUpGenogram);
});
// A redrawn drawing replaces the old one: let go of the old one's listeners first.
document.addEventListener("htmx:beforeSwap", function (event) {
  var old = event.detail.target;
  if (!old || !event.detail.shouldSwap) {
    return;
  }
  genogramDrawings(old).forEach(function (drawing) {
    if (drawing.genogramZoom) {
      drawing.genogramZoom.destroy();
    }
  });
});
document.addEventListener("htmx:load", function (event) {
  fitConferenceGenogram();
  genogramDrawings(event.detail.elt).forEach(setUpGenogram);
  if (event.detail.elt.classList && event.detail.elt.classList.contains("genogram-panel")) {
    markGenogramSelection();
  }
});

// A drag that ends on a symbol is a pan, not a click.
var genogramPointer = null;
document.addEventListener("pointerdown", function (event) {
  genogramPointer = { x: event.clientX, y: event.clientY };
}, true);

document.addEventListener("click", function (event) {
  var zoomButton = event.target.closest("[data-zoom]");
  if (zoomButton) {
    var stage = zoomButton.closest(".genogram-stage");
    genogramZoomBy(stage && stage.querySelector(".genogram-drawing"), zoomButton.getAttribute("data-zoom"));
    return;
  }
  var symbol = event.target.closest(".genogram-drawing [data-person-id], .genogram-drawing [data-member-id]");
  if (!symbol) {
    return;
  }
  var moved = genogramPointer &&
    Math.abs(event.clientX - genogramPointer.x) + Math.abs(event.clientY - genogramPointer.y) > 6;
  if (!moved) {
    openInGenogramPanel(symbol);
  }
});

document.addEventListener("keydown", function (event) {
  var stage = event.target.closest && event.target.closest(".genogram-stage");
  if (!stage || event.ctrlKey || event.metaKey || event.altKey) {
    return;
  }
  var drawing = stage.querySelector(".genogram-drawing");
  var symbol = event.target.closest(".genogram-drawing [data-person-id], .genogram-drawing [data-member-id]");
  if (symbol && (event.key === "Enter" || event.key === " ")) {
    event.preventDefault();
    openInGenogramPanel(symbol);
  } else if (symbol && event.key.indexOf("Arrow") === 0) {
    var next = nextGenogramSymbol(drawing, symbol, event.key);
    event.preventDefault();
    if (next) {
      next.focus({ preventScroll: true });
      showInGenogram(drawing, next);
    }
  } else if (event.key === "+" || event.key === "=") {
    genogramZoomBy(drawing, "in");
  } else if (event.key === "-") {
    genogramZoomBy(drawing, "out");
  } else if (event.key === "0") {
    genogramZoomBy(drawing, "fit");
  }
});

// ---------------------------------------------------------------------------------
// Parts of a page that redraw themselves after a save elsewhere on it (data-refresh-on
// names the events), unless someone is typing in them: a form that has the focus, or
// an open form (.editor), keeps what was typed.

function isBusy(block) {
  var active = document.activeElement;
  if (block.querySelector(".editor")) {
    return true;
  }
  if (!active || !block.contains(active) || !active.closest("form")) {
    return false;
  }
  if (active.matches("select, input[type=date]")) {
    return true;
  }
  // A text field with the cursor in it but nothing typed yet may be redrawn.
  return active.matches("input:not([type=checkbox]):not([type=radio]):not([type=submit]), textarea") &&
    active.value.trim() !== "";
}

// The event names come from the server (core.htmx), on the body.
(document.body.getAttribute("data-events") || "").split(" ").filter(Boolean).forEach(function (name) {
  document.body.addEventListener(name, function () {
    document.querySelectorAll("[data-refresh-on]").forEach(function (block) {
      var events = block.getAttribute("data-refresh-on").split(" ");
      if (events.indexOf(name) >= 0 && !isBusy(block)) {
        htmx.trigger(block, "refresh");
      }
    });
  });
});

// "Toon in genogram" on a signal card: mark the persons concerned in the drawing.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-highlight-persons]");
  if (!button) {
    return;
  }
  var wanted = button.getAttribute("data-highlight-persons").split(" ");
  var drawing = document.querySelector(".genogram-drawing");
  if (!drawing) {
    // In the conference the drawing is a step of its own: go there, then mark them.
    if (typeof conferenceRoot === "function" && conferenceRoot()) {
      pendingHighlight = wanted;
      moveConference("family");
    }
    return;
  }
  flagPersons(drawing, wanted);
  drawing.scrollIntoView({ behavior: "smooth", block: "center" });
});

var pendingHighlight = null;

function flagPersons(drawing, wanted) {
  drawing.querySelectorAll(".is-flagged").forEach(function (el) {
    el.classList.remove("is-flagged");
  });
  genogramSymbols(drawing).forEach(function (symbol) {
    if (wanted.indexOf(symbol.getAttribute("data-person-id")) >= 0) {
      symbol.classList.add("is-flagged");
    }
  });
}

document.addEventListener("htmx:load", function (event) {
  if (!pendingHighlight) {
    return;
  }
  var drawing = event.detail.elt.querySelector && event.detail.elt.querySelector(".genogram-drawing");
  if (drawing) {
    flagPersons(drawing, pendingHighlight);
    pendingHighlight = null;
  }
});

// ---------------------------------------------------------------------------------
// The conference screen. Every screen polls its step once a second (hx-trigger on
// #overleg-live); a poll waits while someone types in it, so nothing typed is lost.
// The keyboard drives the meeting: arrows or N/P move, digits jump to a step, I adds an
// idea, A an action, F full screen, ? the shortcuts, Escape closes.

function conferenceRoot() {
  return document.querySelector("[data-conference]");
}

document.addEventListener("htmx:beforeRequest", function (event) {
  var live = event.detail.elt;
  if (live.id === "overleg-live" && event.detail.requestConfig.verb === "get" && isBusy(live)) {
    event.preventDefault();
  }
});

// One move at a time: keys pressed while a move is on its way are dropped, so answers
// cannot arrive out of order and show an older step.
var conferenceMoving = false;

function moveConference(to, focus) {
  var root = conferenceRoot();
  if (!root || root.getAttribute("data-may-lead") !== "true" || conferenceMoving) {
    return;
  }
  var live = document.getElementById(root.getAttribute("data-live"));
  var step = live && live.getAttribute("data-step");
  if ((to === "volgende" && step === "closing") || (to === "vorige" && step === "opening")) {
    return; // the agenda always runs from the opening to the closing
  }
  var values = { naar: to };
  if (focus) {
    values.focus = focus;
  }
  conferenceMoving = true;
  var done = function () {
    conferenceMoving = false;
  };
  // The swap itself ends the move (before any later key is handled); the promise is
  // the fallback when nothing was swapped (an error).
  htmx
    .ajax("POST", root.getAttribute("data-move-url"), {
      target: "#" + root.getAttribute("data-live"),
      swap: "outerHTML",
      values: values,
    })
    .then(done, done);
}

function focusWhenThere(id, step) {
  var field = document.getElementById(id);
  var live = document.getElementById("overleg-live");
  if (field) {
    field.focus();
  } else if (live && live.getAttribute("data-step") !== step) {
    moveConference(step, id);
  }
}

function toggleHelp(show) {
  var help = document.getElementById("sneltoetsen");
  if (!help) {
    return;
  }
  help.hidden = !show;
  if (show) {
    help.querySelector("[data-help-close]").focus();
  }
}

function toggleFullscreen() {
  if (document.fullscreenElement) {
    document.exitFullscreen();
  } else if (document.documentElement.requestFullscreen) {
    document.documentElement.requestFullscreen().catch(function () {});
  }
}

document.addEventListener("click", function (event) {
  if (event.target.closest("[data-help-open]")) {
    toggleHelp(true);
  } else if (event.target.closest("[data-help-close]")) {
    toggleHelp(false);
  } else if (event.target.closest("[data-fullscreen]")) {
    toggleFullscreen();
  }
});

document.addEventListener("htmx:afterSwap", function (event) {
  if (event.detail.target && event.detail.target.id === "overleg-live") {
    conferenceMoving = false;
  }
});

document.addEventListener("keydown", function (event) {
  if (!conferenceRoot() || event.ctrlKey || event.metaKey || event.altKey) {
    return;
  }
  var help = document.getElementById("sneltoetsen");
  if (event.key === "Escape") {
    if (help && !help.hidden) {
      toggleHelp(false);
    } else if (document.activeElement && document.activeElement.blur) {
      document.activeElement.blur();
    }
    return;
  }
  var typing = event.target.closest("input, textarea, select, [contenteditable]");
  if (typing || (help && !help.hidden && event.key !== "?")) {
    return;
  }
  if (event.target.closest(".genogram-drawing") && event.key.indexOf("Arrow") === 0) {
    return; // the drawing walks its symbols with the arrows
  }
  var key = event.key;
  if (key === "ArrowRight" || key === "PageDown" || key === "n" || key === "N") {
    moveConference("volgende");
  } else if (key === "ArrowLeft" || key === "PageUp" || key === "p" || key === "P") {
    moveConference("vorige");
  } else if (/^[1-9]$/.test(key)) {
    moveConference(key);
  } else if (key === "i" || key === "I") {
    focusWhenThere("notitie-idea", "ideas");
  } else if (key === "a" || key === "A") {
    focusWhenThere("besluit-wat", "decisions");
  } else if (key === "f" || key === "F") {
    toggleFullscreen();
  } else if (key === "?") {
    toggleHelp(help && help.hidden);
  } else {
    return;
  }
  event.preventDefault();
});
