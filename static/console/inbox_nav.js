// The inbox counts in the navigation, on every page (docs/inbox.md, Live). A changed conversation
// pushes its teams' counts (unassigned, breaching soon); the page adds up its own teams and writes
// them as templates/conversations/inbox.html#nav-counts does. A change to the agent's own
// conversations (given to them, taken from them) fetches their counts again: one request, theirs.
(function () {
  "use strict";

  function box() { return document.getElementById("inbox-counts"); }

  function span(className, title, text) {
    var el = document.createElement("span");
    el.className = className;
    el.title = title;
    el.textContent = text;
    return el;
  }

  function write(holder, teams) {
    var mine = holder.querySelector(".nav-count");
    var unassigned = 0, breaching = 0;
    Object.keys(teams).forEach(function (team) {
      unassigned += teams[team].unassigned;
      breaching += teams[team].breaching;
    });
    holder.setAttribute("data-teams", JSON.stringify(teams));
    var cap = Number(holder.getAttribute("data-cap"));
    function atMost(count) { return count > cap ? cap + "+" : String(count); }
    var parts = [span("nav-count", "Yours awaiting a reply", mine ? mine.textContent : "0")];
    if (unassigned) parts.push(document.createTextNode(" "), span("nav-count muted", "Unassigned in your teams", atMost(unassigned) + " new"));
    if (breaching) parts.push(document.createTextNode(" "), span("nav-count tone-bad", "Breaching soon", atMost(breaching) + " due"));
    holder.replaceChildren.apply(holder, parts);
  }

  function refetch() { htmx.trigger(document.body, "inbox-counts"); }

  var heard = {};     // conversation id -> the newest version heard (each push comes once per group)
  var countedAt = {}; // team -> when the newest counts of it were counted (pushes may cross)

  document.addEventListener("live:inbox-row", function (event) {
    var counts = box(), detail = event.detail;
    if (!counts || !detail || heard[detail.id] >= detail.version) return;
    heard[detail.id] = detail.version;
    var me = Number(counts.getAttribute("data-user"));
    if ((detail.assignee && detail.assignee === me) || (detail.was && detail.was === me)) {
      refetch();
      return;
    }
    var holder = counts.querySelector(".nav-counts");
    if (!holder || !detail.counts) return;
    var teams = JSON.parse(holder.getAttribute("data-teams") || "{}"), changed = false;
    Object.keys(detail.counts.teams).forEach(function (team) {
      if (teams[team] && !(countedAt[team] > detail.counts.at)) {
        teams[team] = detail.counts.teams[team];
        countedAt[team] = detail.counts.at;
        changed = true;
      }
    });
    if (changed) write(holder, teams);
  });
  document.addEventListener("live:reconnected", refetch);
})();
