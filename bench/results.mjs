#!/usr/bin/env node
// The results page: real searches and fixed-config trainings through the CLI, written to docs/results.md.
//   node bench/results.mjs [--datasets frappe,movielens,adult] [--trials N] [--seeds 3] [--controllers reinforce,random]
//                          [--part main|ablations|all|page] [--state FILE] [--out docs/results.md]
// Needs a build (npm run build) and the datasets folder the example spaces point at.
//
// A dataset name is a space: search-spaces/<name>.yaml, or bench/spaces/<name>.yaml for variants made for this page.
// main: per dataset, `reinforce` and `random` searches with the same trial count (default: the space's) and search
// seeds 1..seeds, plus every field at dim 16 (the configuration a user would try first); each winner is retrained on
// train + valid with `embnas export --retrain` for its test AUC. ablations: the reinforce winner with one technique switched at a time
// (norm budget, MLET, multi-size blocks, vocabulary cut, Res-embedding), several training seeds each, valid AUC.
// Results accumulate in --state (JSON), so the parts can run separately and the page is rebuilt from all of them
// (--part page rebuilds it alone).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from '../dist/store/sqlite/sqlite-connection.js';
import { parse, stringify } from 'yaml';
import { arg } from './lib.mjs';

// The notation of the TUI and `embnas show` ("user:8/α0.001/b8,2"): from the build, like the CLI this script runs.
const { shortConfig } = await import(new URL('../dist/search/live-view.js', import.meta.url).href);

const datasets = arg('datasets', 'frappe,movielens,adult').split(',');
const trials = arg('trials') === undefined ? undefined : Number(arg('trials'));
const seeds = Number(arg('seeds', '3'));
const part = arg('part', 'all');
const controllers = arg('controllers', 'reinforce,random').split(',');
const out = arg('out', 'docs/results.md');
const work = mkdtempSync(path.join(tmpdir(), 'embnas-results-'));
const statePath = arg('state', path.join(work, 'results.json'));
const db = path.join(work, 'results.db');
const cli = path.resolve('dist/cli/main.js');
const state = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : { main: {}, ablations: {} };
const save = () => writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`);

/** Runs the CLI; resolves with stdout and the wall time in seconds, rejects with its stderr. */
function embnas(args) {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [cli, ...args, '--db', db], {
      env: { ...process.env, CI: 'true', EMBNAS_NO_TUI: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) =>
      code === 0
        ? resolve({ stdout, seconds: (Date.now() - t0) / 1000 })
        : reject(new Error(`embnas ${args.join(' ')}: ${stderr}`)),
    );
  });
}

/** At most `n` promises from `tasks` (functions) at once, results in order. */
async function limit(n, tasks) {
  const results = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

function bestTrial(name) {
  const conn = connect(db, { readonly: true });
  try {
    const row = conn
      .prepare(
        `SELECT t.number, t.reward, t.valid_auc AS auc, t.memory_bytes AS mem, t.config FROM trials t JOIN searches s ON s.id = t.search_id
                WHERE s.name = ? AND t.status = 'completed' ORDER BY t.reward DESC, t.number LIMIT 1`,
      )
      .get(name);
    if (!row) throw new Error(`search ${name} has no completed trial`);
    return { number: row.number, reward: row.reward, auc: row.auc, mem: row.mem, config: JSON.parse(row.config) };
  } finally {
    conn.close();
  }
}

/** The space file of a dataset, its data paths made absolute so a copy can live anywhere. */
/** search-spaces/<name>.yaml, the spaces users get; else bench/spaces/<name>.yaml, variants made for this page. */
function spaceFile(ds) {
  const shipped = `search-spaces/${ds}.yaml`;
  return existsSync(shipped) ? shipped : `bench/spaces/${ds}.yaml`;
}

function baseSpace(ds) {
  const file = path.resolve(spaceFile(ds));
  const space = parse(readFileSync(file, 'utf8'));
  const abs = (p) => path.resolve(path.dirname(file), p);
  space.data.path = Array.isArray(space.data.path) ? space.data.path.map(abs) : abs(space.data.path);
  return space;
}

/** A space with exactly one candidate per decision: a one-trial search trains exactly `fields`. */
function fixedSpace(ds, fields, tag) {
  const space = baseSpace(ds);
  const perField = {};
  for (const f of fields) {
    const o = { dims: [f.dim], normBudgets: [f.normAlpha] };
    for (const [key, list] of [
      ['mletFactor', 'mletFactors'],
      ['resClusters', 'resClusters'],
      ['keep', 'vocabKeep'],
    ]) {
      if (f[key] !== undefined) o[list] = [f[key]];
    }
    // One later-block dim per field (a single candidate is applied, not searched).
    if (f.blocks) Object.assign(o, { blocks: f.blocks.fractions, blockDims: [f.blocks.dims[1]] });
    perField[f.name] = o;
  }
  space.name = tag;
  space.features = { dims: [0], normBudgets: [0], fields: perField };
  space.search = { controller: 'random', trials: 1, seed: 0 };
  const file = path.join(work, `${tag}.yaml`);
  writeFileSync(file, stringify(space));
  return file;
}

async function retrain(name) {
  const dir = path.join(work, `${name}-model`);
  const { stdout } = await embnas(['export', name, '--retrain', '--model-dir', dir, '--json']);
  rmSync(dir, { recursive: true, force: true });
  const r = JSON.parse(stdout);
  return { testAuc: r.test.auc, testLogloss: r.test.logloss, retrainSeconds: r.seconds };
}

async function runMain(ds) {
  const space = path.resolve(spaceFile(ds));
  const n = trials ?? baseSpace(ds).search.trials;
  const rows = [];
  for (const controller of controllers) {
    for (let seed = 1; seed <= seeds; seed++) {
      const name = `${ds}-${controller}-${seed}`;
      const { seconds } = await embnas([
        'run',
        space,
        '--name',
        name,
        '--trials',
        String(n),
        '--seed',
        String(seed),
        '--controller',
        controller,
      ]);
      rows.push({
        method: `${controller} search`,
        seed,
        name,
        trials: n,
        seconds,
        ...bestTrial(name),
        ...(await retrain(name)),
      });
      console.error(`${name}: ${JSON.stringify({ ...rows.at(-1), config: undefined })}`);
    }
  }
  const fields = rows[0].config.fields.map((f) => ({ name: f.name, dim: 16, normAlpha: 0 }));
  const name = `${ds}-uniform16`;
  const { seconds } = await embnas(['run', fixedSpace(ds, fields, name), '--seed', '1']);
  rows.push({
    method: 'every field at dim 16',
    seed: 1,
    name,
    trials: 1,
    seconds,
    ...bestTrial(name),
    ...(await retrain(name)),
  });
  const { reward } = baseSpace(ds);
  state.main[ds] = { trials: n, seeds, reward, rows, space: spaceFile(ds), controllers };
  save();
}

/** The variants of a found config, one technique switched at a time. Kept fields only; dropped fields stay dropped. */
function variants(fields) {
  const kept = (fn) => fields.map((f) => (f.dim === 0 ? f : fn(f)));
  const half = (d) => Math.max(1, Math.floor(d / 2));
  const quarter = (d) => Math.max(1, Math.floor(d / 4));
  return [
    ['as found', fields],
    ['norm budget off (α = 0)', kept((f) => ({ ...f, normAlpha: 0 }))],
    ['norm budget α = 1e-3', kept((f) => ({ ...f, normAlpha: 1e-3 }))],
    ['MLET factor 2', kept((f) => ({ ...f, mletFactor: 2 }))],
    ['MLET factor 4', kept((f) => ({ ...f, mletFactor: 4 }))],
    [
      'blocks 20/80 %, dims d and d/2',
      kept((f) => ({ ...f, blocks: { fractions: [0.2, 0.8], dims: [f.dim, half(f.dim)] } })),
    ],
    [
      'blocks 20/80 %, dims d and d/4',
      kept((f) => ({ ...f, blocks: { fractions: [0.2, 0.8], dims: [f.dim, quarter(f.dim)] } })),
    ],
    ['vocabulary cut: top 50 %', kept((f) => ({ ...f, keep: 0.5 }))],
    ['Res-embedding, 16 clusters', kept((f) => ({ ...f, resClusters: 16 }))],
  ];
}

async function runAblations(ds) {
  const found = state.main[ds]?.rows
    .filter((r) => r.method === 'reinforce search')
    .sort((a, b) => b.reward - a.reward)[0];
  if (!found) throw new Error(`run --part main for ${ds} first`);
  const base = found.config.fields.map(({ maxNorm: _m, ...f }) => f);
  const jobs = [];
  for (const [label, fields] of variants(base)) {
    for (let s = 1; s <= seeds; s++) {
      const name = `${ds}-ablation-${label.replace(/[^A-Za-z0-9]+/g, '-')}-${s}`;
      jobs.push(async () => {
        const { seconds } = await embnas(['run', fixedSpace(ds, fields, name), '--seed', String(s), '--workers', '1']);
        const t = bestTrial(name);
        console.error(`${name}: auc ${t.auc.toFixed(4)} mem ${t.mem}`);
        return { label, seed: s, auc: t.auc, mem: t.mem, seconds };
      });
    }
  }
  state.ablations[ds] = { seeds, base: found.name, runs: await limit(2, jobs) };
  save();
}

const f4 = (x) => x.toFixed(4);
const mb = (b) => (b / 1e6).toFixed(3);

function page() {
  const lines = [
    '# Results',
    '',
    'Every number below comes from a real run of the commands shown, on the datasets in `../shared/datasets`',
    '(see docs/data.md). Memory is the inference model in MB (10^6 bytes): embedding tables plus the dense tower.',
    '',
  ];
  lines.push(
    `Reproduce everything: \`npm run build && node bench/results.mjs --datasets ${Object.keys(state.main).join(',')} --seeds ${seeds}\``,
    '',
  );
  lines.push('## Best found configuration vs every field at dim 16 vs random search', '');
  lines.push(
    "Valid AUC is the trial's in the search (trained on train). Test AUC is from `embnas export <search> --retrain`:",
    'the same config and seed retrained on train + valid for its best epoch count, then scored once on the test split.',
    "With the same seed, reinforce's warm-up (its first 8 trials, drawn uniformly) equals random search's first 8 trials, so the two",
    'differ only in what they propose after it; when both report the same best trial, it came from the warm-up.',
    '',
  );
  for (const [ds, m] of Object.entries(state.main)) {
    const rw = m.reward;
    const used = m.controllers ?? ['reinforce', 'random'];
    lines.push(
      `### ${ds}`,
      '',
      `\`embnas run ${m.space ?? `search-spaces/${ds}.yaml`} --trials ${m.trials} --seed S --controller ${used.join('|')}\` for S = 1..${m.seeds}; dim 16 is a one-trial search over a space listing only dim 16.`,
    );
    lines.push(`Reward: ${rw.form ?? 'hinge'}, budget ${rw.budgetMB} MB, λ ${rw.lambda ?? 0.1}.`);
    if (m.space?.startsWith('bench/spaces/'))
      lines.push(`A space made for this page: the comment at the top of \`${m.space}\` says what it varies.`);
    lines.push('');
    lines.push(
      '| method | seed | trials | reward | valid AUC | test AUC | test logloss | memory (MB) | search wall (s) | the config (dim, /α norm budget, /k cut, /b block dims, as in `embnas show`) |',
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of m.rows) {
      const dims = shortConfig(r.config);
      lines.push(
        `| ${r.method} | ${r.seed} | ${r.trials} | ${f4(r.reward)} | ${f4(r.auc)} | ${f4(r.testAuc)} | ${f4(r.testLogloss)} | ${mb(r.mem)} | ${r.seconds.toFixed(0)} | ${dims} |`,
      );
    }
    const mean = (method, key) => {
      const rs = m.rows.filter((r) => r.method === method);
      return rs.reduce((a, r) => a + r[key], 0) / rs.length;
    };
    const u16 = m.rows.find((r) => r.method === 'every field at dim 16');
    const signed = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`;
    const against = used
      .map((c) => `${c} search`)
      .map(
        (method) =>
          `${method.split(' ')[0]} ${(u16.mem / mean(method, 'mem')).toFixed(1)}× less memory, valid AUC ${signed(mean(method, 'auc') - u16.auc)}, test AUC ${signed(mean(method, 'testAuc') - u16.testAuc)}`,
      );
    lines.push('', `Against every field at dim 16 (means over seeds): ${against.join('; ')}.`);
    lines.push(
      `Mean over seeds — ${used.map((c) => `${c}: reward ${f4(mean(`${c} search`, 'reward'))}, test AUC ${f4(mean(`${c} search`, 'testAuc'))}, memory ${mb(mean(`${c} search`, 'mem'))} MB`).join('; ')}.`,
      '',
    );
  }
  if (Object.keys(state.ablations).length > 0) {
    lines.push('## Ablations: one technique at a time on the found configuration', '');
    lines.push(
      `Each row trains the best reinforce winner above with one change, over ${seeds} training seeds (\`--seed 1..${seeds}\`), and reports`,
      'the mean and spread (min–max) of the best-epoch valid AUC. Differences inside the spread are noise.',
      '',
    );
    for (const [ds, a] of Object.entries(state.ablations)) {
      const found = state.main[ds]?.rows.find((r) => r.name === a.base);
      const asFound = a.runs.filter((r) => r.label === 'as found');
      const retrained = asFound.reduce((s, r) => s + r.auc, 0) / asFound.length;
      const note = found
        ? ` The base is \`${a.base}\`'s best trial, ${f4(found.auc)} valid AUC in its search (with the search's training seed, and picked as the best of ${found.trials}); retrained with seeds 1..${a.seeds}: ${f4(retrained)}.`
        : '';
      lines.push(
        `### ${ds}`,
        '',
        `\`node bench/results.mjs --datasets ${ds} --part ablations --seeds ${a.seeds}\` (after \`--part main\`).${note}`,
        '',
        '| variant | valid AUC mean | min–max | Δ vs as found | memory (MB) |',
        '|---|---|---|---|---|',
      );
      const byLabel = new Map();
      for (const r of a.runs) byLabel.set(r.label, [...(byLabel.get(r.label) ?? []), r]);
      const mean = (rs) => rs.reduce((s, r) => s + r.auc, 0) / rs.length;
      const ref = mean(byLabel.get('as found'));
      for (const [label, rs] of byLabel) {
        const aucs = rs.map((r) => r.auc);
        const d = mean(rs) - ref;
        lines.push(
          `| ${label} | ${f4(mean(rs))} | ${f4(Math.min(...aucs))}–${f4(Math.max(...aucs))} | ${label === 'as found' ? '–' : `${d >= 0 ? '+' : ''}${f4(d)}`} | ${mb(rs[0].mem)} |`,
        );
      }
      lines.push('');
    }
  }
  writeFileSync(out, `${lines.join('\n')}\n`);
}

for (const ds of datasets) {
  if (part === 'main' || part === 'all') await runMain(ds);
  if (part === 'ablations' || part === 'all') await runAblations(ds);
}
page();
console.log(JSON.stringify({ state: statePath, out }));
