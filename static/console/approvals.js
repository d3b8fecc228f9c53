// The credit approvals page (docs/live.md, "Manager notices"). The notices at the top of every
// manager's page are replaced by a push whenever a request arrives or is decided; here that is
// also the moment to fetch the lists again. Reasons being typed survive it (hx-preserve).
(function () {
  "use strict";

  var pending = false;

  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "approval-notices" || pending) return;
    // One swap reports each element it settled; fetch once.
    pending = true;
    setTimeout(function () {
      pending = false;
      htmx.trigger(document.body, "approvals:changed");
    }, 0);
  });
})();
