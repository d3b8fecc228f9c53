// The manager dashboard (docs/dashboard.md): when the server says something it shows changed
// ({"type": "dashboard"} on the page's websocket), fetch every section again in one request,
// at most once every two seconds however many changes arrive. live.js keeps the socket.
(function () {
  "use strict";

  var MIN_GAP_MS = 2000;
  var QUIET_REFRESH_MS = 5 * 60 * 1000;
  var lastFetch = 0;
  var timer = null;
  var connectedBefore = false;

  function fetchSections() {
    timer = null;
    lastFetch = Date.now();
    var el = document.getElementById("dashboard-refresh");
    if (el && window.htmx) window.htmx.trigger(el, "dashboard-refresh");
  }

  // Throttled, keeping the last call: a change during the pause is fetched when it ends.
  function refresh() {
    if (timer) return;
    timer = setTimeout(fetchSections, Math.max(0, lastFetch + MIN_GAP_MS - Date.now()));
  }

  document.addEventListener("htmx:wsBeforeMessage", function (event) {
    var text = event.detail.message;
    if (typeof text !== "string" || text.charAt(0) !== "{") return;
    try {
      if (JSON.parse(text).type === "dashboard") refresh();
    } catch (e) { /* not ours */ }
  });

  // Changes made while the socket was down were not announced: look again once it is back.
  document.addEventListener("htmx:wsOpen", function () {
    if (connectedBefore) refresh();
    connectedBefore = true;
  });

  // Ages count in days and nothing announces a new day: look again now and then.
  setInterval(refresh, QUIET_REFRESH_MS);

  // A "Show the numbers" table the manager opened stays open when its section is replaced.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var old = event.detail.target;
    var fresh = event.detail.fragment;
    if (!old || !fresh || !old.querySelectorAll || !fresh.querySelector) return;
    old.querySelectorAll("details[open][id]").forEach(function (details) {
      var twin = fresh.querySelector("#" + details.id);
      if (twin) twin.open = true;
    });
  });
})();
