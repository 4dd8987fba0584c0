/**
 * ReportData → one HTML file that needs nothing else: uPlot's script and style, the data and the drawing code are all
 * inlined, so the report opens offline, from a mail attachment or a CI artifact, exactly as it was written.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { formatBytes, formatDuration } from '../units.js';
import { drawCharts } from './draw-charts.js';
import type { ReportData } from './report-data.js';
import { bestConfigHtml, escapeHtml, policyHtml, rankedHtml } from './report-tables.js';

/** uPlot's minified browser build and its stylesheet, from the installed package. */
export function plotLibrary(): { script: string; style: string } {
  const require = createRequire(import.meta.url);
  const dir = require.resolve('uplot').replace(/uPlot\.cjs\.js$/, '');
  return {
    script: readFileSync(`${dir}uPlot.iife.min.js`, 'utf8'),
    style: readFileSync(`${dir}uPlot.min.css`, 'utf8'),
  };
}

/** JSON that is safe inside a <script> element: no "</script>", no "<!--". */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; color: #222; margin: 24px auto; max-width: 960px; padding: 0 16px; background: #fff; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin: 28px 0 6px; border-bottom: 1px solid #ddd; }
.formula { font-family: ui-monospace, monospace; background: #f4f4f4; padding: 2px 6px; }
.caption { color: #555; margin: 0 0 8px; } .plot { min-height: 120px; }
table { border-collapse: collapse; margin: 6px 0; } th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; height: 9px; background: #1f77b4; vertical-align: middle; }
.choice { display: inline-block; min-width: 120px; white-space: nowrap; }
`;

export function renderReport(data: ReportData, lib = plotLibrary()): string {
  const s = data.search;
  const done = s.counts.completed + s.counts.failed;
  const took = s.finishedAt === null ? '' : `, ${formatDuration(s.finishedAt - s.createdAt)} from start to end`;
  const overBudget = data.trials.filter((t) => t.overBudget).length;
  const sections = [
    section(
      'Reward over trials',
      'plot-reward',
      `Each trial's reward and the best reward so far ("best" is always the best reward).${overBudget ? ` ${overBudget} trial(s) over the budget (reward −1, never trained) are left out.` : ''}`,
    ),
    section(
      'AUC × memory',
      'plot-pareto',
      `Every trained trial, the Pareto front (no trial has both a higher AUC and less memory) and the memory budget of ${formatBytes(data.reward.budgetBytes)}.`,
    ),
    section(
      'Chosen dim per field over trials',
      'plot-dims',
      'One row per field, one colour per embedding size; dim 0 drops the field.',
    ),
    section('Validation AUC per epoch', 'plot-epochs', `The ${data.epochCurves.length} best trials by reward.`),
    ...(data.oneShot
      ? [
          data.oneShot.curve
            ? section(
                'One-shot supernet: proxy reward',
                'plot-proxy',
                `The controller's samples scored on the shared weights, round by round: ${data.oneShot.steps} steps in ${formatDuration(data.oneShot.seconds * 1000)}.`,
              )
            : `<h2>One-shot supernet: proxy reward</h2><p class="caption">Not recorded: this search's supernet phase finished before embnas kept its curve.</p>`,
          `<h2>One-shot supernet: best ranked configurations</h2>\n${rankedHtml(data.oneShot.ranked)}`,
        ]
      : []),
    `<h2>Final policy per decision</h2>\n${data.policy ? policyHtml(data.policy) : '<p class="caption">This controller keeps no distribution (random, uniform), or it has observed nothing yet.</p>'}`,
    `<h2>Best configuration (by reward)</h2>\n${data.best ? bestConfigHtml(data.best, data.plantedTruth) : '<p class="caption">No trial has completed yet.</p>'}`,
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>embnas report — ${escapeHtml(s.name)}</title>
<style>${lib.style}</style>
<style>${STYLE}</style>
</head><body>
<h1>embnas report — search '${escapeHtml(s.name)}'</h1>
<p>${escapeHtml(s.status)}: ${done} of ${s.trialsBudget} trials finished (${s.counts.failed} failed); controller ${escapeHtml(s.controller)}, mode ${escapeHtml(s.mode)}, seed ${s.seed}${took}. Space <code>${escapeHtml(s.spacePath)}</code>.</p>
<p>Objective: <span class="formula">${escapeHtml(data.reward.formula)}</span></p>
${sections.join('\n')}
<p class="caption">Written ${new Date(data.generatedAt).toISOString().replace('T', ' ').slice(0, 16)} UTC by <code>embnas report</code>.</p>
<script>${lib.script}</script>
<script id="report-data" type="application/json">${scriptJson(data)}</script>
<script>(${drawCharts.toString()})(JSON.parse(document.getElementById('report-data').textContent), uPlot);</script>
</body></html>
`;
}

function section(title: string, id: string, caption: string): string {
  return `<h2>${escapeHtml(title)}</h2>\n<p class="caption">${escapeHtml(caption)}</p>\n<div class="plot" id="${id}"></div>`;
}
