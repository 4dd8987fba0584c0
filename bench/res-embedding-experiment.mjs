#!/usr/bin/env node
// Does Res-embedding (row = centre of the value's co-occurrence cluster + a decayed residual) beat a plain table?
// Trains plain tables and Res-embedding with k clusters on every field that has more than k rows (smaller fields stay
// plain), every field at the same dim, for a fixed number of epochs without early stopping, and records the
// validation AUC after every epoch. Prints one JSON line per run and writes docs/res-embedding.md.
//   node bench/res-embedding-experiment.mjs [--datasets frappe,movielens] [--dims 16,4] [--clusters 0,16,64]
//       [--res-alphas 1e-3] [--seeds 3] [--epochs 3] [--out docs/res-embedding.md] [--from runs.jsonl]
// k = 0 is the plain baseline. --from rewrites the report from the JSON lines of an earlier run.
// Needs a build (npm run build) and the datasets folder the example spaces point at; a dataset whose files are
// absent is skipped with a message. The data, tower, optimizer, lr and batch size come from search-spaces/<name>.yaml.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { arg, fromDist, loadNamedSpace, readRuns } from './lib.mjs';

const { train } = await fromDist('engine/index.js');
const { residualClusters } = await fromDist('engine/res-clusters.js');
const list = (s) => s.split(',').filter((x) => x !== '');
const datasets = list(arg('datasets', 'frappe,movielens'));
const dims = list(arg('dims', '16,4')).map(Number);
const clusters = list(arg('clusters', '0,16,64')).map(Number);
const resAlphas = list(arg('res-alphas', '1e-3')).map(Number);
const seeds = Number(arg('seeds', '3'));
const epochs = Number(arg('epochs', '3'));
const out = arg('out', 'docs/res-embedding.md');
const from = arg('from', undefined);
const command = `node bench/res-embedding-experiment.mjs --datasets ${datasets.join(',')} --dims ${dims.join(',')} --clusters ${clusters.join(',')} --res-alphas ${resAlphas.join(',')} --seeds ${seeds} --epochs ${epochs}`;

/** Every field at `dim`; Res-embedding with k clusters and residual decay `resAlpha` on fields with more than k rows. */
function configFor(space, dataset, dim, k, resAlpha, seed) {
  const m = space.model;
  return {
    fields: dataset.fields.map((f) =>
      k > 0 && f.rows > k
        ? { name: f.name, dim, normAlpha: 0, resClusters: k, resAlpha }
        : { name: f.name, dim, normAlpha: 0 },
    ),
    tower: [...m.tower],
    optimizer: m.optimizer,
    lr: m.lr,
    batchSize: m.batchSize,
    epochs,
    patience: epochs, // never stops early
    seed,
  };
}

/** The settings compared: plain (k = 0) once, each k > 0 with each residual α. */
const variants = clusters.flatMap((k) =>
  k === 0 ? [{ k, resAlpha: 0 }] : resAlphas.map((resAlpha) => ({ k, resAlpha })),
);
const saved = from ? readRuns(from) : undefined;
const results = [];
const setups = [];
for (const name of datasets) {
  const named = await loadNamedSpace(name);
  if (!named) continue;
  const { dataset, space } = named;
  const { train: tr, valid } = dataset.splits;
  const m = space.model;
  // Clustering cost, once per field and k (train() then finds it in the per-dataset cache).
  const clusterMs = {};
  for (const k of clusters.filter((x) => x > 0)) {
    const t = performance.now();
    dataset.fields.forEach((f, i) => f.rows > k && residualClusters(dataset, [tr], i, k));
    clusterMs[k] = Math.round(performance.now() - t);
  }
  setups.push({
    name,
    rows: dataset.numRows,
    train: tr.end - tr.start,
    valid: valid.end - valid.start,
    clusterMs,
    fields: dataset.fields.map((f) => `${f.name} ${f.rows}`).join(', '),
    model: `tower [${m.tower.join(', ')}], ${m.optimizer}, lr ${m.lr}, batch ${m.batchSize}`,
  });
  if (saved) {
    results.push(...saved.filter((r) => r.dataset === name));
    continue;
  }
  for (const dim of dims) {
    for (const { k, resAlpha } of variants) {
      for (let s = 1; s <= seeds; s++) {
        const r = await train(configFor(space, dataset, dim, k, resAlpha, s), dataset, { backend: 'auto' });
        const line = {
          dataset: name,
          dim,
          k,
          resAlpha,
          seed: s,
          epochs: r.epochs,
          inferenceBytes: r.inferenceBytes,
          trainingBytes: r.trainingBytes,
          seconds: r.wallSeconds,
          backend: r.backend,
        };
        results.push(line);
        console.log(JSON.stringify(line));
      }
    }
  }
}
if (results.length === 0) {
  console.error(`no dataset could be loaded: ${out} is left as it was`);
  process.exit(1);
}

// ---- the report --------------------------------------------------------------------------------------------------
const mean = (xs) => (xs.length ? xs.reduce((a, x) => a + x, 0) / xs.length : NaN);
const f4 = (x) => (Number.isFinite(x) ? x.toFixed(4) : '–');
const signed = (x) => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}` : '–');
const mb = (b) => (b / 1e6).toFixed(2);
const label = (v) => (v.k === 0 ? 'plain' : `res k=${v.k}, α_R=${v.resAlpha}`);
const minutes = results.reduce((a, r) => a + r.seconds, 0) / 60;
const best = (r) => Math.max(...r.epochs.map((e) => e.validAuc));
const seedWord = (ds) =>
  ds.every((d) => d > 0)
    ? 'better in every seed'
    : ds.every((d) => d < 0)
      ? 'worse in every seed'
      : 'mixed across seeds';
const lines = [
  '# Res-embedding on real data',
  '',
  `Generated by \`${command}\` on ${new Date().toISOString().slice(0, 10)} (${minutes.toFixed(1)} min of training, backend ${results[0].backend}).`,
  '',
  "Res-embedding (see [search-space.md](search-space.md#res-embedding-cluster-centre--residual)) reads a value's row as",
  'the centre of its co-occurrence cluster plus a residual kept small by its own decay. This compares it with plain',
  'tables at the same dim, i.e. at the same inference memory.',
  '',
  '## Setup',
  '',
  `- Every field at the same dim (${dims.join(' and ')}), no norm budget on the tables (normAlpha 0). Res-embedding with`,
  `  k ∈ {${clusters.filter((k) => k > 0).join(', ')}} clusters on every field with more than k rows (the others stay plain), residual decay α_R ∈ {${resAlphas.join(', ')}}.`,
  '  k = 1 is the control without clustering: every value of a field shares one centre, plus its decayed residual.',
  `- ${epochs} epochs without early stopping, seeds 1..${seeds} (initialisation and batch order). *best*: the best epoch's`,
  '  AUC (what early stopping keeps), mean over seeds, per-seed differences to plain (same seed) in brackets.',
  '- Data split, tower, optimizer, lr and batch size from `search-spaces/<dataset>.yaml`; validation split of a search',
  '  (the test split is never read). Clusters are computed on the train split only.',
  '',
];
for (const s of setups) {
  const cms = Object.entries(s.clusterMs)
    .map(([k, ms]) => `k=${k}: ${ms} ms`)
    .join(', ');
  lines.push(
    `- **${s.name}**: ${s.rows} rows (train ${s.train}, valid ${s.valid}); ${s.model}; rows per field: ${s.fields}. Clustering every field once (per worker, then cached): ${cms}.`,
  );
}
lines.push('');
const verdicts = [];
for (const s of setups) {
  for (const dim of dims) {
    const runsOf = (v) =>
      results
        .filter((r) => r.dataset === s.name && r.dim === dim && r.k === v.k && (v.k === 0 || r.resAlpha === v.resAlpha))
        .sort((a, b) => a.seed - b.seed);
    const plain = runsOf({ k: 0 });
    if (plain.length === 0) continue;
    lines.push(`## ${s.name}, dim ${dim}`, '');
    lines.push(
      `| setting | ${Array.from({ length: epochs }, (_, i) => `AUC e${i + 1}`).join(' | ')} | best | best − plain (per seed) | logloss e${epochs} | training MB | inference MB | s/run |`,
    );
    lines.push(`|---|${'---|'.repeat(epochs)}---|---|---|---|---|---|`);
    for (const v of variants) {
      const runs = runsOf(v);
      if (runs.length === 0) continue;
      const diffs = runs.map((r) => best(r) - best(plain.find((p) => p.seed === r.seed)));
      const perEpoch = Array.from({ length: epochs }, (_, i) => f4(mean(runs.map((r) => r.epochs[i]?.validAuc))));
      const delta = v.k === 0 ? '' : `${signed(mean(diffs))} (${diffs.map(signed).join(', ')})`;
      lines.push(
        `| ${label(v)} | ${perEpoch.join(' | ')} | ${f4(mean(runs.map(best)))} | ${delta} | ${f4(mean(runs.map((r) => r.epochs.at(-1).validLogloss)))} | ${mb(runs[0].trainingBytes)} | ${mb(runs[0].inferenceBytes)} | ${mean(runs.map((r) => r.seconds)).toFixed(1)} |`,
      );
      if (v.k > 0) {
        const spread = Math.max(...plain.map(best)) - Math.min(...plain.map(best));
        // k = 1 is the control without clustering: one shared centre per field plus decayed residuals.
        const one = v.k > 1 ? runsOf({ ...v, k: 1 }) : [];
        const vsOne = one.length ? runs.map((r) => best(r) - best(one.find((o) => o.seed === r.seed))) : [];
        const control = vsOne.length
          ? `; against k=1 (no clustering): ${signed(mean(vsOne))} (${vsOne.map(signed).join(', ')})`
          : '';
        verdicts.push(
          `- ${s.name}, dim ${dim}, ${label(v)}: ${signed(mean(diffs))} best-epoch AUC against plain, ${seedWord(diffs)} (plain's seeds span ${f4(spread)})${control}.`,
        );
      }
    }
    lines.push('');
  }
}
lines.push(
  '## Verdict',
  '',
  ...verdicts,
  '',
  '## Reproduce',
  '',
  '```sh',
  'npm run build',
  `nice ${command} > res-embedding-runs.jsonl`,
  '```',
  '',
  'Each stdout line is one run (dataset, dim, k, α_R, seed, per-epoch metrics, bytes, seconds); `--from res-embedding-runs.jsonl`',
  'rewrites this page from them without training again.',
  '',
);
writeFileSync(out, `${lines.join('\n')}\n`);
console.error(
  `wrote ${path.relative(process.cwd(), path.resolve(out))} (${results.length} runs, ${minutes.toFixed(1)} min of training)`,
);
