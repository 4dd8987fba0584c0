/**
 * The report's tables as HTML: the best configuration field by field, the final policy per decision (each candidate's
 * probability as a bar), and a one-shot search's best ranked configurations. Text only, escaped; no script.
 */
import { formatBytes, formatMetric, formatNormAlpha } from '../units.js';
import { settledShare, type FinalPolicy } from './final-policy.js';
import type { ReportData } from './report-data.js';
import { describeTechniques } from '../techniques/index.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function tableHtml(header: string[], rows: string[][], numeric: boolean[] = []): string {
  const th = header.map((h, i) => `<th${numeric[i] ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('');
  const tr = rows
    .map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

/** The best trial's metrics, then one row per field: what `embnas export` writes for it. */
export function bestConfigHtml(best: NonNullable<ReportData['best']>, truth?: ReportData['plantedTruth']): string {
  const m = best.metrics;
  const metrics = tableHtml(
    ['trial', 'valid AUC', 'memory', 'penalty', 'reward'],
    [
      [
        String(best.trial),
        formatMetric(m.validAuc ?? undefined),
        m.memoryBytes === null ? '—' : formatBytes(m.memoryBytes),
        formatMetric(best.penalty ?? undefined),
        formatMetric(m.reward ?? undefined),
      ],
    ],
    [true, true, true, true, true],
  );
  const rows = best.features.map((f) => [
    escapeHtml(f.name),
    f.rows === null ? '—' : String(f.rows),
    f.dim === 0 ? '0 (dropped)' : String(f.dim),
    f.dim === 0 || f.normAlpha === undefined ? '' : formatNormAlpha(f.normAlpha),
    escapeHtml(technique(f)),
    ...(truth ? [String(truth.find((t) => t.name === f.name)?.dim ?? '—')] : []),
  ]);
  const t = best.model;
  const model = `tower [${t.tower.join(', ')}], ${escapeHtml(t.optimizer)} lr ${t.lr}, batch ${t.batchSize}, up to ${t.epochs} epoch(s), seed ${t.seed}`;
  return `${metrics}\n${tableHtml(['field', 'rows', 'dim', 'α', 'technique', ...(truth ? ['planted dim'] : [])], rows, [false, true, true, true, false, true])}\n<p>${model}</p>`;
}

function technique(f: NonNullable<ReportData['best']>['features'][number]): string {
  // Each technique's words (src/techniques/, `describe`), then the row cap.
  const parts = describeTechniques(f, { alpha: formatNormAlpha });
  if (f.maxNorm) parts.push(`max norm ${f.maxNorm}`);
  return parts.join('; ');
}

/** Per decision: how settled it is, and every candidate with its probability as a bar, the most likely in bold. */
export function policyHtml(policy: FinalPolicy): string {
  const rows = policy.decisions.map((d) => {
    const top = d.choices.reduce((a, b) => (b.prob > a.prob ? b : a));
    const cells = d.choices
      .map((c) => {
        const label = d.decision.includes('α') ? formatNormAlpha(c.value) : String(c.value);
        const body = `<span class="bar" style="width:${(c.prob * 40).toFixed(1)}px"></span> ${escapeHtml(label)} ${(c.prob * 100).toFixed(0)} %`;
        return `<span class="choice">${c === top ? `<b>${body}</b>` : body}</span>`;
      })
      .join(' ');
    return [escapeHtml(d.field), escapeHtml(d.decision), `${(settledShare(d.choices) * 100).toFixed(0)} %`, cells];
  });
  const note = 'settled: 1 − entropy / log(candidates), 0 % for a uniform choice, 100 % for a certain one';
  return `<p class="caption">${escapeHtml(policy.source)}; ${note}.</p>\n${tableHtml(['field', 'decision', 'settled', 'probability of each candidate'], rows, [false, false, true, false])}`;
}

export function rankedHtml(ranked: NonNullable<ReportData['oneShot']>['ranked']): string {
  const rows = ranked.map((r, i) => [
    String(i + 1),
    formatMetric(r.auc),
    formatBytes(r.memoryBytes),
    formatMetric(r.reward),
    `${escapeHtml(r.dims)}${r.argmax ? ' (policy)' : ''}`,
  ]);
  return tableHtml(['rank', 'AUC', 'memory', 'proxy reward', 'dims'], rows, [true, true, true, true, false]);
}
