/**
 * One row per trial, for spreadsheets and pandas: metrics, then one `dim_<field>` and `alpha_<field>` column per field,
 * and `mlet_<field>` columns when any trial has an MLET factor (a trial without one: 0, a plain table); likewise
 * `res_<field>` (Res-embedding clusters, 0 = off) and `res_alpha_<field>` (its residual α, empty when unset), and
 * `keep_<field>` (vocabulary cut, 1 = none) and `blocks_<field>` (multi-size block dims as "16/4/0", empty = one table).
 * A dropped field (dim 0) has only its dim: its alpha and technique cells are empty.
 */
import type { FieldConfig } from '../engine/trial-config.js';
import type { TrialRecord } from '../store/trial-store.js';
import { TECHNIQUES } from '../techniques/index.js';

export function trialsCsv(trials: TrialRecord[]): string {
  const fields = trials[0]?.config.fields.map((f) => f.name) ?? [];
  // Each technique's columns, in the techniques' order, when any trial uses it.
  const columns = TECHNIQUES.flatMap(({ csv }) =>
    csv && trials.some((t) => t.config.fields.some(csv.uses)) ? csv.columns : [],
  );
  const header = [
    'trial',
    'status',
    'valid_auc',
    'valid_logloss',
    'memory_bytes',
    'reward',
    'cache_hit',
    'wall_seconds',
    'error',
    ...fields.map((f) => `dim_${f}`),
    ...fields.map((f) => `alpha_${f}`),
    ...columns.flatMap((c) => fields.map((f) => `${c.prefix}_${f}`)),
  ];
  const rows = trials.map((t) => {
    /** The field's setting, or an empty cell for a dropped field. */
    const kept = <T>(setting: (f: FieldConfig) => T) =>
      t.config.fields.map((f) => (f.dim === 0 ? undefined : setting(f)));
    return [
      t.number,
      t.status,
      t.result?.validAuc,
      t.result?.validLogloss,
      t.result?.inferenceBytes,
      t.reward,
      t.cacheHit ? 1 : 0,
      t.result?.wallSeconds,
      t.error?.split('\n')[0],
      ...t.config.fields.map((f) => f.dim),
      ...kept((f) => f.normAlpha),
      ...columns.flatMap((c) => kept(c.value)),
    ];
  });
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
