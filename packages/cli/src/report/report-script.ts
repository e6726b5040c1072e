/**
 * The browser-side script of the report (plain ES2017, runs after echarts is inlined). It reads the
 * comparison from `<script id="ektm-data">`, draws every chart, and exposes `window.ektmReport` (`charts`:
 * the echarts instances by element id, `ready`: true once drawn) so a headless browser can check them.
 */
export const REPORT_SCRIPT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('ektm-data').textContent);
  var result = data.result;
  var charts = {};
  var models = [];
  result.results.forEach(function (r) { if (models.indexOf(r.model) < 0) models.push(r.model); });
  function mean(xs) { return xs.length ? xs.reduce(function (a, b) { return a + b; }, 0) / xs.length : null; }
  function sd(xs) {
    if (xs.length < 2) return 0;
    var m = mean(xs);
    return Math.sqrt(xs.reduce(function (a, b) { return a + (b - m) * (b - m); }, 0) / (xs.length - 1));
  }
  function finite(xs) { return xs.filter(function (x) { return typeof x === 'number' && isFinite(x); }); }
  function make(id, option) {
    var el = document.getElementById(id);
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(Object.assign({ animation: false }, option));
    charts[id] = chart;
    return chart;
  }

  // AUC per task and model, mean over seeds, with the seed spread (± sample sd) as error bars.
  var tasks = result.taskNames;
  var barSeries = [];
  var errorData = [];
  models.forEach(function (model, m) {
    var runs = result.results.filter(function (r) { return r.model === model; });
    var values = tasks.map(function (task, t) {
      var aucs = finite(runs.map(function (r) { return r.tasks[task] ? r.tasks[task].auc : null; }));
      var mu = mean(aucs);
      var s = sd(aucs);
      errorData.push([t, mu === null ? null : mu - s, mu === null ? null : mu + s, m]);
      return mu === null ? null : +mu.toFixed(5);
    });
    barSeries.push({ name: model, type: 'bar', data: values });
  });
  var allAuc = finite(errorData.map(function (e) { return e[1]; }));
  var lo = allAuc.length ? Math.max(0, Math.floor((Math.min.apply(null, allAuc) - 0.02) * 50) / 50) : 0.5;
  barSeries.push({
    name: 'seed spread', type: 'custom', data: errorData, z: 10, tooltip: { show: false },
    renderItem: function (params, api) {
      var t = api.value(0), m = api.value(3);
      if (api.value(1) === null || isNaN(api.value(1))) return null;
      var bandWidth = api.size([1, 0])[0];
      var barWidth = bandWidth * 0.8 / models.length;
      var x = api.coord([t, 0])[0] - bandWidth * 0.4 + barWidth * (m + 0.5);
      var yLow = api.coord([t, api.value(1)])[1], yHigh = api.coord([t, api.value(2)])[1];
      var style = { stroke: '#222', lineWidth: 1.5 };
      return { type: 'group', children: [
        { type: 'line', shape: { x1: x, y1: yLow, x2: x, y2: yHigh }, style: style },
        { type: 'line', shape: { x1: x - 4, y1: yLow, x2: x + 4, y2: yLow }, style: style },
        { type: 'line', shape: { x1: x - 4, y1: yHigh, x2: x + 4, y2: yHigh }, style: style }
      ] };
    }
  });
  make('chart-auc', {
    title: { text: 'Test AUC per task (mean over seeds, bars = ± sd)', left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'item' },
    legend: { top: 28, data: models },
    grid: { top: 70, left: 60, right: 20, bottom: 40 },
    xAxis: { type: 'category', data: tasks },
    yAxis: { type: 'value', min: lo, name: 'AUC' },
    series: barSeries
  });

  // Training curves: the validation monitor and the mean validation log loss per epoch, one line per run.
  function curveSeries(pick) {
    return result.results.map(function (r) {
      return { name: r.model + ' #' + r.seed, type: 'line', showSymbol: true, symbolSize: 4,
        data: r.curves.map(function (p) { return [p.epoch, pick(p)]; }) };
    });
  }
  var maxEpoch = Math.max.apply(null, [1].concat(result.results.map(function (r) { return r.curves.length; })));
  var curveBase = {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 28 },
    grid: { top: 70, left: 60, right: 20, bottom: 40 },
    xAxis: { type: 'value', name: 'epoch', min: 1, max: maxEpoch, minInterval: 1 }
  };
  make('chart-curve-auc', Object.assign({}, curveBase, {
    title: { text: 'Early-stopping monitor per epoch: ' + result.protocol.monitor, left: 'center', textStyle: { fontSize: 14 } },
    yAxis: { type: 'value', scale: true, name: 'AUC' },
    series: curveSeries(function (p) { return p.monitor; })
  }));
  make('chart-curve-loss', Object.assign({}, curveBase, {
    title: { text: 'Validation log loss per epoch (mean over tasks)', left: 'center', textStyle: { fontSize: 14 } },
    yAxis: { type: 'value', scale: true, name: 'logloss' },
    series: curveSeries(function (p) {
      return mean(finite(Object.keys(p.validation).map(function (k) { return p.validation[k].logloss; })));
    })
  }));

  // Diagnostics: the router's task similarity and the gates' mean expert weights, averaged over seeds.
  var container = document.getElementById('diagnostics');
  var shown = 0;
  models.forEach(function (model) {
    var runs = result.results.filter(function (r) { return r.model === model; });
    var first = runs[0];
    first.diagnostics.forEach(function (d) {
      if (d.shape.length < 1 || d.shape.length > 2) return;
      var rows = d.shape.length === 2 ? d.shape[0] : 1, cols = d.shape[d.shape.length - 1];
      var same = runs.map(function (r) {
        return r.diagnostics.filter(function (x) { return x.name === d.name && x.values.length === d.values.length; })[0];
      }).filter(Boolean);
      var cells = [];
      var vmin = Infinity, vmax = -Infinity;
      for (var i = 0; i < rows; i++) for (var j = 0; j < cols; j++) {
        var v = mean(same.map(function (x) { return x.values[i * cols + j]; }));
        vmin = Math.min(vmin, v); vmax = Math.max(vmax, v);
        cells.push([j, i, +v.toFixed(4)]);
      }
      var id = 'chart-diag-' + (shown++);
      var div = document.createElement('div');
      div.className = 'chart small';
      div.id = id;
      div.setAttribute('data-model', model);
      div.setAttribute('data-diagnostic', d.name);
      container.appendChild(div);
      var rowLabels = d.rowLabels || Array.from({ length: rows }, function (_, i) { return 'row ' + i; });
      var colLabels = d.columnLabels || Array.from({ length: cols }, function (_, j) { return 'expert ' + j; });
      make(id, {
        title: { text: model + ': ' + d.name + (same.length > 1 ? ' (mean of ' + same.length + ' seeds)' : ''), left: 'center', textStyle: { fontSize: 13 } },
        tooltip: { position: 'top' },
        grid: { top: 40, left: 110, right: 20, bottom: 90 },
        xAxis: { type: 'category', data: colLabels, axisLabel: { rotate: 30 } },
        yAxis: { type: 'category', data: rowLabels, inverse: true },
        visualMap: { precision: 2, min: vmin === vmax ? vmin - 1e-6 : vmin, max: vmin === vmax ? vmax + 1e-6 : vmax, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120 },
        series: [{ type: 'heatmap', data: cells, label: { show: rows * cols <= 64, formatter: function (p) { return p.value[2].toFixed(2); } } }]
      });
    });
  });
  if (shown === 0) container.textContent = 'No model in this comparison outputs a router similarity or gate weights.';
  window.addEventListener('resize', function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
  if (window.ektmDrawSignificance) window.ektmDrawSignificance(result, make);
  window.ektmReport = { charts: charts, ready: true };
})();
`;
