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
