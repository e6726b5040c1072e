/**
 * The browser-side script of the report's tuning section (plain ES2017, after echarts and the report's script). It reads
 * `result.tuning` from `<script id="ektm-data">`, draws the trial scores over the compute spent (`chart-tuning-scores`)
 * and one scatter plot per model and searched parameter (`chart-tuning-<model>-<key>`), and adds them to
 * `window.ektmReport.charts`.
 */
export const TUNING_SCRIPT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('ektm-data').textContent);
  var tuning = data.result.tuning;
  var report = window.ektmReport || { charts: {}, ready: true };
  window.ektmReport = report;
  function make(el, option) {
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(Object.assign({ animation: false }, option));
    report.charts[el.id] = chart;
    return chart;
  }
  var models = Object.keys(tuning.models);

  // Trial scores over the compute spent: every run in the order it finished, x = the search's seconds so far.
  var series = [];
  models.forEach(function (model) {
    var runs = tuning.models[model].runs.slice().sort(function (a, b) { return a.finishedAt < b.finishedAt ? -1 : a.finishedAt > b.finishedAt ? 1 : 0; });
    var spent = 0, best = null, points = [], bestLine = [];
    runs.forEach(function (r) {
      spent += r.seconds;
      var x = +(spent / 60).toFixed(3);
      if (r.score !== null) {
        points.push({ value: [x, r.score], symbolSize: 6 + 4 * r.rung, trial: r.trial, rung: r.rung });
        if (best === null || r.score > best) best = r.score;
      }
      if (best !== null) bestLine.push([x, best]);
    });
    series.push({ name: model, type: 'scatter', data: points });
    series.push({ name: model + ' best so far', type: 'line', step: 'end', showSymbol: false, data: bestLine, lineStyle: { width: 1, type: 'dashed' } });
  });
  make(document.getElementById('chart-tuning-scores'), {
    title: { text: 'Trial scores over the compute spent (' + tuning.monitor + '; larger dots: later rungs)', left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'item', formatter: function (p) { var d = p.data; return d && d.trial !== undefined ? p.seriesName + ' trial ' + d.trial + ' rung ' + d.rung + ': ' + d.value[1].toFixed(4) : p.seriesName; } },
    legend: { type: 'scroll', top: 28 },
    grid: { top: 70, left: 60, right: 20, bottom: 45 },
    xAxis: { type: 'value', name: 'compute minutes', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', scale: true, name: 'validation score' },
    series: series
  });

  // Each searched parameter against the score of the first rung, where every trial had the same budget.
  var container = document.getElementById('tuning-parameters');
  models.forEach(function (model) {
    var m = tuning.models[model];
    var first = m.runs.filter(function (r) { return r.rung === 0 && r.score !== null; });
    var heading = document.createElement('h3');
    heading.textContent = model + ': each parameter against the score of rung 0 (the winner in red)';
    heading.style.fontSize = '14px';
    container.appendChild(heading);
    Object.keys(m.space).forEach(function (key, k) {
      var dist = m.space[key];
      var points = first.filter(function (r) { return Object.prototype.hasOwnProperty.call(r.config, key); });
      if (points.length === 0) return;
      var div = document.createElement('div');
      div.className = 'chart mini';
      div.id = 'chart-tuning-' + model + '-' + k;
      div.setAttribute('data-model', model);
      div.setAttribute('data-parameter', key);
      container.appendChild(div);
      var categories = dist.choice ? dist.choice.map(function (c) { return JSON.stringify(c); }) : null;
      var xAxis = categories ? { type: 'category', data: categories, axisLabel: { fontSize: 10, rotate: categories.join('').length > 30 ? 30 : 0 } }
        : { type: dist.log ? 'log' : 'value', scale: true, axisLabel: { fontSize: 10 } };
      var values = points.map(function (r) {
        var x = categories ? JSON.stringify(r.config[key]) : r.config[key];
        var winner = r.trial === m.best.trial;
        return { value: [x, r.score], trial: r.trial, itemStyle: winner ? { color: '#d62728' } : undefined, symbolSize: winner ? 10 : 6 };
      });
      make(div, {
        title: { text: key, left: 'center', textStyle: { fontSize: 12 } },
        tooltip: { trigger: 'item', formatter: function (p) { return 'trial ' + p.data.trial + ': ' + p.data.value[1].toFixed(4); } },
        grid: { top: 30, left: 50, right: 12, bottom: 40 },
        xAxis: xAxis,
        yAxis: { type: 'value', scale: true, axisLabel: { fontSize: 10 } },
        series: [{ type: 'scatter', data: values }]
      });
    });
  });
  window.addEventListener('resize', function () { Object.keys(report.charts).forEach(function (k) { report.charts[k].resize(); }); });
})();
`;
