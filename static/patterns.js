// Charts of the cohort dashboard (/patronen), drawn with Chart.js from the data in each
// canvas's data-chart attribute. No inline code: the CSP forbids it. The table beside
// each chart holds the same figures, for reading aloud, for print and for the CSV.
(function () {
  "use strict";

  var PALETTE = ["#1f5f8b", "#c2571a", "#2e7d32", "#6a3d9a", "#8c6d1f", "#b0245a"];

  function draw(canvas) {
    if (canvas.dataset.drawn || typeof window.Chart === "undefined") {
      return;
    }
    var spec;
    try {
      spec = JSON.parse(canvas.dataset.chart);
    } catch (error) {
      return;
    }
    canvas.dataset.drawn = "1";
    var horizontal = !!spec.horizontal;
    var valueAxis = {
      beginAtZero: true,
      stacked: !!spec.stacked,
      ticks: { font: { size: 16 }, precision: 0 },
    };
    if (spec.percent) {
      valueAxis.max = 100;
      valueAxis.ticks.callback = function (value) { return value + "%"; };
    }
    var labelAxis = {
      stacked: !!spec.stacked,
      ticks: {
        font: { size: 16 },
        autoSkip: false,
        // Long labels are cut on the axis; the table beside the chart has them whole.
        callback: function (value) {
          var label = String(this.getLabelForValue(value));
          return label.length > 32 ? label.slice(0, 31) + "\u2026" : label;
        },
      },
    };
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (set, i) {
          return {
            label: set.label,
            data: set.data,
            backgroundColor: PALETTE[i % PALETTE.length],
          };
        }),
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: false, // print and projector: the final picture at once
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { labels: { font: { size: 16 } } },
          tooltip: { titleFont: { size: 16 }, bodyFont: { size: 16 } },
        },
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      },
    });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  // After a filter change htmx swaps in new canvases.
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
  // Canvases keep their screen size when printed unless they are told to resize.
  window.addEventListener("beforeprint", function () {
    if (window.Chart) {
      Object.values(window.Chart.instances).forEach(function (chart) { chart.resize(); });
    }
  });
})();
