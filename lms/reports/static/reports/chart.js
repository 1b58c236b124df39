// Rate over time against the target line, drawn with uPlot; the data come from the
// page (json_script "chart-data"). Without JavaScript the table below the chart says it all.
(function () {
  "use strict";
  var holder = document.getElementById("chart");
  var source = document.getElementById("chart-data");
  if (!holder || !source || typeof uPlot === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  if (data.days.length < 2) { return; }
  var target = data.days.map(function () { return data.target; });
  holder.removeAttribute("hidden");
  function size() {
    return { width: Math.max(holder.clientWidth, 280), height: 220 };
  }
  var plot = new uPlot(Object.assign(size(), {
    series: [
      {},
      { label: holder.dataset.rateLabel, stroke: "#1f4e79", width: 2,
        value: function (u, v) { return v == null ? "—" : v.toFixed(1) + " %"; } },
      { label: holder.dataset.targetLabel, stroke: "#b3261e", dash: [6, 4], width: 1.5,
        points: { show: false },
        value: function (u, v) { return v == null ? "—" : v + " %"; } }
    ],
    scales: { y: { range: [0, 100] } },
    axes: [{}, { values: function (u, ticks) { return ticks.map(function (t) { return t + "%"; }); } }]
  }), [data.days, data.rates, target], holder);
  window.addEventListener("resize", function () { plot.setSize(size()); });
})();
