/* The trend of a group's metadata quality: its points day by day. The figures come
   from the page itself (a JSON block), the same as the text beside the chart. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("vndata-quality-trend-data");
    var canvas = document.getElementById("vndata-quality-trend");
    if (!source || !canvas || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [{ label: data.label, data: data.points, borderColor: "#3182bd", fill: false }]
      },
      options: {
        responsive: true,
        // The box's height is the stylesheet's: at a phone's width the default
        // aspect ratio leaves a chart too flat to read.
        maintainAspectRatio: false,
        animation: false,
        // Up to the maximum (405), no tick beyond what a score can reach.
        scales: { y: { beginAtZero: true, max: data.maximum, ticks: { precision: 0 } } }
      }
    });
    document.body.setAttribute("data-vndata-quality-chart", "drawn");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
