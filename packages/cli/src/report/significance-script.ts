/**
 * The browser-side drawing of the report's evidence (plain ES2017, runs before the main report script): defines
 * `window.ektmDrawSignificance(result, make)`, which the main script calls with its chart factory. It draws the forest
 * plot of each reference (a point per model and task at its Δ AUC, a bar for its 95% CI, a line at 0), the share of the
 * gap closed with its CI, and the data-efficiency curves (test AUC with its CI against training positives).
 */
export const SIGNIFICANCE_SCRIPT = String.raw`
window.ektmDrawSignificance = function (result, make) {
  var stats = result.statistics;
  if (!stats) return;
  var alpha = stats.alpha;

  // A horizontal interval per category: [x, lo, hi, categoryIndex], drawn as a line with end ticks.
  function intervalSeries(data, color) {
    return {
      type: 'custom', name: '95% CI', data: data, z: 5, tooltip: { show: false }, encode: { x: [0, 1, 2], y: 3 },
      renderItem: function (params, api) {
        if (api.value(1) === null || isNaN(api.value(1))) return null;
        var y = api.coord([0, api.value(3)])[1];
        var lo = api.coord([api.value(1), api.value(3)])[0], hi = api.coord([api.value(2), api.value(3)])[0];
        var style = { stroke: color || '#333', lineWidth: 1.5 };
        return { type: 'group', children: [
          { type: 'line', shape: { x1: lo, y1: y, x2: hi, y2: y }, style: style },
          { type: 'line', shape: { x1: lo, y1: y - 4, x2: lo, y2: y + 4 }, style: style },
          { type: 'line', shape: { x1: hi, y1: y - 4, x2: hi, y2: y + 4 }, style: style }
        ] };
      }
    };
  }

  // Forest plots: one chart a reference, a row per (task, model).
  var forests = document.querySelectorAll('.chart.forest');
  Array.prototype.forEach.call(forests, function (el) {
    var reference = el.getAttribute('data-reference');
    var rows = (result.comparisons || []).filter(function (c) { return c.reference === reference && c.deltaAuc !== null; });
    var labels = rows.map(function (c) { return c.task + ' · ' + c.model; });
    el.style.height = Math.max(240, 60 + 26 * rows.length) + 'px';
    var points = rows.map(function (c, i) {
      var significant = c.pHolm !== null && c.pHolm < alpha;
      return { value: [c.deltaAuc, i], itemStyle: { color: significant ? (c.deltaAuc > 0 ? '#2a7a2a' : '#b22') : '#777' },
        c: c };
    });
    make(el.id, {
      title: { text: 'Δ test AUC vs ' + reference + ' (95% CI; green/red = Holm p < ' + alpha + ')', left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'item', formatter: function (p) {
        var c = p.data.c;
        return c.task + ' · ' + c.model + '<br>Δ ' + c.deltaAuc.toFixed(4) + ' [' + c.ci95[0].toFixed(4) + ', ' + c.ci95[1].toFixed(4) + ']<br>p ' + c.p.toPrecision(2) + ', Holm ' + c.pHolm.toPrecision(2);
      } },
      grid: { top: 40, left: 220, right: 30, bottom: 40 },
      xAxis: { type: 'value', name: 'Δ AUC', scale: true },
      yAxis: { type: 'category', data: labels, inverse: true },
      series: [
        { type: 'scatter', name: 'Δ AUC', data: points, symbolSize: 9, z: 10,
          markLine: { silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: '#999', type: 'dashed' }, data: [{ xAxis: 0 }] } },
        intervalSeries(rows.map(function (c, i) { return [c.deltaAuc, c.ci95[0], c.ci95[1], i]; }))
      ]
    });
  });

  // The share of the gap closed, a row per (target, model).
  if (stats.gapClosed && stats.gapClosed.length && document.getElementById('chart-gap')) {
    var gap = stats.gapClosed.filter(function (g) { return g.share !== null; });
    var el = document.getElementById('chart-gap');
    el.style.height = Math.max(240, 60 + 26 * gap.length) + 'px';
    make('chart-gap', {
      title: { text: 'Share of the gap closed (0 = ' + gap[0].reference + ', 1 = true probabilities), 95% CI', left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'item' },
      grid: { top: 40, left: 220, right: 30, bottom: 40 },
      xAxis: { type: 'value', name: 'share', scale: true },
      yAxis: { type: 'category', data: gap.map(function (g) { return g.task + ' · ' + g.model; }), inverse: true },
      series: [
        { type: 'scatter', name: 'share', data: gap.map(function (g, i) { return [g.share, i]; }), symbolSize: 9, z: 10,
          markLine: { silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: '#999', type: 'dashed' }, data: [{ xAxis: 0 }, { xAxis: 1 }] } },
        intervalSeries(gap.map(function (g, i) { return [g.share, g.ci95[0], g.ci95[1], i]; }))
      ]
    });
  }

  // Data efficiency: per target (and the mean of targets), test AUC with its CI against training positives.
  var curve = result.trainRowsCurve || [];
  if (curve.length === 0) return;
  var rowCharts = document.querySelectorAll('[id^="chart-rows-"]');
  var sparsest = result.targetTasks.slice().sort(function (a, b) {
    var last = curve[curve.length - 1].trainPositives;
    return (last[a] || 0) - (last[b] || 0);
  })[0];
  Array.prototype.forEach.call(rowCharts, function (el) {
    var task = el.getAttribute('data-task');
    var xTask = result.targetTasks.indexOf(task) >= 0 ? task : sparsest;
    var models = result.protocol.models;
    var series = [];
    var palette = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc'];
    models.forEach(function (model, m) {
      var color = palette[m % palette.length];
      var pts = curve.map(function (point) {
        var p = point.points.filter(function (x) { return x.model === model && x.task === task; })[0];
        return p && p.auc !== null ? [point.trainPositives[xTask], p.auc, p.ci95[0], p.ci95[1]] : null;
      }).filter(Boolean);
      series.push({ type: 'line', name: model, data: pts.map(function (p) { return [p[0], p[1]]; }), showSymbol: true, symbolSize: 6,
        itemStyle: { color: color }, lineStyle: { color: color } });
      series.push({
        type: 'custom', name: model + ' CI', data: pts, z: 5, tooltip: { show: false }, encode: { x: 0, y: [1, 2, 3] },
        renderItem: function (params, api) {
          var x = api.coord([api.value(0), api.value(1)])[0];
          var lo = api.coord([api.value(0), api.value(2)])[1], hi = api.coord([api.value(0), api.value(3)])[1];
          var style = { stroke: color, lineWidth: 1.2 };
          return { type: 'group', children: [
            { type: 'line', shape: { x1: x, y1: lo, x2: x, y2: hi }, style: style },
            { type: 'line', shape: { x1: x - 3, y1: lo, x2: x + 3, y2: lo }, style: style },
            { type: 'line', shape: { x1: x - 3, y1: hi, x2: x + 3, y2: hi }, style: style }
          ] };
        }
      });
    });
    make(el.id, {
      title: { text: task + ': test AUC vs training positives' + (xTask !== task ? ' of ' + xTask : ''), left: 'center', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'item' },
      legend: { top: 24, type: 'scroll', data: models },
      grid: { top: 60, left: 60, right: 20, bottom: 50 },
      xAxis: { type: 'log', name: 'training positives', nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'value', scale: true, name: 'AUC' },
      series: series
    });
  });
};
`;
