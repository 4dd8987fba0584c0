#!/usr/bin/env node
// Does a batch of tpe proposals search like Optuna's sequential TPE? Per dataset and seed, 40-trial tpe searches
// through the CLI (arms: batch1 and batch4 with the defaults; batch1-repeats and batch4-liar with search.tpe.distinct
// off; before: batch 4 with constantLiar off too, the controller before the two existed), and Optuna 3.1's own
// TPESampler with its defaults, sequential (ask, train, tell), on the same objective: each configuration trained in
// this process by the same engine, trial n with the training seed the search loop gives trial n, a repeat answered
// with its first reward (as the store answers a cache hit) and counted as a trial. Prints one JSON line per search
// and a markdown table: best reward and distinct configurations trained, mean ± sd over the seeds (100, 101, …).
//   node bench/tpe-batch.mjs [--datasets synthetic,adult] [--seeds 3] [--trials 40] [--arms batch1,batch4,optuna]
//     [--python /usr/bin/python3] [--json FILE]
// Needs a build (npm run build) and a Python with Optuna 3.1 (Debian: python3-optuna).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parse, stringify } from 'yaml';
import { connect } from '../dist/store/sqlite/sqlite-connection.js';
import { arg, fromDist, loadNamedSpace } from './lib.mjs';

const list = (name, dflt) =>
  arg(name, dflt)
    .split(',')
    .filter((s) => s !== '');
const datasets = list('datasets', 'synthetic,adult');
const arms = list('arms', 'batch1,batch4,optuna');
const seeds = Number(arg('seeds', '3'));
const trials = Number(arg('trials', '40'));
const python = arg('python', process.env.PYTHON ?? 'python3');
const jsonOut = arg('json', undefined);
const work = mkdtempSync(path.join(tmpdir(), 'embnas-tpe-batch-'));
const db = path.join(work, 'tpe.db');
const cli = path.resolve('dist/cli/main.js');
const ARMS = {
  batch1: { batch: 1 },
  batch4: { batch: 4 },
  before: { batch: 4, tpe: { constantLiar: false, distinct: false } },
  'batch1-repeats': { batch: 1, tpe: { distinct: false } },
  'batch4-liar': { batch: 4, tpe: { distinct: false } },
};
const { train } = await fromDist('engine/index.js');
const { searchChoices, trialConfig, trialSeed } = await fromDist('search/trial-plan.js');
const { decisionsOf, proposalFrom } = await fromDist('controllers/decisions.js');
const { overBudget, trialReward } = await fromDist('search/reward.js');
const { inferenceBytes } = await fromDist('engine/memory.js');
const { configKey } = await fromDist('store/config-key.js');

/** A copy of search-spaces/<ds>.yaml with absolute data paths, a per-trial tpe search with the arm's batch. */
function spaceCopy(ds, arm) {
  const file = path.resolve(`search-spaces/${ds}.yaml`);
  const doc = parse(readFileSync(file, 'utf8'));
  const abs = (p) => path.resolve(path.dirname(file), p);
  if (doc.data.path !== undefined)
    doc.data.path = Array.isArray(doc.data.path) ? doc.data.path.map(abs) : abs(doc.data.path);
  const { batch, tpe = {} } = ARMS[arm];
  doc.search = { ...doc.search, mode: 'pertrial', controller: 'tpe', batch, tpe };
  delete doc.name;
  const out = path.join(work, `${ds}-${arm}.yaml`);
  writeFileSync(out, stringify(doc));
  return out;
}

/** A tpe search through the CLI; its best reward and how many distinct configurations its trials hold. */
function cliSearch(ds, arm, seed) {
  const name = `${ds}-${arm}-${seed}`;
  const args = ['run', spaceCopy(ds, arm), '--name', name, '--seed', String(seed), '--trials', String(trials)];
  const r = spawnSync(process.execPath, [cli, ...args, '--workers', '1', '--no-tui', '--db', db], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  if (r.status !== 0) throw new Error(`embnas ${args.join(' ')} failed:\n${r.stderr}`);
  const conn = connect(db, { readonly: true });
  try {
    return conn
      .prepare(
        `SELECT max(t.reward) AS best, count(DISTINCT t.config_key) AS distinct_, count(*) AS n
         FROM trials t JOIN searches s ON s.id = t.search_id WHERE s.name = ? AND t.status IN ('completed', 'failed')`,
      )
      .get(name);
  } finally {
    conn.close();
  }
}

const OPTUNA = `
import json, sys, warnings
import optuna
from optuna.distributions import CategoricalDistribution
warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.WARNING)
init = json.loads(sys.stdin.readline())
dists = {f"d{j}": CategoricalDistribution(list(range(k))) for j, k in enumerate(init["choices"])}
study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=init["seed"]))
print(json.dumps({"version": optuna.__version__}), flush=True)
while sys.stdin.readline():
    trial = study.ask(dists)
    print(json.dumps([trial.params[name] for name in dists]), flush=True)
    study.tell(trial, json.loads(sys.stdin.readline()))
`;

/** Optuna's sequential TPE on the same objective, trained here: best reward, distinct configurations, trials. */
async function optunaSearch(loaded, seed) {
  const { space, dataset } = loaded;
  const decisions = decisionsOf(searchChoices(space, dataset, 'space'));
  const child = spawn(python, ['-c', OPTUNA], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const say = (x) => child.stdin.write(`${JSON.stringify(x)}\n`);
  const hear = async () => JSON.parse((await lines.next()).value);
  say({ choices: decisions.map((d) => d.values.length), seed });
  const { version } = await hear();
  if (!version.startsWith('3.1.')) throw new Error(`Optuna ${version}: this comparison is with Optuna 3.1`);
  const rows = dataset.fields.map((f) => f.rows);
  const known = new Map(); // config key → reward, as the store answers a repeat
  let best = -Infinity;
  for (let n = 0; n < trials; n++) {
    say('ask');
    const config = trialConfig(proposalFrom(decisions, await hear()), space, trialSeed(seed, n));
    const key = configKey(config);
    let reward = known.get(key);
    if (reward === undefined) {
      const budget = space.reward.budgetMB * 1e6;
      if (overBudget(space.reward.form, inferenceBytes(config, rows), budget)) reward = -1;
      else
        reward = await train(config, dataset, { backend: 'auto' }).then(
          (result) => trialReward(space.reward, result),
          () => -1,
        );
      known.set(key, reward);
    }
    best = Math.max(best, reward);
    say(reward);
  }
  child.stdin.end();
  return { best, distinct_: known.size, n: trials };
}

const mean = (xs) => xs.reduce((a, x) => a + x, 0) / xs.length;
const sd = (xs) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));
const records = [];
for (const ds of datasets) {
  const loaded = arms.includes('optuna') ? await loadNamedSpace(ds) : undefined;
  for (let s = 0; s < seeds; s++) {
    const seed = 100 + s;
    for (const arm of arms) {
      const t0 = Date.now();
      const r = arm === 'optuna' ? await optunaSearch(loaded, seed) : cliSearch(ds, arm, seed);
      const rec = {
        dataset: ds,
        arm,
        seed,
        trials: r.n,
        best: r.best,
        distinct: r.distinct_,
        seconds: (Date.now() - t0) / 1000,
      };
      records.push(rec);
      console.error(JSON.stringify(rec));
    }
  }
}

const LABEL = {
  batch1: 'tpe, batch 1',
  batch4: 'tpe, batch 4',
  before: 'tpe before: batch 4, no liar, repeats',
  'batch1-repeats': 'tpe, batch 1, repeats (distinct off)',
  'batch4-liar': 'tpe, batch 4, liar only (distinct off)',
  optuna: 'Optuna TPE (sequential)',
};
console.log(
  `node bench/tpe-batch.mjs --datasets ${datasets.join(',')} --seeds ${seeds} --trials ${trials} --arms ${arms.join(',')}\n`,
);
console.log('| dataset | search | best reward | distinct configurations | per seed (best / distinct) |');
console.log('|---|---|---|---|---|');
for (const ds of datasets)
  for (const arm of arms) {
    const rs = records.filter((r) => r.dataset === ds && r.arm === arm);
    const per = rs.map((r) => `${r.best.toFixed(4)} / ${r.distinct}`).join(', ');
    console.log(
      `| ${ds} | ${LABEL[arm]} | ${mean(rs.map((r) => r.best)).toFixed(4)} ± ${sd(rs.map((r) => r.best)).toFixed(4)} | ${mean(rs.map((r) => r.distinct)).toFixed(1)} (${Math.min(...rs.map((r) => r.distinct))}–${Math.max(...rs.map((r) => r.distinct))}) | ${per} |`,
    );
  }
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify({ datasets, arms, seeds, trials, records }, null, 2)}\n`);
