// The cockpit's charts (templates/dashboard/cockpit.html). The page works without them: every number is in
// the tables beside the charts, which screen readers read (the charts are aria-hidden). Data comes from a
// json_script block, never inline script, so the strict CSP holds. A click on a bar or a point opens the
// records behind it, as a click on the same number in the table does.
(function () {
  "use strict";
  if (!window.echarts) return;
  var source = document.getElementById("cockpit-charts");
  if (!source) return;
  var data = JSON.parse(source.textContent);
  var palette = ["#1f6f8b", "#e07a1f", "#3c9d5d", "#8a5cc2"];
  var charts = [];

  // The labels under the bars upright on a narrow chart (a phone): slanted, they run into each other there.
  function options(kind, chart, width) {
    var horizontal = kind === "categories";
    var categoryAxis = {type: "category", data: chart.labels,
                        axisLabel: {interval: 0, rotate: horizontal ? 0 : width < 480 ? 90 : 30}};
    var valueAxis = {type: "value", minInterval: 1};
    return {
      color: palette,
      animation: false,
      // Drawn on the canvas: the HTML tooltip writes style attributes, which the CSP refuses (style-src-attr).
      tooltip: {trigger: "axis", renderMode: "richText"},
      legend: {top: 0, type: "scroll"}, // one line: wrapped, it would run into the plot
      grid: {left: horizontal ? 90 : 40, right: 16, top: 32, bottom: horizontal ? 24 : 64},
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? Object.assign({inverse: true}, categoryAxis, {axisLabel: {interval: 0}}) : valueAxis,
      series: chart.series.map(function (s) {
        return {name: s.name, type: kind === "trend" && s !== chart.series[0] ? "line" : "bar", data: s.data,
                cursor: "pointer"};
      })
    };
  }

  var elements = document.querySelectorAll("[data-chart]");
  for (var i = 0; i < elements.length; i++) {
    (function (el) {
      var chart = data[el.dataset.chart];
      if (!chart || !chart.labels.length) return;
      // Shown first: ECharts sizes its canvas from the element once, and a hidden one is 0 px wide.
      el.classList.add("is-drawn");
      var instance = window.echarts.init(el);
      instance.on("finished", function () { el.dataset.rendered = "true"; });
      instance.setOption(options(el.dataset.chart, chart, el.clientWidth));
      instance.on("click", function (params) {
        var link = chart.links[params.dataIndex];
        if (link) window.location.assign(link);
      });
      charts.push(function () {
        instance.setOption(options(el.dataset.chart, chart, el.clientWidth));
        instance.resize();
      });
    })(elements[i]);
  }

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { charts.forEach(function (redraw) { redraw(); }); }, 150);
  });

  // Dates typed mean "chosen dates": the period follows them.
  var period = document.getElementById("id_period");
  ["cockpit-from", "cockpit-to"].forEach(function (id) {
    var input = document.getElementById(id);
    if (input && period) input.addEventListener("change", function () { period.value = "custom"; });
  });
})();
