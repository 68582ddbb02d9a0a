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
