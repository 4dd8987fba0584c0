#!/usr/bin/env node
// How good are the searches, controller against controller? Runs real searches through the CLI and prints a markdown
// block for docs/search-quality.md (and, with --json, every search's record).
//   node bench/search-quality.mjs [--controllers reinforce,random] [--trials 40,100] [--seeds 5]
//     [--datasets synthetic,frappe,movielens,adult] [--workers 2] [--db FILE] [--json FILE]
// Needs a build (npm run build); real datasets the example spaces point at are skipped when absent.
// Controller names go to `embnas run --controller` as they are; `oneshot` (or `oneshot-<controller>`, default
// reinforce) runs `--mode oneshot` once per seed (its trials are the space's finalists, whatever --trials says) and
// records the supernet phase's steps and seconds too. Per (dataset, controller, seed) one search runs to the
// smallest trial count, is recorded, then resumed to each larger count: with a deterministic controller the shorter
// search is a prefix of the longer one, so each extra count costs only its extra trials. Per recorded search: the
// best trial's reward, valid AUC, memory and dims, the wall clock so far, and the test AUC of the best retrained on
// train + valid (`embnas export --retrain`). On synthetic data also whether the noise fields got the smallest
// candidate and the informative ones a dim within one candidate of their planted truth.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from '../dist/store/sqlite/sqlite-connection.js';
import { arg, fromDist } from './lib.mjs';
import { plantedChecks, summaryLines } from './search-quality-report.mjs';

const list = (name, dflt) =>
  arg(name, dflt)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
const controllers = list('controllers', 'reinforce,random');
const trialCounts = list('trials', '40,100')
  .map(Number)
  .sort((a, b) => a - b);
const seeds = Number(arg('seeds', '5'));
const datasets = list('datasets', 'synthetic,frappe,movielens,adult');
const workers = arg('workers', '2');
const work = mkdtempSync(path.join(tmpdir(), 'embnas-quality-'));
const db = arg('db', path.join(work, 'quality.db'));
const jsonOut = arg('json', undefined);
const cli = path.resolve('dist/cli/main.js');
if (trialCounts.some((n) => !Number.isInteger(n) || n < 1) || !(seeds >= 1)) {
  console.error('--trials takes positive integers (e.g. 40,100) and --seeds a positive integer: fix the flags');
  process.exit(1);
}
const { loadSpace } = await fromDist('space/load-space.js');
const { syntheticSpecOf } = await fromDist('data/synthetic.js');

function cliRun(args, what) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [cli, ...args, '--db', db], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  if (r.status !== 0) throw new Error(`${what}: embnas ${args.join(' ')} failed:\n${r.stderr}`);
  return { seconds: (Date.now() - t0) / 1000, stdout: r.stdout };
}

/** The best completed trial of search `name` (ties: the earliest). */
function best(name) {
  const conn = connect(db, { readonly: true });
  try {
    const row = conn
      .prepare(
        `SELECT t.number, t.reward, t.valid_auc AS auc, t.memory_bytes AS mem, t.config FROM trials t JOIN searches s ON s.id = t.search_id
                WHERE s.name = ? AND t.status = 'completed' ORDER BY t.reward DESC, t.number LIMIT 1`,
      )
      .get(name);
    return {
      trial: row.number,
      reward: row.reward,
      validAuc: row.auc,
      memoryBytes: row.mem,
      dims: Object.fromEntries(JSON.parse(row.config).fields.map((f) => [f.name, f.dim])),
    };
  } finally {
    conn.close();
  }
}

/** Finished trials of search `name` (a one-shot search's finalists). */
function finishedTrials(name) {
  const conn = connect(db, { readonly: true });
  try {
    return conn
      .prepare(
        `SELECT count(*) AS n FROM trials t JOIN searches s ON s.id = t.search_id WHERE s.name = ? AND t.status IN ('completed', 'failed')`,
      )
      .get(name).n;
  } finally {
    conn.close();
  }
}

/** The supernet phase of one-shot search `name`: steps, seconds, and the policy's choice (the first ranked). */
function oneShotPhase(name) {
  const conn = connect(db, { readonly: true });
  try {
    const row = conn
      .prepare(
        `SELECT e.payload FROM events e JOIN searches s ON s.id = e.search_id WHERE s.name = ? AND e.kind = 'oneshot_finished'`,
      )
      .get(name);
    const p = JSON.parse(row.payload);
    return {
      steps: p.steps,
      seconds: p.seconds,
      first: Object.fromEntries(p.ranked[0].proposal.fields.map((f) => [f.name, f.dim])),
    };
  } finally {
    conn.close();
  }
}

/** The data files a space reads, or [] for synthetic data; missing ones mean the dataset is skipped. */
function missingData(loaded) {
  const p = loaded.space.data.path;
  if (p === undefined) return [];
  return (Array.isArray(p) ? p : [p]).map((f) => path.resolve(loaded.baseDir, f)).filter((f) => !existsSync(f));
}

const records = [];
const skipped = [];
for (const ds of datasets) {
  const spaceFile = `search-spaces/${ds}.yaml`;
  if (!existsSync(spaceFile)) throw new Error(`no ${spaceFile}: --datasets names files of search-spaces/`);
  const loaded = loadSpace(spaceFile);
  const missing = missingData(loaded);
  if (missing.length > 0) {
    console.error(`skipping ${ds}: ${missing[0]} is absent`);
    skipped.push({ dataset: ds, missing: missing[0] });
    continue;
  }
  const planted =
    loaded.space.data.format === 'synthetic'
      ? { spec: syntheticSpecOf(loaded.space.data), features: loaded.space.features }
      : undefined;
  for (const controller of controllers) {
    for (let s = 0; s < seeds; s++) {
      const name = `${ds}-${controller}-${s}`;
      let wall = 0;
      const tested = new Map(); // trial number → test AUC, so an unchanged best is retrained once
      const oneShot = controller.startsWith('oneshot');
      for (const [i, n] of (oneShot ? [undefined] : trialCounts).entries()) {
        const kind = oneShot
          ? ['--mode', 'oneshot', '--controller', controller.split('-')[1] ?? 'reinforce']
          : ['--mode', 'pertrial', '--controller', controller, '--trials', String(n)];
        const args =
          i === 0
            ? ['run', spaceFile, '--name', name, '--seed', String(100 + s), ...kind]
            : ['resume', name, '--trials', String(n)];
        wall += cliRun([...args, '--workers', workers, '--no-tui'], name).seconds;
        const b = best(name);
        if (!tested.has(b.trial)) {
          const modelDir = path.join(work, `${name}-trial${b.trial}-model`);
          const out = cliRun(
            ['export', name, '--retrain', '--trial', String(b.trial), '--model-dir', modelDir, '--json'],
            `${name} retrain`,
          );
          tested.set(b.trial, JSON.parse(out.stdout).test.auc);
        }
        const trials = n ?? finishedTrials(name);
        const rec = {
          dataset: ds,
          controller,
          seed: 100 + s,
          trials,
          ...(oneShot ? { oneShot: oneShotPhase(name) } : {}),
          resumedFrom: i === 0 ? null : trialCounts[i - 1],
          wallSeconds: wall,
          ...b,
          testAuc: tested.get(b.trial),
        };
        if (planted) Object.assign(rec, plantedChecks(b.dims, planted));
        records.push(rec);
        console.error(JSON.stringify(rec));
      }
    }
  }
}

const command = `node bench/search-quality.mjs --controllers ${controllers.join(',')} --trials ${trialCounts.join(',')} --seeds ${seeds} --datasets ${datasets.join(',')} --workers ${workers}`;
console.log(summaryLines({ records, skipped, command, date: new Date().toISOString().slice(0, 10) }).join('\n'));
if (jsonOut)
  writeFileSync(
    jsonOut,
    `${JSON.stringify({ command, controllers, trials: trialCounts, seeds, workers: Number(workers), skipped, records }, null, 2)}\n`,
  );
