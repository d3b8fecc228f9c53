// Cases (docs/cases.md): close a notice or a "link to case" box, refresh an open queue page
// after its websocket was down (changes made meanwhile were not announced), and keep an open
// case page live. live.js keeps the socket; the queue's own changes arrive as HTML and are
// swapped by htmx.
(function () {
  "use strict";

  var connectedBefore = false;

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-close]") : null;
    if (!button) return;
    var box = button.closest("." + button.getAttribute("data-close"));
    if (box) box.remove();
  });

  // The case page listens to its customer's stream. live.js keeps the stream's place by seq for
  // every entry (so a reconnect replays what was missed); here the list keeps only the entries
  // of this case, and each one makes the page fetch the case afresh: header, contacts (a
  // contact linked from the picture is not a new entry) and, unless the agent is editing
  // them, the forms. A change without an entry (a message to the customer delivered) reaches
  // the customer's consoles as fresh panels, which this page has none of: its cue to look too.
  var refreshTimer = null;

  function caseList() {
    var list = document.getElementById("timeline-entries");
    return list && list.hasAttribute("data-case") ? list : null;
  }

  function edited(container) {
    if (!container) return false;
    return Array.prototype.some.call(container.querySelectorAll("input, textarea, select"), function (field) {
      if (field.type === "hidden") return false;
      if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
      if (field.tagName === "SELECT") {
        var options = Array.prototype.slice.call(field.options);
        if (!options.some(function (o) { return o.defaultSelected; })) return field.selectedIndex > 0;
        return options.some(function (o) { return o.selected !== o.defaultSelected; });
      }
      return field.value !== field.defaultValue;
    });
  }

  function caseRefresh() {
    // One fetch for a burst (an entry and its panels, a replay): the last state is what counts.
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(function () {
      var live = document.getElementById("case-live");
      if (!live || !window.htmx) return;
      var url = live.getAttribute("data-url") + (edited(document.getElementById("case-side")) ? "" : "?side=1");
      window.htmx.ajax("GET", url, { source: live, swap: "none" });
    }, 150);
  }

  // Runs after live.js's handler, which has counted the entry's seq (and set shouldSwap to
  // false for an entry already shown, or one that arrived before a missing one).
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var list = caseList();
    if (!list || event.detail.target !== list || !event.detail.shouldSwap) return;
    var fragment = event.detail.fragment;
    var entry = fragment && fragment.querySelector ? fragment.querySelector("li.entry") : null;
    if (!entry) return;
    if (entry.getAttribute("data-case") !== list.getAttribute("data-case")) {
      event.detail.shouldSwap = false;
      return;
    }
    caseRefresh();
  });

  document.addEventListener("htmx:wsAfterMessage", function (event) {
    if (caseList() && String(event.detail.message).indexOf('id="customer-header"') !== -1) caseRefresh();
  });

  document.addEventListener("htmx:wsOpen", function () {
    if (connectedBefore && document.getElementById("queue-list")) {
      document.body.dispatchEvent(new CustomEvent("queue-refresh"));
    }
    connectedBefore = true;
  });
})();
