// "Gezin opbouwen": Enter in an empty name field goes on to the next step's first
// field instead of sending an empty row (templates/cases/_build.html names it).
"use strict";
document.addEventListener("keydown", function (event) {
  var input = event.target;
  if (event.key !== "Enter" || !input.matches || !input.matches("[data-build-name]")) {
    return;
  }
  if (input.value.trim() !== "") {
    return;
  }
  event.preventDefault();
  // An answer still settling must not pull the focus back to this row (htmx focuses
  // [autofocus] and app.js [data-autofocus] once the swap settles): the user has moved on.
  document.querySelectorAll("[autofocus], [data-autofocus]").forEach(function (element) {
    element.removeAttribute("autofocus");
    element.removeAttribute("data-autofocus");
  });
  var next = document.getElementById(input.getAttribute("data-build-next") || "");
  if (next) {
    next.focus();
  }
});
