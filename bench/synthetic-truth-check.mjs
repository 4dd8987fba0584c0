#!/usr/bin/env node
// Does the synthetic default's planted truth matter? A search can only find the true dims if they earn a clearly
// better reward than their neighbours, so this trains, through the CLI, the truth configuration (each informative
// field at the smallest candidate that holds its latent rank, noise fields at the smallest candidate) and each
// neighbour: one informative field one candidate down or up, or one noise field at the next candidate up. Each configuration is a one-choice space
// trained once per seed; a trial's training seed depends only on (search seed, trial number), so every configuration
// sees the same training seeds and the same data. Prints reward mean ± sd per configuration and the gap to the truth
// in units of the seed sd.
//   node bench/synthetic-truth-check.mjs [--space search-spaces/synthetic.yaml] [--seeds 3] [--workers 1] [--json FILE]
// Needs a build (npm run build).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from '../dist/store/sqlite/sqlite-connection.js';
import { parse } from 'yaml';
import { arg, fromDist } from './lib.mjs';

const spacePath = arg('space', 'search-spaces/synthetic.yaml');
const seeds = Number(arg('seeds', '3'));
const workers = arg('workers', '1');
const jsonOut = arg('json', undefined);
const dir = mkdtempSync(path.join(tmpdir(), 'embnas-truth-'));
const db = path.join(dir, 'truth.db');
const cli = path.resolve('dist/cli/main.js');

const { loadSpace } = await fromDist('space/load-space.js');
const { syntheticSpecOf } = await fromDist('data/synthetic.js');
const { space } = loadSpace(spacePath);
if (space.data.format !== 'synthetic') throw new Error(`${spacePath} is not a synthetic space`);
const synth = syntheticSpecOf(space.data);
const raw = parse(readFileSync(spacePath, 'utf8'));
const candidates = (name) => [...(raw.features.fields?.[name]?.dims ?? raw.features.dims)].sort((a, b) => a - b);

/** The candidate a field's latent rank asks for: the smallest one that holds it (a main effect alone needs rank 1). */
const trueCandidate = (f) => candidates(f.name).find((c) => c >= f.dim) ?? Math.max(...candidates(f.name));
const truth = Object.fromEntries([
  ...synth.informative.map((f) => [f.name, trueCandidate(f)]),
  ...synth.noise.map((f) => [f.name, candidates(f.name)[0]]),
]);
const configs = [{ label: 'truth', dims: truth }];
for (const f of synth.informative) {
  const c = candidates(f.name);
  const i = c.indexOf(truth[f.name]);
  for (const j of [i - 1, i + 1])
    if (c[j] !== undefined) configs.push({ label: `${f.name} ${c[i]}→${c[j]}`, dims: { ...truth, [f.name]: c[j] } });
}
for (const f of synth.noise)
  configs.push({
    label: `${f.name} ${truth[f.name]}→${candidates(f.name)[1]}`,
    dims: { ...truth, [f.name]: candidates(f.name)[1] },
  });

/**
 * Trains `dims` once per training seed: a one-choice space searched for one trial with search seed 1, 2, …; a new
 * search per seed, because a search trains a configuration once and serves repeats from its trials.
 */
function trainConfig(k, dims) {
  const doc = structuredClone(raw);
  doc.features.normBudgets = [0];
  doc.features.fields = Object.fromEntries(Object.entries(dims).map(([n, d]) => [n, { dims: [d], normBudgets: [0] }]));
  const file = path.join(dir, `config-${k}.yaml`);
  writeFileSync(file, JSON.stringify(doc)); // JSON is YAML
  const conn = () => connect(db, { readonly: true });
  return Array.from({ length: seeds }, (_, s) => {
    const name = `truth-check-${k}-${s}`;
    const args = [
      'run',
      file,
      '--name',
      name,
      '--trials',
      '1',
      '--seed',
      String(s + 1),
      '--controller',
      'random',
      '--workers',
      workers,
      '--db',
      db,
      '--no-tui',
    ];
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    if (r.status !== 0) throw new Error(`embnas ${args.join(' ')} failed:\n${r.stderr}`);
    const c = conn();
    try {
      return c
        .prepare(
          `SELECT t.reward, t.valid_auc AS auc, t.memory_bytes AS mem, t.wall_seconds AS wall FROM trials t JOIN searches s ON s.id = t.search_id
                  WHERE s.name = ? AND t.status = 'completed'`,
        )
        .get(name);
    } finally {
      c.close();
    }
  });
}

const mean = (xs) => xs.reduce((a, x) => a + x, 0) / xs.length;
const sd = (xs) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));
const started = Date.now();
const results = configs.map((c, k) => {
  const t0 = Date.now();
  const trials = trainConfig(k, c.dims);
  const rewards = trials.map((t) => t.reward);
  const row = {
    ...c,
    rewards,
    auc: mean(trials.map((t) => t.auc)),
    memoryBytes: trials[0].mem,
    trialSeconds: mean(trials.map((t) => t.wall)),
    seconds: (Date.now() - t0) / 1000,
  };
  console.error(
    `${c.label}: reward ${mean(rewards).toFixed(4)} ± ${sd(rewards).toFixed(4)} (${row.seconds.toFixed(0)} s)`,
  );
  return row;
});

const t = results[0];
console.log(
  `${spacePath}: ${synth.rows} rows, ${seeds} training seeds, ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
console.log('');
console.log(
  '| configuration | reward (mean ± sd) | valid AUC | memory (KB) | trial (s) | gap to truth | gap / seed sd |',
);
console.log('|---|---|---|---|---|---|---|');
for (const r of results) {
  const gap = mean(t.rewards) - mean(r.rewards);
  const pooled = Math.sqrt((sd(t.rewards) ** 2 + sd(r.rewards) ** 2) / 2);
  const units = r === t ? '–' : pooled > 0 ? (gap / pooled).toFixed(1) : '∞';
  console.log(
    `| ${r.label} | ${mean(r.rewards).toFixed(4)} ± ${sd(r.rewards).toFixed(4)} | ${r.auc.toFixed(4)} | ${(r.memoryBytes / 1e3).toFixed(1)} | ${r.trialSeconds.toFixed(1)} | ${r === t ? '–' : gap.toFixed(4)} | ${units} |`,
  );
}
if (jsonOut)
  writeFileSync(jsonOut, `${JSON.stringify({ space: spacePath, rows: synth.rows, seeds, results }, null, 2)}\n`);
