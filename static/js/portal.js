// Confirm before anything irreversible: <form data-confirm="…">.
// The button that submitted may carry its own message (e.g. 提交 next to 暂存).
document.addEventListener("submit", function (event) {
  var source = event.submitter && event.submitter.hasAttribute("data-confirm")
    ? event.submitter : event.target;
  var message = source.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// A header checkbox that ticks every row: <input type="checkbox" data-check-all="ids">.
document.addEventListener("change", function (event) {
  var name = event.target.getAttribute && event.target.getAttribute("data-check-all");
  if (!name) return;
  var form = event.target.form || document;
  form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
    box.checked = event.target.checked;
  });
});

// Bars and progress bars: <div data-width="42">. The Content-Security-Policy refuses
// inline style="" attributes, so the width is set here, on the page and on every
// fragment htmx swaps in (htmx:load fires for both).
function setBarWidths(root) {
  var bars = root.querySelectorAll ? root.querySelectorAll("[data-width]") : [];
  if (root.hasAttribute && root.hasAttribute("data-width")) bars = [root].concat(Array.from(bars));
  Array.prototype.forEach.call(bars, function (bar) {
    var percent = parseFloat(bar.getAttribute("data-width"));
    if (!isNaN(percent)) bar.style.width = Math.max(0, Math.min(100, percent)) + "%";
  });
}
document.addEventListener("DOMContentLoaded", function () { setBarWidths(document); });
document.addEventListener("htmx:load", function (event) { setBarWidths(event.detail.elt); });
// htmx settles attributes (style among them) after the swap: set the widths again.
document.addEventListener("htmx:afterSettle", function (event) { setBarWidths(event.detail.elt); });

// After a refused form, bring its first bad field into view (on a phone the form may sit
// far below where the page reloads); otherwise an element that asks for focus gets it.
document.addEventListener("DOMContentLoaded", function () {
  var target = document.querySelector("form[data-focus-first-error] [aria-invalid=true]")
    || document.querySelector("[data-focus-on-load]");
  if (target) target.focus();
});
