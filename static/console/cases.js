// Cases (docs/cases.md): close a notice or a "link to case" box, and refresh an open queue
// page after its websocket was down (changes made meanwhile were not announced). live.js
// keeps the socket; the queue's own changes arrive as HTML and are swapped by htmx.
(function () {
  "use strict";

  var connectedBefore = false;

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-close]") : null;
    if (!button) return;
    var box = button.closest("." + button.getAttribute("data-close"));
    if (box) box.remove();
  });

  document.addEventListener("htmx:wsOpen", function () {
    if (connectedBefore && document.getElementById("queue-list")) {
      document.body.dispatchEvent(new CustomEvent("queue-refresh"));
    }
    connectedBefore = true;
  });
})();
