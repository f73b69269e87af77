/* Charts of the national dashboard. The figures come from the page itself (a JSON
   block), so every chart has the same numbers as the table and text beside it. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("vndata-dashboard-data");
    if (!source || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var bars = document.getElementById("vndata-chart-provinces");
    if (bars) {
      // Each chart as tall as its box (plan.css): Chart.js's default aspect ratio
      // leaves a phone a chart too flat to read.
      new Chart(bars, {
        type: "bar",
        data: {
          labels: data.provinces.labels,
          datasets: [
            { label: data.text.planned, data: data.provinces.planned, backgroundColor: "#9ecae1" },
            { label: data.text.published, data: data.provinces.published, backgroundColor: "#3182bd" }
          ]
        },
        options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
      });
    }
    var lines = document.getElementById("vndata-chart-timeline");
    if (lines) {
      new Chart(lines, {
        type: "line",
        data: {
          labels: data.timeline.labels,
          datasets: [
            { label: data.text.scheduled, data: data.timeline.scheduled, borderColor: "#9ecae1", fill: false },
            { label: data.text.delivered, data: data.timeline.delivered, borderColor: "#3182bd", fill: false }
          ]
        },
        options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
      });
    }
    var quality = document.getElementById("vndata-chart-quality");
    if (quality && data.quality) {
      var colours = ["#3182bd", "#e6550d"];
      new Chart(quality, {
        type: "line",
        data: {
          labels: data.quality.labels,
          datasets: data.quality.series.map(function (series, index) {
            return { label: series.label, data: series.points, borderColor: colours[index % colours.length], fill: false, spanGaps: true };
          })
        },
        options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, max: data.quality.maximum, ticks: { precision: 0 } } } }
      });
    }
    document.body.setAttribute("data-vndata-charts", "drawn");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
