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
});

// Elements with data-autofocus get the focus when htmx brings them in.
document.addEventListener("htmx:afterSettle", function (event) {
  var target = event.detail.elt.querySelector("[data-autofocus]");
  if (target) {
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

// A print version (it is logged as "print" when it loads) opens the print dialog itself.
document.addEventListener("DOMContentLoaded", function () {
  if (document.querySelector("[data-print-on-load]")) {
    window.print();
  }
});
