// A checkbox with data-select-all="NAME" ticks or clears every checkbox named NAME on the
// page (the participant checklist's "select all on this page"; no inline handler, for the CSP).
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.dataset.selectAll) return;
  document.querySelectorAll('input[name="' + box.dataset.selectAll + '"]').forEach(function (b) {
    b.checked = box.checked;
  });
});
