// Klantbeeld console behaviour that htmx does not cover. No inline scripts (CSP).
(function () {
  "use strict";

  // "/" focuses the search box from anywhere but a text field.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var box = document.querySelector("[data-shortcut='/']");
    // Already in the (empty) search box, e.g. on the search page: do not type the slash.
    if (target === box && box.value === "") { event.preventDefault(); return; }
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  // Escape closes the search dropdown and any open return menu.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var dropdown = document.querySelector(".search-dropdown");
    if (dropdown) dropdown.innerHTML = "";
    document.querySelectorAll("details.return-menu[open]").forEach(function (d) { d.open = false; });
  });

  // Clicking outside the search box empties the dropdown.
  document.addEventListener("click", function (event) {
    var dropdown = document.querySelector(".search-dropdown");
    if (dropdown && !event.target.closest(".topsearch")) dropdown.innerHTML = "";
  });
})();
