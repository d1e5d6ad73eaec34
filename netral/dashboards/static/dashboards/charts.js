// Netral dashboards: draw each chart from the JSON of the table it sits on (json_script).
// The table stays the source of truth; without JavaScript the tables remain.
(function () {
  "use strict";
  var COLORS = ["#1d4ed8", "#b45309", "#15803d", "#9d174d", "#0e7490", "#6d28d9", "#a16207", "#be123c"];
  function draw(root) {
    if (typeof Chart === "undefined") { return; }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source || canvas.dataset.drawn) { return; }
      var spec = JSON.parse(source.textContent);
      var type = spec.kind === "hbar" ? "bar" : spec.kind;
      var datasets = spec.datasets.map(function (d, i) {
        var color = type === "doughnut" ? COLORS : COLORS[i % COLORS.length];
        return { label: d.label, data: d.data, backgroundColor: color, borderColor: color };
      });
      new Chart(canvas, {
        type: type,
        data: { labels: spec.labels, datasets: datasets },
        options: {
          animation: false,
          maintainAspectRatio: false,
          indexAxis: spec.kind === "hbar" ? "y" : "x",
          plugins: { legend: { display: type === "doughnut" || datasets.length > 1 } }
        }
      });
      canvas.dataset.drawn = "1";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (e) { draw(e.target); });
})();
