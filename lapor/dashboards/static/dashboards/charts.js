/* Draw every chart of a dashboard page with the vendored Chart.js. Each canvas names the
   <script type="application/json"> holding its data; the same figures are in the table beside
   it, which is what screen readers and printers use (the canvas is aria-hidden). */
(function () {
  "use strict";
  var PALETTE = ["#1d4ed8", "#15803d", "#b45309", "#b91c1c", "#6d28d9", "#0f766e",
                 "#be185d", "#4b5563", "#0369a1", "#a16207", "#7c2d12", "#334155"];

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) { return; }
    var config = JSON.parse(source.textContent);
    var round = config.type === "doughnut";
    var datasets = config.datasets.map(function (set, i) {
      var colour = PALETTE[i % PALETTE.length];
      return {
        label: set.label,
        data: set.data,
        borderColor: round ? "#fff" : colour,
        backgroundColor: round || config.type === "bar"
          ? config.labels.map(function (_, j) { return PALETTE[j % PALETTE.length]; })
          : colour,
        borderWidth: round ? 1 : 2,
        tension: 0.2,
        spanGaps: true
      };
    });
    if (config.type === "bar") { datasets.forEach(function (d) { d.backgroundColor = PALETTE[0]; }); }
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    new window.Chart(canvas, {
      type: config.type,
      data: { labels: config.labels, datasets: datasets },
      options: {
        animation: still ? false : { duration: 400 },
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { position: "bottom", display: round || datasets.length > 1 } },
        scales: round ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }

  function drawAll() {
    if (!window.Chart) { return; }
    var canvases = document.querySelectorAll("canvas[data-chart]");
    for (var i = 0; i < canvases.length; i++) { draw(canvases[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
