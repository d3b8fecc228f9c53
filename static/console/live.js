// The live console (docs/live.md). htmx's ws extension keeps the socket open and swaps the
// HTML fragments; this file adds what a stale-free screen needs on top: it remembers the last
// timeline seq shown, asks for what it missed on every (re)connect and whenever the server's
// seq runs ahead, drops entries it already shows, and handles screen pops and typing notices.
(function () {
  "use strict";

  var lastSeq = 0;
  var socket = null;
  var typingTimer = null;
  var typing = false;
  var connectedBefore = false;

  function entries() { return document.getElementById("timeline-entries"); }

  function shownSeq() {
    var list = entries();
    return list ? parseInt(list.getAttribute("data-last-seq") || "0", 10) : 0;
  }

  function send(message) {
    if (socket) socket.send(JSON.stringify(message));
  }

  function setState(state, text) {
    document.body.setAttribute("data-live", state);
    var el = document.getElementById("live-state");
    if (!el) return;
    el.setAttribute("data-state", state);
    el.textContent = text;
  }

  function resume(withPanels) {
    lastSeq = Math.max(lastSeq, shownSeq());
    // Back from a lost connection, the panels come along too: a flag may have changed meanwhile.
    if (entries()) send({ type: "resume", after: lastSeq, panels: withPanels === true });
  }

  function formHasText() {
    var fields = document.querySelectorAll("#record-form input[type=text], #record-form textarea");
    return Array.prototype.some.call(fields, function (f) { return f.value.trim() !== ""; });
  }

  function screenPop(message) {
    // Never throw away what the agent is typing: then the pop is a banner to click.
    if (!formHasText() && location.pathname !== message.url) {
      location.assign(message.url);
      return;
    }
    var bar = document.getElementById("screen-pop");
    if (!bar) return;
    bar.hidden = false;
    bar.querySelector("a").href = message.url;
    bar.querySelector("a").textContent = message.name + " (" + message.customer_number + ")";
    bar.querySelector("span").textContent = message.reason;
  }

  // The server closed this page's socket for good: the session ended or the rights changed
  // (docs/live.md). htmx does not reconnect for these codes; the page says why, and how to go on.
  var ENDED = {
    4401: "You were signed out. Sign in again to go on.",
    4403: "Your role does not let you view customers here."
  };
  var ended = false;

  function accessEnded(text) {
    if (ended) return;
    ended = true;
    socket = null;
    setState("ended", "Not live: " + text);
    var bar = document.getElementById("access-ended");
    if (!bar) return;
    bar.querySelector("span").textContent = text;
    bar.querySelector("a").href = bar.querySelector("a").getAttribute("data-login") +
      "?next=" + encodeURIComponent(location.pathname + location.search);
    bar.hidden = false;
  }

  function control(message) {
    if (message.type === "seq" && message.latest > lastSeq) resume();
    else if (message.type === "screen_pop") screenPop(message);
    else if (message.type === "reload") location.reload();
    else if (message.type === "access_ended") accessEnded(message.message);
  }

  document.addEventListener("htmx:wsOpen", function (event) {
    socket = event.detail.socketWrapper;
    setState("live", "Live");
    resume(connectedBefore);
    connectedBefore = true;
  });

  document.addEventListener("htmx:wsClose", function (event) {
    var code = event.detail && event.detail.event ? event.detail.event.code : 0;
    if (ENDED[code]) accessEnded(ENDED[code]);
    else if (!ended) setState("reconnecting", "Reconnecting… (changes are caught up when back)");
  });

  document.addEventListener("htmx:wsBeforeMessage", function (event) {
    var text = event.detail.message;
    if (text.charAt(0) === "{") {
      event.preventDefault();
      control(JSON.parse(text));
      return;
    }
  });

  // A form's or a filter's answer brings the whole timeline as the server rendered it. A live
  // entry that reached the page while that answer was on its way is not in it, and the swap takes
  // it off the page again. So a new list is taken at its word (data-last-seq, never newer than
  // what it holds) and everything after that is asked for again: the lost entry comes back, on
  // top, and entries already shown are dropped as ever.
  var shownList = entries();

  function listReplaced() {
    var list = entries();
    if (!list || list === shownList) return;
    shownList = list;
    lastSeq = shownSeq();
    resume();
  }
  document.addEventListener("htmx:afterSwap", listReplaced);
  document.addEventListener("htmx:oobAfterSwap", listReplaced);

  // Every entry swap passes here: one row per seq, whatever arrives twice.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    // Only live entries (inserted at the top of the list); a whole timeline swapped in by a
    // form or a filter brings its own state.
    var target = event.detail.target;
    if (!target || target.id !== "timeline-entries") return;
    var fragment = event.detail.fragment;
    var entry = fragment && fragment.querySelector ? fragment.querySelector("li.entry") : null;
    if (!entry) return;
    var seq = parseInt(entry.getAttribute("data-seq"), 10);
    if (seq > lastSeq + 1) {
      // A push went missing before this one: leave this entry out and fetch the gap, which
      // brings it along in order. Panels in the same message still apply.
      event.detail.shouldSwap = false;
      resume();
      return;
    }
    lastSeq = Math.max(lastSeq, seq);
    var list = entries();
    var filter = list ? list.getAttribute("data-channel") : "";
    if (document.getElementById(entry.id) || (filter && entry.getAttribute("data-channel") !== filter)) {
      event.detail.shouldSwap = false;
    }
  });

  // The messages list was pushed again (a message went out, failed, was sent again): the
  // timeline entry of each listed message shows the same status.
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "message-list") return;
    document.querySelectorAll("#message-list [data-message-id]").forEach(function (item) {
      var pill = item.querySelector(".message-line .pill");
      if (!pill) return;
      var selector = '[data-message-status="' + item.getAttribute("data-message-id") + '"]';
      document.querySelectorAll(selector).forEach(function (shown) {
        shown.className = pill.className;
        shown.textContent = pill.textContent;
      });
    });
  });

  // Tell the others viewing this customer that a reply is being typed.
  document.addEventListener("input", function (event) {
    if (!event.target.closest || !event.target.closest("#record-form")) return;
    if (!typing) { typing = true; send({ type: "typing", typing: true }); }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typing = false; send({ type: "typing", typing: false }); }, 3000);
  });

  // "Active on chat" notices expire by themselves.
  setInterval(function () {
    var now = Date.now() / 1000;
    document.querySelectorAll(".active-elsewhere[data-until]").forEach(function (el) {
      if (parseInt(el.getAttribute("data-until"), 10) < now) el.remove();
    });
  }, 15000);
})();
