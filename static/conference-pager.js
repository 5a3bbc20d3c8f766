// The conference on the projector (body.projector): every step fits the screen without
// scrolling. A step's long list (signal cards, similar cases, open actions, decisions)
// shows its current item unfolded and the others folded to their heading and a line of
// summary, as many as fit around the current one; ↓ or J and ↑ or K page through the
// items, and "Signaal 3 van 9" says where the table is. The current item of each step
// is kept on this screen (and in sessionStorage), so the live poll, which swaps the
// whole step, comes back on the same item.

var PAGER_LISTS = [
  {
    list: ".signal-list[aria-label='Open signalen']",
    item: ".signal",
    keep: ".signal-head, .signal-explanation",
    noun: "Signaal",
  },
  {
    list: ".similar-list",
    item: ".similar-case",
    keep: ".best-solution > .signal-head, .best-solution > .solution-summary, " +
      ".similar-case > .signal-head, .similar-case > .signal-head ~ .similar-reasons",
    noun: "Casus",
  },
  { list: ".text-hints", item: ".text-hint", keep: "", noun: "Suggestie" },
  { list: "[data-pager]", item: "li:not(.empty)", keep: "", noun: null },
];
var PAGER_STORE = "maatwerktafel.overleg.items";
var pagerCurrent = {};
try {
  pagerCurrent = JSON.parse(window.sessionStorage.getItem(PAGER_STORE) || "{}");
} catch (error) {
  pagerCurrent = {};
}

function pagerLive() {
  return document.body.classList.contains("projector") && document.getElementById("overleg-live");
}

// Every paged list of the step on screen: {list, items, noun, key}.
function pagersOf(live) {
  var found = [];
  PAGER_LISTS.forEach(function (kind) {
    live.querySelectorAll(kind.list).forEach(function (list) {
      if (found.some(function (p) { return p.list === list; })) {
        return;
      }
      var items = Array.prototype.slice.call(list.children).filter(function (li) {
        return li.matches(kind.item);
      });
      var noun = kind.noun || list.getAttribute("data-pager");
      found.push({
        list: list,
        items: items,
        kind: kind,
        noun: noun,
        key: live.getAttribute("data-step") + ":" + noun + ":" + found.length,
      });
    });
  });
  return found.filter(function (p) { return p.items.length > 1; });
}

function pagerIndex(pager) {
  var kept = pagerCurrent[pager.key];
  // A list that grows at its end (the notes typed at the table) shows its newest item,
  // unless the table paged through it since it last grew.
  var atEnd = pager.list.hasAttribute("data-pager-end");
  if (!kept || (atEnd && kept.count !== pager.items.length)) {
    return atEnd ? pager.items.length - 1 : 0;
  }
  // The item itself if it is still there (a handled signal leaves the list), else the
  // one that took its place.
  for (var i = 0; i < pager.items.length; i++) {
    if (kept.id && pager.items[i].id === kept.id) {
      return i;
    }
  }
  return Math.min(kept.index || 0, pager.items.length - 1);
}

function pagerRemember(pager, index) {
  pagerCurrent[pager.key] = { index: index, id: pager.items[index].id, count: pager.items.length };
  try {
    window.sessionStorage.setItem(PAGER_STORE, JSON.stringify(pagerCurrent));
  } catch (error) {
    // a private window without storage keeps it for this page only
  }
}

// Hide what a folded item does not show: everything but its "keep" parts.
function markFoldAway(element, keeps) {
  Array.prototype.forEach.call(element.children, function (child) {
    if (keeps.indexOf(child) >= 0 || child.classList.contains("pager-toggle")) {
      child.classList.add("pager-keep");
    } else if (keeps.some(function (k) { return child.contains(k); })) {
      markFoldAway(child, keeps);
    } else {
      child.classList.add("fold-away");
    }
  });
}

function pagerTitle(item) {
  var heading = item.querySelector("h3, strong, .text-hint-question");
  return (heading ? heading.textContent : item.textContent).replace(/\s+/g, " ").trim();
}

function preparePager(pager, number) {
  var list = pager.list;
  if (!list.id) {
    list.id = "lijst-" + pager.key.replace(/[^a-z0-9]+/gi, "-") + "-" + number;
  }
  list.classList.add("is-paged");
  list.classList.toggle("folds", !!pager.kind.keep);
  var status = list.previousElementSibling;
  if (!status || !status.classList.contains("pager-status")) {
    status = document.createElement("p");
    status.className = "pager-status";
    status.setAttribute("aria-live", "polite");
    list.parentNode.insertBefore(status, list);
  }
  pager.status = status;
  pager.items.forEach(function (item, i) {
    if (!item.id) {
      item.id = list.id + "-" + (i + 1);
    }
    if (!pager.kind.keep || item.querySelector(".pager-toggle")) {
      return; // a list of one-liners is only windowed
    }
    var keeps = Array.prototype.slice.call(item.querySelectorAll(pager.kind.keep));
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "pager-toggle";
    toggle.setAttribute("aria-controls", item.id);
    toggle.setAttribute("data-pager-item", String(i));
    toggle.setAttribute("aria-label", pager.noun + " " + (i + 1) + " van " + pager.items.length +
      ": " + pagerTitle(item));
    var head = keeps[0] || item;
    head.insertBefore(toggle, head.firstChild);
    if (keeps.length) {
      markFoldAway(item, keeps);
      keeps.slice(1).forEach(function (k) { k.classList.add("pager-line"); });
    }
  });
}

function showPager(pager, index) {
  pager.current = index;
  pager.items.forEach(function (item, i) {
    var here = i === index;
    item.classList.toggle("is-current", here);
    item.classList.toggle("is-folded", !here && !!pager.kind.keep);
    item.classList.remove("is-off-page");
    var toggle = item.querySelector(".pager-toggle");
    if (!toggle) {
      return;
    }
    toggle.setAttribute("aria-expanded", here ? "true" : "false");
    toggle.textContent = here ? "▾" : "▸";
  });
}

function overflowing() {
  return document.documentElement.scrollHeight > window.innerHeight;
}

// Fold and window the step's lists until the page fits the screen: the items farthest
// from the current one go first, those above it before those below at equal distance.
function fitStep() {
  var live = pagerLive();
  if (!live) {
    return;
  }
  var pagers = pagersOf(live);
  pagers.forEach(function (pager, number) {
    preparePager(pager, number);
    showPager(pager, pagerIndex(pager));
    sayWhere(pager);
  });
  live.pagers = pagers;
  var candidates = [];
  pagers.slice().reverse().forEach(function (pager) {
    pager.items.forEach(function (item, i) {
      if (i !== pager.current) {
        var distance = Math.abs(i - pager.current) * 2 + (i < pager.current ? 1 : 0);
        candidates.push({ item: item, distance: distance });
      }
    });
  });
  candidates.sort(function (a, b) { return b.distance - a.distance; });
  for (var c = 0; c < candidates.length && overflowing(); c++) {
    candidates[c].item.classList.add("is-off-page");
    pagers.forEach(sayWhere); // a list of one-liners shows its status line from now on
  }
  // The step as swapped in is laid out for the screen (tests wait for this mark).
  live.setAttribute("data-fitted", live.getAttribute("data-step") || "");
}

// "Signaal 3 van 9 · 4 hieronder": where the table is, and what the screen leaves out.
function sayWhere(pager) {
  var above = 0;
  var below = 0;
  pager.items.forEach(function (item, i) {
    if (item.classList.contains("is-off-page")) {
      if (i < pager.current) above++;
      else below++;
    }
  });
  // A list of one-liners that fits says nothing.
  pager.status.hidden = !pager.kind.keep && !above && !below;
  var text = pager.noun + " " + (pager.current + 1) + " van " + pager.items.length;
  if (above) text += " · " + above + " hierboven";
  if (below) text += " · " + below + " hieronder";
  pager.status.textContent = text + " · ↓ volgende, ↑ vorige";
}

function movePager(pager, index, focus) {
  if (index < 0 || index >= pager.items.length) {
    return;
  }
  pagerRemember(pager, index);
  fitStep();
  if (focus) {
    var item = document.getElementById(pager.items[index].id);
    var toggle = item && item.querySelector(".pager-toggle");
    if (toggle) {
      toggle.focus({ preventScroll: true });
    }
  }
}

// The keys drive the list the focus is in, else the step's first one.
function activePager() {
  var live = pagerLive();
  var pagers = (live && live.pagers) || [];
  var active = document.activeElement;
  for (var i = 0; i < pagers.length; i++) {
    if (active && pagers[i].list.contains(active)) {
      return pagers[i];
    }
  }
  return pagers[0] || null;
}

document.addEventListener("keydown", function (event) {
  if (!pagerLive() || event.ctrlKey || event.metaKey || event.altKey) {
    return;
  }
  var help = document.getElementById("sneltoetsen");
  if ((help && !help.hidden) || event.target.closest("input, textarea, select, [contenteditable]")) {
    return;
  }
  var key = event.key;
  var step = { ArrowDown: 1, j: 1, J: 1, ArrowUp: -1, k: -1, K: -1 }[key];
  var pager = step && activePager();
  if (!pager) {
    return;
  }
  event.preventDefault();
  movePager(pager, pager.current + step, true);
});

document.addEventListener("click", function (event) {
  var toggle = event.target.closest(".pager-toggle");
  var item = toggle || event.target.closest(".is-paged > .is-folded");
  if (!item || (!toggle && event.target.closest("a, button, summary, input, label"))) {
    return;
  }
  var live = pagerLive();
  (live && live.pagers ? live.pagers : []).forEach(function (pager) {
    pager.items.forEach(function (candidate, i) {
      if (candidate.contains(item)) {
        movePager(pager, i, true);
      }
    });
  });
});

function fitSoon() {
  window.requestAnimationFrame(fitStep);
}
document.addEventListener("DOMContentLoaded", fitSoon);
document.addEventListener("htmx:load", fitSoon);
window.addEventListener("resize", fitSoon);
document.addEventListener("fullscreenchange", fitSoon);
// A form opened on the current card (accept, dismiss) takes room the folded ones give.
document.addEventListener("toggle", fitSoon, true);
