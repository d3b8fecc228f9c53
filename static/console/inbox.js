// The inbox list fetches itself again when the inbox changes (live.js raises "inbox-changed").
// While the agent is writing in it (a reply, a reason), that would throw their text away: the
// refetch waits, the list says it is behind, and it catches up once they send, or leave the
// field empty.
(function () {
  "use strict";

  function list() {
    return document.getElementById("inbox-list");
  }

  function busy(element) {
    return Array.prototype.some.call(element.querySelectorAll("textarea, input:not([type=hidden])"), function (field) {
      return field === document.activeElement || field.value !== field.defaultValue;
    });
  }

  function catchUp() {
    var element = list();
    if (element && element.hasAttribute("data-behind") && !busy(element)) {
      element.removeAttribute("data-behind");
      htmx.trigger(document.body, "inbox-changed");
    }
  }

  document.addEventListener("htmx:confirm", function (event) {
    var element = event.detail.elt;
    if (!element || element.id !== "inbox-list" || event.detail.verb !== "get" || !busy(element)) return;
    event.preventDefault();
    element.setAttribute("data-behind", "");
  });
  // A list asked for before the agent's own action on a row answered is older than that row:
  // it is not swapped in (the row would flip back for a moment); a fresh one is asked for.
  var actedAt = 0;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var element = event.detail.elt;
    if (element && element.id === "inbox-list") element.setAttribute("data-asked", String(Date.now()));
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var element = event.detail.elt;
    if (element && element.closest && element.closest(".inbox-row")) actedAt = Date.now();
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var element = event.detail.elt;
    if (!element || element.id !== "inbox-list") return;
    if (Number(element.getAttribute("data-asked") || 0) < actedAt) {
      event.detail.shouldSwap = false;
      htmx.trigger(document.body, "inbox-changed");
    }
  });
  document.addEventListener("focusout", function () { setTimeout(catchUp, 0); });
  document.addEventListener("htmx:afterSwap", function () { setTimeout(catchUp, 0); });
})();
