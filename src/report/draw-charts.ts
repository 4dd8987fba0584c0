// @ts-nocheck — browser code: it runs inside the report page, where `document` and the inlined uPlot exist; the project
// compiles without the DOM library, so this one file is not type-checked (the screenshot test draws it instead).
/**
 * The report's plots, drawn in the browser with uPlot from the ReportData embedded in the page. render-html.ts inlines
 * this function's source (`drawCharts.toString()`), so it must stay self-contained: no imports, no outer names.
 */
export function drawCharts(data, uPlot) {
  const W = 880;
  const H = 300;
  const COLORS = [
    '#1f77b4',
    '#ff7f0e',
    '#2ca02c',
    '#d62728',
    '#9467bd',
    '#8c564b',
    '#e377c2',
    '#7f7f7f',
    '#bcbd22',
    '#17becf',
  ];
  const mb = (bytes) => bytes / 1e6;
  const el = (id) => document.getElementById(id);
  // Tick labels with as many decimals as the step between ticks needs (0.8012, 0.8014, … not 0.801, 0.801, …).
  const ticks = (_, splits) => {
    const step = splits.length > 1 ? Math.abs(splits[1] - splits[0]) : 1;
    const decimals = step > 0 ? Math.min(8, Math.max(0, -Math.floor(Math.log10(step) + 1e-9))) : 0;
    return splits.map((v) => (v == null ? '' : v.toFixed(decimals)));
  };
  const axis = (label, extra) =>
    Object.assign({ label, stroke: '#333', grid: { stroke: '#e6e6e6' }, values: ticks, size: 60 }, extra || {});
  const dots = (label, color, size) => ({
    label,
    stroke: color,
    fill: color + '99',
    paths: uPlot.paths.points(),
    points: { show: false, size: size || 6, width: 1 },
  });
  const INTS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
  // An axis of whole numbers (trials, epochs), padded by half a step so the first and last points are not cut.
  const whole = (values) => ({
    time: false,
    range: () => [Math.min(...values, 0) - 0.5, Math.max(...values, 1) + 0.5],
  });
  // A plot with nothing to draw says so, and one plot's failure leaves the others drawn.
  const plot = (id, opts, d, empty) => {
    const target = el(id);
    if (!target) return;
    if (empty) {
      target.textContent = 'Nothing to plot yet: no trial has finished.';
      return;
    }
    try {
      new uPlot(Object.assign({ width: W, height: H, legend: { live: false } }, opts), d, target);
    } catch (e) {
      target.textContent = 'This plot could not be drawn: ' + e;
    }
  };

  // Reward and best-so-far over trial number.
  const t = data.trials;
  const numbers = t.map((p) => p.number);
  plot(
    'plot-reward',
    {
      scales: { x: whole(numbers) },
      axes: [axis('trial', { incrs: INTS }), axis('reward')],
      series: [
        {},
        { label: 'reward', stroke: COLORS[0], paths: () => null, points: { show: true, size: 6, fill: COLORS[0] } },
        {
          label: 'best so far',
          stroke: COLORS[3],
          width: 2,
          paths: uPlot.paths.stepped({ align: 1 }),
          points: { show: false },
        },
      ],
    },
    [t.map((p) => p.number), t.map((p) => (p.overBudget ? null : p.reward)), data.bestSoFar],
    t.length === 0,
  );

  // AUC × memory: every trained trial, the Pareto front, and the budget line.
  const trained = t.filter((p) => p.auc !== null && p.memoryBytes !== null && !p.overBudget);
  const byNumber = new Map(trained.map((p) => [p.number, p]));
  const front = data.pareto.map((n) => byNumber.get(n)).filter(Boolean);
  const budget = mb(data.reward.budgetBytes);
  const xs = trained.map((p) => mb(p.memoryBytes)).concat([budget]);
  const span = Math.max(...xs) - Math.min(...xs) || Math.max(...xs) || 1;
  const xRange = [Math.max(0, Math.min(...xs) - 0.05 * span), Math.max(...xs) + 0.05 * span];
  plot(
    'plot-pareto',
    {
      mode: 2,
      scales: { x: { time: false, range: xRange }, y: { auto: true } },
      axes: [axis('memory (MB)'), axis('valid AUC')],
      series: [
        {},
        Object.assign(dots('trials', COLORS[0]), {
          facets: [
            { scale: 'x', auto: true },
            { scale: 'y', auto: true },
          ],
        }),
        {
          label: 'Pareto front',
          stroke: COLORS[3],
          width: 2,
          paths: uPlot.paths.linear(),
          points: { show: false },
          facets: [
            { scale: 'x', auto: true },
            { scale: 'y', auto: true },
          ],
        },
      ],
      hooks: {
        draw: [
          (u) => {
            const x = u.valToPos(budget, 'x', true);
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = COLORS[2];
            ctx.lineWidth = 2 * devicePixelRatio;
            ctx.setLineDash([8 * devicePixelRatio, 6 * devicePixelRatio]);
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.setLineDash([]);
            ctx.fillStyle = COLORS[2];
            ctx.font = 12 * devicePixelRatio + 'px sans-serif';
            // The label on the side of the line with more room.
            const right = x < u.bbox.left + u.bbox.width / 2;
            ctx.textAlign = right ? 'left' : 'right';
            ctx.fillText(
              right ? ' budget ' + budget + ' MB' : 'budget ' + budget + ' MB ',
              x,
              u.bbox.top + u.bbox.height - 8 * devicePixelRatio,
            );
            ctx.restore();
          },
        ],
      },
    },
    [
      null,
      [trained.map((p) => mb(p.memoryBytes)), trained.map((p) => p.auc)],
      [front.map((p) => mb(p.memoryBytes)), front.map((p) => p.auc)],
    ],
    trained.length === 0,
  );

  // The dim each field got, trial after trial: one colour per dim, one row per field.
  const fields = data.fields;
  const dimSeries = data.dimValues.map((d, i) => {
    const x = [];
    const y = [];
    for (const p of t)
      p.dims.forEach((v, f) => {
        if (v === d) {
          x.push(p.number);
          y.push(fields.length - 1 - f);
        }
      });
    return { d, i, x, y };
  });
  plot(
    'plot-dims',
    {
      mode: 2,
      height: Math.max(160, 34 * fields.length + 70),
      scales: { x: whole(numbers), y: { range: [-0.5, fields.length - 0.5] } },
      axes: [
        axis('trial', { incrs: INTS }),
        axis('', {
          size: 90,
          splits: () => fields.map((_, i) => i),
          values: (_, splits) => splits.map((s) => fields[fields.length - 1 - s] || ''),
        }),
      ],
      series: [{}].concat(
        dimSeries.map((s) =>
          Object.assign(dots('dim ' + s.d, COLORS[s.i % COLORS.length], 9), {
            facets: [
              { scale: 'x', auto: true },
              { scale: 'y', auto: false },
            ],
          }),
        ),
      ),
    },
    [null].concat(dimSeries.map((s) => [s.x, s.y])),
    dimSeries.length === 0,
  );

  // Validation AUC after each epoch, for the best trials by reward.
  const curves = data.epochCurves;
  const epochs = Math.max(1, ...curves.map((c) => c.auc.length));
  plot(
    'plot-epochs',
    {
      scales: { x: { time: false, range: [0.5, epochs + 0.5] } },
      axes: [axis('epoch', { incrs: INTS }), axis('valid AUC')],
      series: [{}].concat(
        curves.map((c, i) => ({
          label: 'trial ' + c.number,
          stroke: COLORS[i % COLORS.length],
          width: 2,
          points: { show: true, size: 7, fill: COLORS[i % COLORS.length] },
        })),
      ),
    },
    [Array.from({ length: epochs }, (_, i) => i + 1)].concat(
      curves.map((c) => Array.from({ length: epochs }, (_, i) => (i < c.auc.length ? c.auc[i] : null))),
    ),
    curves.length === 0,
  );

  // One-shot: the proxy reward of the controller's samples, round by round.
  const curve = data.oneShot && data.oneShot.curve;
  if (curve && curve.length > 0) {
    let best = -Infinity;
    plot(
      'plot-proxy',
      {
        scales: { x: { time: false } },
        axes: [axis('supernet step'), axis('proxy reward')],
        series: [
          {},
          { label: 'mean of the round', stroke: COLORS[0], width: 2, points: { show: false } },
          { label: 'best of the round', stroke: COLORS[1], width: 1, points: { show: false } },
          {
            label: 'best so far',
            stroke: COLORS[3],
            width: 2,
            paths: uPlot.paths.stepped({ align: 1 }),
            points: { show: false },
          },
        ],
      },
      [
        curve.map((r) => r.step),
        curve.map((r) => r.mean),
        curve.map((r) => r.max),
        curve.map((r) => (best = Math.max(best, r.max))),
      ],
    );
  }
}
