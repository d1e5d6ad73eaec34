// Netral exports: download with a progress bar. The server streams the file; this reads
// the stream, counts rows (CSV) or bytes (XLSX) and saves it when complete. Without
// JavaScript the links download as usual.
(function () {
  "use strict";
  function fmt(n) { return n.toLocaleString("id-ID"); }
  async function download(link) {
    var box = link.closest("td").querySelector(".export-progress");
    var bar = box.querySelector("progress");
    var status = box.querySelector("span");
    box.hidden = false;
    bar.removeAttribute("value");
    status.textContent = "…";
    var response = await fetch(link.href, { credentials: "same-origin" });
    if (!response.ok) { status.textContent = response.status + " " + response.statusText; return; }
    var rows = parseInt(response.headers.get("X-Netral-Rows") || link.dataset.rows || "0", 10);
    var length = parseInt(response.headers.get("Content-Length") || "0", 10);
    var reader = response.body.getReader();
    var chunks = [], received = 0, lines = 0;
    for (;;) {
      var step = await reader.read();
      if (step.done) { break; }
      chunks.push(step.value);
      received += step.value.length;
      for (var i = 0; i < step.value.length; i++) { if (step.value[i] === 10) { lines++; } }
      if (length) {
        bar.max = length; bar.value = received;
        status.textContent = Math.round(100 * received / length) + " %";
      } else if (rows) {
        bar.max = rows; bar.value = Math.min(rows, Math.max(0, lines - 1));
        status.textContent = fmt(Math.min(rows, Math.max(0, lines - 1))) + " / " + fmt(rows);
      }
    }
    var name = (response.headers.get("Content-Disposition") || "").split("filename=")[1] || "ekspor";
    var url = URL.createObjectURL(new Blob(chunks, { type: response.headers.get("Content-Type") }));
    var a = document.createElement("a");
    a.href = url; a.download = name.replace(/"/g, "");
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    bar.max = 1; bar.value = 1;
    status.textContent = "\u2713 " + fmt(rows);
  }
  document.addEventListener("click", function (e) {
    var link = e.target.closest("a[data-export]");
    if (!link || !window.fetch || !window.ReadableStream) { return; }
    e.preventDefault();
    download(link);
  });
})();
