// An open inbox keeps itself up to date from pushes (docs/inbox.md, Live). A changed conversation
// arrives as its row, rendered once on the server for everyone (live.js hands it on as the DOM
// event "live:inbox-row"); this script decides whether the row belongs in this list (its view
// and filters), puts it in its place in the list's order, changes it, or takes it out, and keeps
// the total and the clocks right. The list fetches itself again only every 60 seconds, after a
// reconnect, or when a push leaves it empty while more are open.
// While the agent is writing in a row (a reply, a reason), nothing takes their text away: that
// row's change waits, the list says it is behind, and it catches up once they send, or leave the
// field empty.
(function () {
  "use strict";

  function list() { return document.getElementById("inbox-list"); }

  function busy(element) {
    return Array.prototype.some.call(element.querySelectorAll("textarea, input:not([type=hidden])"), function (field) {
      return field === document.activeElement || field.value !== field.defaultValue;
    });
  }

  function refetch() { htmx.trigger(document.body, "inbox-changed"); }

  // --- The clocks: "In 12 min", "Overdue 3 h 5 min", "12 min" waited (as rows.py writes them).
  function span(ms) {
    var minutes = Math.max(0, Math.floor(ms / 60000));
    if (minutes < 1) return "<1 min";
    if (minutes < 60) return minutes + " min";
    var hours = Math.floor(minutes / 60);
    minutes = minutes % 60;
    if (hours < 24) return minutes ? hours + " h " + minutes + " min" : hours + " h";
    var days = Math.floor(hours / 24);
    hours = hours % 24;
    return hours ? days + " d " + hours + " h" : days + " d";
  }

  function tick(root) {
    var now = Date.now();
    Array.prototype.forEach.call(root.querySelectorAll("time[data-clock]"), function (time) {
      var at = Date.parse(time.getAttribute("datetime"));
      if (isNaN(at)) return;
      if (time.getAttribute("data-clock") === "waited") {
        time.textContent = span(now - at);
        return;
      }
      time.textContent = at < now ? "Overdue " + span(now - at) : "In " + span(at - now);
      var row = time.closest("tr");
      if (row) row.classList.toggle("overdue", at < now);
    });
  }

  // --- Pushed rows.
  var seen = {};      // conversation id -> the newest version pushed (for rows not on the page)
  var waiting = {};   // conversation id -> its push, held back while the agent works in the row
  var recent = [];    // the pushes of the last seconds, to apply again over a list fetched before them
  var refetchLater = null;

  // Fetch the list again, at most twice a second however many pushes ask for it.
  function refetchSoon() {
    if (!refetchLater) refetchLater = setTimeout(function () { refetchLater = null; refetch(); }, 500);
  }

  // Working in a row: writing in it, the focus in it, or its reply or done panel open.
  function working(row) {
    return busy(row) || row.contains(document.activeElement) || !!row.querySelector("details[open]");
  }

  function belongs(element, d, me) {
    if (!d.open) return false;
    var view = element.getAttribute("data-view");
    if (view === "mine") {
      if (d.assignee !== me) return false;
    } else if (view === "team") {
      if (d.team !== element.getAttribute("data-team")) return false;
    } else {
      if ((element.getAttribute("data-teams") || "").split(" ").indexOf(d.team) < 0) return false;
      if (view === "unassigned" && d.assignee) return false;
      if (view === "breaching" && !d.breaching) return false;
    }
    var channel = element.getAttribute("data-channel"), language = element.getAttribute("data-language");
    var flag = element.getAttribute("data-flag");
    if (channel && d.channel !== channel) return false;
    if (language && d.language !== language) return false;
    if (flag && d.flags.indexOf(flag) < 0) return false;
    return true;
  }

  function rowFrom(html, me) {
    var body = document.createElement("tbody");
    body.innerHTML = html;
    var row = body.firstElementChild;
    // Colleagues looking at the customer: not the agent themself.
    Array.prototype.forEach.call(row.querySelectorAll(".inbox-looker[data-user='" + me + "']"), function (el) { el.remove(); });
    var lookers = row.querySelector(".inbox-lookers");
    if (lookers && !lookers.querySelector(".inbox-looker")) lookers.remove();
    return row;
  }

  // A total beyond the cap it was counted to ("99+") stays so: one more or less is unknown.
  function atMost(count, cap) { return count > cap ? cap + "+" : String(count); }

  function rowsOf(element) { return element.querySelectorAll("tbody tr.inbox-row"); }

  function show(element, total) {
    var cap = Number(element.getAttribute("data-cap"));
    var shown = rowsOf(element).length;
    if (Number(element.getAttribute("data-total")) > cap) total = Math.max(total, cap + 1);
    total = Math.max(total, shown);
    element.setAttribute("data-total", String(total));
    element.querySelector("[data-open]").textContent = atMost(total, cap) + " open";
    var more = element.querySelector(".queue-more");
    more.textContent = "Showing the " + shown + " soonest due of " + atMost(total, cap) + ".";
    more.hidden = total <= shown;
    element.querySelector(".queue-table").hidden = shown === 0;
    element.querySelector(".empty").hidden = shown > 0;
    if (shown === 0 && total > 0) refetchSoon();  // the next ones are not on the page
  }

  function announce(row) {
    var news = document.getElementById("inbox-news"), who = row.querySelector(".queue-customer a");
    if (news && who) news.textContent = "New in this list: " + who.textContent;
  }

  // The row of a changed conversation: into its place in the list, changed, or out. The server
  // says what the conversation is now; whether it was counted in this list before, the page knows
  // only while every row of the list is on it. A list longer than its page and short enough to be
  // counted exactly ("99+" is not) asks the server again rather than guess its total.
  function place(element, d) {
    var me = Number(element.getAttribute("data-user"));
    var cap = Number(element.getAttribute("data-cap"));
    var limit = Number(element.getAttribute("data-limit") || "50");
    var body = element.querySelector("tbody");
    var old = document.getElementById("conversation-" + d.id);
    if (old && !element.contains(old)) old = null;
    if (old && Number(old.getAttribute("data-version") || 0) >= d.version) return;  // has this, or newer
    if (old && working(old)) {
      waiting[d.id] = d;
      element.setAttribute("data-behind", "");
      return;
    }
    delete waiting[d.id];
    var total = Number(element.getAttribute("data-total") || "0");
    var complete = total <= rowsOf(element).length;  // every conversation of the list is on the page
    var exact = total <= cap;
    if (!belongs(element, d, me)) {
      if (old) {
        old.remove();
        total -= 1;
      } else if (!complete && exact) {
        refetchSoon();  // it may have been one of those not on the page
      }
      show(element, total);
      return;
    }
    var row = rowFrom(d.assignee === me && d.html_mine ? d.html_mine : d.html, me);
    if (old) {
      // The agent's own action's answer ("Yours now.") stays with the row.
      var said = old.querySelector(".inbox-action-row > p");
      if (said) row.querySelector(".inbox-action-row").prepend(said);
      old.remove();
    } else if (complete) {
      total += 1;
    } else if (exact) {
      refetchSoon();  // new to the list, or one not on the page that changed
    }
    var rows = rowsOf(element), before = null;
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("data-sort") > d.sort) { before = rows[i]; break; }
    }
    // After the last row shown only if nothing else of the list sorts there.
    if (before || complete || (old && rows.length + 1 >= total)) {
      body.insertBefore(row, before);
      htmx.process(row);
      tick(row);
      if (!old) announce(row);
      var last = body.lastElementChild;
      if (rowsOf(element).length > limit && last !== row && !working(last)) last.remove();
    }
    show(element, total);
  }

  function apply(d) {
    var element = list();
    if (!element || !d || !d.id) return;
    if (!document.getElementById("conversation-" + d.id) && seen[d.id] >= d.version) return;  // a copy, or older
    seen[d.id] = Math.max(seen[d.id] || 0, d.version);
    place(element, d);
  }

  document.addEventListener("live:inbox-row", function (event) {
    var now = Date.now();
    recent.push({ at: now, d: event.detail });
    while (recent.length && recent[0].at < now - 10000) recent.shift();
    apply(event.detail);
  });

  function catchUp() {
    var element = list();
    if (!element) return;
    Object.keys(waiting).forEach(function (id) {
      var row = document.getElementById("conversation-" + id);
      if (!row) delete waiting[id];
      else if (!working(row)) place(element, waiting[id]);
    });
    if (element.hasAttribute("data-behind") && !Object.keys(waiting).length && !busy(element)) {
      element.removeAttribute("data-behind");
      if (element.hasAttribute("data-refetch")) {
        element.removeAttribute("data-refetch");
        refetch();
      }
    }
  }

  // The list's own refresh (every 60 s, after a reconnect) waits while the agent is writing.
  document.addEventListener("htmx:confirm", function (event) {
    var element = event.detail.elt;
    if (!element || element.id !== "inbox-list" || event.detail.verb !== "get" || !busy(element)) return;
    event.preventDefault();
    element.setAttribute("data-behind", "");
    element.setAttribute("data-refetch", "");
  });
  // A list asked for before the agent's own action on a row answered is older than that row:
  // it is not swapped in (the row would flip back for a moment); a fresh one is asked for.
  var actedAt = 0;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var element = event.detail.elt;
    if (element && element.id === "inbox-list") element.setAttribute("data-asking", String(Date.now()));
  });
  // The list that comes back carries when it was asked for (its data-asked), for the replay above.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var element = event.detail.elt;
    if (!element || element.id !== "inbox-list") return;
    var asked = element.getAttribute("data-asking");
    event.detail.serverResponse = event.detail.serverResponse.replace('id="inbox-list"', 'id="inbox-list" data-asked="' + asked + '"');
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var element = event.detail.elt;
    if (element && element.closest && element.closest(".inbox-row")) actedAt = Date.now();
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var element = event.detail.elt;
    if (!element || element.id !== "inbox-list") return;
    if (Number(element.getAttribute("data-asking") || 0) < actedAt) {
      event.detail.shouldSwap = false;
      refetch();
    }
  });
  document.addEventListener("live:reconnected", refetch);
  // The page's first connection, later than a second after it loaded: what changed meanwhile.
  var opened = false;
  document.addEventListener("htmx:wsOpen", function () {
    if (!opened && performance.now() > 1500 && list()) refetch();
    opened = true;
  });
  document.addEventListener("focusout", function () { setTimeout(catchUp, 0); });
  document.addEventListener("htmx:afterSwap", function () {
    var element = list();
    if (!element) return;
    var asked = Number(element.getAttribute("data-asked") || 0);
    if (asked && element.getAttribute("data-replayed") !== String(asked)) {
      // A new list: it was made before the pushes that came while it was on its way; they apply.
      element.setAttribute("data-replayed", String(asked));
      waiting = {};
      recent.forEach(function (push) { if (push.at >= asked) place(element, push.d); });
    }
    tick(element);
    setTimeout(catchUp, 0);
  });
  document.addEventListener("DOMContentLoaded", function () {
    var element = list();
    if (element) tick(element);
  });
  setInterval(function () { var element = list(); if (element) tick(element); }, 30000);
})();
