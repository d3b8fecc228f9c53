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
    4403: "Your role does not let you view customers here.",
    4404: "This customer's picture is no longer available to you."
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

  // A part of the page fetches itself again when told it changed (an inbox list, the counts in
  // the navigation: hx-trigger="inbox-changed from:body"). At most once per TRIGGER_MS however
  // many changes come, and always once after the last one: a busy team's list neither refetches
  // for every message nor waits for a quiet moment that never comes.
  var TRIGGER_MS = 500;
  var raisedAt = {};
  var raiseLater = {};

  function raise(name) {
    if (raiseLater[name]) return;  // already due: it will show this change too
    var wait = TRIGGER_MS - (Date.now() - (raisedAt[name] || 0));
    raiseLater[name] = setTimeout(function () {
      raiseLater[name] = null;
      raisedAt[name] = Date.now();
      htmx.trigger(document.body, name);
    }, Math.max(0, wait));
  }

  function control(message) {
    if (message.type === "seq" && message.latest > lastSeq) resume();
    else if (message.type === "screen_pop") screenPop(message);
    else if (message.type === "reload") location.reload();
    else if (message.type === "access_ended") accessEnded(message.message);
    // A part of the page to fetch again (an inbox count): its hx-trigger listens on <body>.
    else if (message.type === "trigger" && /^[a-z-]+$/.test(message.name)) raise(message.name);
    // Data for a part of the page that keeps itself up to date (an inbox row): its script listens.
    else if (message.type === "event" && /^[a-z-]+$/.test(message.name)) {
      document.dispatchEvent(new CustomEvent("live:" + message.name, { detail: message.detail }));
    }
  }

  document.addEventListener("htmx:wsOpen", function (event) {
    socket = event.detail.socketWrapper;
    setState("live", "Live");
    resume(connectedBefore);
    // Back from a lost connection: parts kept up to date by pushes fetch themselves again.
    if (connectedBefore) document.dispatchEvent(new CustomEvent("live:reconnected"));
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

  // A push never takes away what an agent is typing. Whatever a push (or a page's refresh after
  // one) swaps in, a field in it that has the focus or text not yet saved keeps the agent's value,
  // and the focus and caret stay where they were; the rest of the element is new. A form on its
  // way to the server (htmx-request) is left to its own answer.
  var refocus = null;

  function changed(field) {
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") {
      return Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return field.value !== field.defaultValue;
  }

  function keepTypedText(event) {
    var target = event.detail.target;
    var fragment = event.detail.fragment;
    refocus = null;
    if (!target || !target.querySelectorAll || !fragment || !fragment.querySelector) return;
    var fields = Array.prototype.slice.call(target.querySelectorAll("input, textarea, select"));
    if (target.matches("input, textarea, select")) fields.push(target);
    fields.forEach(function (field) {
      var focused = field === document.activeElement;
      if (!field.id || field.type === "hidden" || field.closest(".htmx-request")) return;
      if (!focused && !changed(field)) return;
      var fresh = fragment.querySelector("#" + CSS.escape(field.id));
      if (!fresh || fresh.tagName !== field.tagName) return;
      if (field.tagName === "SELECT") {
        Array.prototype.forEach.call(fresh.options, function (o) {
          o.selected = Array.prototype.some.call(field.options, function (old) { return old.selected && old.value === o.value; });
        });
      } else if (field.type === "checkbox" || field.type === "radio") {
        fresh.checked = field.checked;
      } else {
        fresh.value = field.value;
      }
      if (focused) {
        var caret = null;
        try { caret = [field.selectionStart, field.selectionEnd, field.selectionDirection]; } catch (e) { caret = null; }
        refocus = { id: field.id, caret: caret };
      }
    });
  }

  // An error shown in answer to the agent's own action (data-keep-on-push: "a Dutch postal code is
  // 4 digits") stays when a push re-renders its part of the page before they act again: it is
  // carried into the fresh part, under the same parent, unless that already has it.
  function keepErrors(event) {
    var target = event.detail.target;
    var fragment = event.detail.fragment;
    if (!target || !target.querySelectorAll || !fragment || !fragment.querySelector) return;
    target.querySelectorAll("[data-keep-on-push][id]").forEach(function (shown) {
      if (fragment.querySelector("#" + CSS.escape(shown.id))) return;
      var parent = shown.parentElement && shown.parentElement.closest("[id]");
      var fresh = parent && fragment.querySelector("#" + CSS.escape(parent.id));
      if (fresh) fresh.appendChild(shown.cloneNode(true));
    });
  }

  function restoreFocus() {
    if (!refocus) return;
    var field = document.getElementById(refocus.id);
    var caret = refocus.caret;
    refocus = null;
    if (!field || field === document.activeElement) return;
    field.focus({ preventScroll: true });
    if (caret && caret[0] !== null) {
      try { field.setSelectionRange(caret[0], caret[1], caret[2]); } catch (e) { /* no caret */ }
    }
  }
  document.addEventListener("htmx:oobBeforeSwap", keepTypedText);
  document.addEventListener("htmx:oobBeforeSwap", keepErrors);
  document.addEventListener("htmx:oobAfterSwap", restoreFocus);

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
