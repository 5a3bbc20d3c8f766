// The login form tries again by itself when the server is busy. htmx sends the form
// (templates/accounts/login.html); a 503 with Retry-After (too many passwords being
// checked at once, or a restore running) swaps nothing, so the fields keep what was
// typed and the password never leaves the browser's field; the form is sent again after
// Retry-After and a random part of it (logins told to wait together come back apart), a
// few times at most, then the page says to try later. Every other answer is the page the
// plain form shows: htmx puts its <main> in place (messages, focus on [autofocus]), and
// the way on (next page, second factor) is a whole page load by HX-Redirect.
"use strict";
(function () {
  var MAX_RETRIES = 3;
  var SPREAD = 0.4; // up to 40% of Retry-After on top of it
  var LONGEST_WAIT = 60; // seconds: a longer Retry-After is shown as the plain form shows it

  var BUSY = "Er loggen nu veel mensen tegelijk in.";
  var MAINTENANCE = "Er wordt onderhoud gedaan.";
  var GAVE_UP = "Inloggen lukt nu niet. Probeer het over een paar minuten opnieuw.";

  var retries = 0;
  var timer = null;
  var retrying = false;

  function retryForm(detail) {
    var elt = detail.requestConfig ? detail.requestConfig.elt : null;
    return elt && elt.hasAttribute && elt.hasAttribute("data-retry-line") ? elt : null;
  }

  // Whole seconds only (the server sends those); null when there is no usable wait.
  function retryAfter(xhr) {
    var value = xhr.getResponseHeader("Retry-After") || "";
    if (!/^\d+$/.test(value.trim())) {
      return null;
    }
    var seconds = parseInt(value, 10);
    return seconds <= LONGEST_WAIT ? seconds : null;
  }

  function secondsWords(seconds) {
    return seconds === 1 ? "1 seconde" : seconds + " seconden";
  }

  function show(form, line, status) {
    var lineElement = document.getElementById(form.getAttribute("data-retry-line"));
    var statusElement = document.getElementById(form.getAttribute("data-retry-status"));
    if (lineElement) {
      lineElement.textContent = line;
      lineElement.hidden = false;
    }
    if (statusElement && status !== undefined) {
      statusElement.textContent = status;
    }
  }

  function stopWaiting() {
    if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
  }

  // Counts down on the visible line each second; the status region says the sentence
  // once, so a screen reader is not read a number every second.
  function waitThenRetry(form, reason, milliseconds) {
    var until = Date.now() + milliseconds;
    function sentence() {
      var left = Math.max(1, Math.ceil((until - Date.now()) / 1000));
      return reason + " We proberen het over " + secondsWords(left) + " opnieuw.";
    }
    // The server's message of an earlier try (a wrong password) no longer applies.
    var card = form.closest(".card") || form.parentNode;
    card.querySelectorAll(".form-errors").forEach(function (element) {
      element.hidden = true;
    });
    show(form, sentence(), sentence());
    stopWaiting();
    timer = window.setInterval(function () {
      if (Date.now() < until) {
        show(form, sentence());
        return;
      }
      stopWaiting();
      show(form, reason + " We proberen het nu opnieuw.");
      retrying = true;
      form.requestSubmit();
    }, 250);
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = retryForm(event.detail);
    if (!form) {
      return;
    }
    stopWaiting();
    if (!retrying) {
      retries = 0; // sent by the user: a fresh series of tries
    }
    retrying = false;
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = retryForm(event.detail);
    if (!form) {
      return;
    }
    var xhr = event.detail.xhr;
    var wait = xhr.status === 503 ? retryAfter(xhr) : null;
    if (wait === null) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      return;
    }
    event.detail.shouldSwap = false;
    event.detail.isError = false;
    var busy = xhr.responseText.indexOf('id="' + form.id + '"') !== -1;
    if (retries >= MAX_RETRIES) {
      show(form, GAVE_UP, GAVE_UP);
      return;
    }
    retries += 1;
    var milliseconds = wait * 1000 * (1 + Math.random() * SPREAD);
    waitThenRetry(form, busy ? BUSY : MAINTENANCE, milliseconds);
  });

  // No answer at all (the network): the form goes as the plain form does, and the
  // browser shows what it shows then.
  document.addEventListener("htmx:sendError", function (event) {
    var form = retryForm(event.detail);
    if (form) {
      form.submit();
    }
  });
})();
