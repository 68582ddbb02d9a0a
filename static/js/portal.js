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
