// Pick a reported person from the registry search results (public form).
document.addEventListener("click", function (event) {
  var button = event.target.closest(".pick-official");
  if (!button) return;
  var row = button.dataset.row;
  var prefix = "id_terlapor-" + row + "-";
  document.getElementById(prefix + "official_id").value = button.dataset.id;
  document.getElementById(prefix + "name").value = button.dataset.name;
  document.getElementById(prefix + "position").value = button.dataset.position;
  document.getElementById(prefix + "agency_name").value = button.dataset.agency;
  document.getElementById("results-" + row).innerHTML = "";
});
// Typing a new name after a pick clears the registry link.
document.addEventListener("input", function (event) {
  var m = /^id_terlapor-(\d+)-name$/.exec(event.target.id || "");
  if (m) document.getElementById("id_terlapor-" + m[1] + "-official_id").value = "";
});
// A report without attachments goes out url-encoded rather than as multipart/form-data: the
// server parses the 60-odd fields of the form in a tenth of the CPU (issue 18 point 2,
// docs/benchmarks.md "public_form"). With a file chosen, or without JavaScript, the form
// keeps its multipart encoding; the server accepts both alike.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.id !== "report-form") return;
  var files = form.querySelectorAll("input[type=file]");
  for (var i = 0; i < files.length; i++) {
    if (files[i].files && files[i].files.length) {
      form.enctype = "multipart/form-data";
      return;
    }
  }
  form.enctype = "application/x-www-form-urlencoded";
});
