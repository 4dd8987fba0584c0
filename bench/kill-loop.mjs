#!/usr/bin/env node
// Stops a search at random moments, again and again — SIGKILL, or SIGINT / SIGTERM, from the first milliseconds of
// the process on — and starts it again each time: `embnas resume`, or the same `embnas run` command while the search
// has no completed trial (or does not exist yet, after a kill before its row was written). Then checks that the
// database is intact, that the search ends with exactly its budget of trials, each number once, and that its trials
// and results (and a one-shot search's ranked finalists) are exactly those of an uninterrupted run of the same space.
// With --fresh, every round starts a new search in a new database instead, stops it (the first second: before or
// just after its row is written), then runs the same `embnas run` command again to the end and compares that.
//   node bench/kill-loop.mjs [--rounds 20] [--space test/fixtures/tiny-synthetic.yaml] [--trials N]
//                            [--min-delay 300] [--max-delay 6000] [--signals KILL] (e.g. KILL,INT,TERM) [--fresh]
// Needs a build (npm run build). Prints one JSON line; exits 1 if any check fails.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from '../dist/store/sqlite/sqlite-connection.js';
import { arg } from './lib.mjs';

const rounds = Number(arg('rounds', '20'));
const space = arg('space', 'test/fixtures/tiny-synthetic.yaml');
const trials = arg('trials', undefined);
const cli = path.resolve('dist/cli/main.js');
const db = path.join(mkdtempSync(path.join(tmpdir(), 'embnas-kill-loop-')), 'kill.db');
const seedrandom = (await import('seedrandom')).default;
const rng = seedrandom('kill-loop');
const minDelay = Number(arg('min-delay', '300'));
const maxDelay = Number(arg('max-delay', '6000'));
const signals = arg('signals', 'KILL')
  .split(',')
  .map((s) => `SIG${s.trim().toUpperCase()}`);
const { loadSpace } = await import(new URL('../dist/space/load-space.js', import.meta.url).href);
const loaded = loadSpace(space);
const name = loaded.space.name ?? path.basename(space).replace(/\.ya?ml$/, '');
const runArgs = ['run', space, '--db', db, '--no-tui', ...(trials ? ['--trials', trials] : [])];
// Exit codes a stopped process may end with: killed (no code), stopped by the signal, or finished before it (0).
const EXPECTED = { SIGKILL: [null, 0], SIGINT: [null, 130, 0], SIGTERM: [null, 143, 0] };

if (process.argv.includes('--fresh')) await freshLoop();

const failures = [];
const tally = { firstSecond: 0, noRowAfter: 0, viaRun: 0, viaResume: 0, bySignal: {}, finishedAtRound: null };
const t0 = Date.now();
for (let round = 0; round < rounds; round++) {
  const state = searchState();
  // The same `run` command continues a search with no completed trial; half the time such a search is resumed instead.
  const rerun = !state || (state.completed === 0 && state.status !== 'finished' && rng() < 0.5);
  const args = rerun ? runArgs : ['resume', name, '--db', db, '--no-tui'];
  tally[rerun ? 'viaRun' : 'viaResume']++;
  const child = spawn(process.execPath, [cli, ...args], { stdio: 'ignore' });
  const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
  const delay = minDelay + rng() * (maxDelay - minDelay);
  const sig = signals[Math.floor(rng() * signals.length)];
  const timer = setTimeout(() => child.kill(sig), delay);
  const { code } = await exited;
  clearTimeout(timer);
  if (delay < 1000) tally.firstSecond++;
  tally.bySignal[sig] = (tally.bySignal[sig] ?? 0) + 1;
  if (!(EXPECTED[sig] ?? [null]).includes(code))
    failures.push(`round ${round} (${sig} at ${delay.toFixed(0)} ms): exit ${code}`);
  const after = searchState();
  if (!after) tally.noRowAfter++;
  if (after?.status === 'finished' && tally.finishedAtRound === null) tally.finishedAtRound = round;
  if (!existsSync(db)) continue; // killed before the database was created
  const conn = connect(db, { readonly: true, fileMustExist: true });
  const ok = conn.pragma('integrity_check', { simple: true });
  conn.close();
  if (ok !== 'ok') failures.push(`round ${round}: integrity_check ${ok}`);
}
const loopSeconds = (Date.now() - t0) / 1000;

/** The search's status and completed trials, or null while it has no row. */
function searchState() {
  if (!existsSync(db)) return null;
  const conn = connect(db, { readonly: true, fileMustExist: true });
  try {
    if (conn.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'searches'").get().n === 0) return null;
    const s = conn.prepare('SELECT id, status FROM searches').get();
    if (!s) return null;
    const completed = conn
      .prepare("SELECT count(*) AS n FROM trials WHERE search_id = ? AND status = 'completed'")
      .get(s.id).n;
    return { status: s.status, completed };
  } finally {
    conn.close();
  }
}

const finalArgs = searchState() ? ['resume', name, '--db', db, '--no-tui'] : runArgs;
const final = spawnSync(process.execPath, [cli, ...finalArgs], { encoding: 'utf8' });
if (final.status !== 0) failures.push(`final resume: exit ${final.status}: ${final.stderr.trim()}`);
const conn = connect(db, { readonly: true });
const rows = conn.prepare('SELECT number, status FROM trials ORDER BY number').all();
const budget = conn.prepare('SELECT trials_budget AS n FROM searches').get().n;
conn.close();
const numbers = rows.map((r) => r.number);
if (rows.length !== budget) failures.push(`expected ${budget} trials, found ${rows.length}`);
if (numbers.some((n, i) => n !== i)) failures.push(`trial numbers not 0..${budget - 1}: ${numbers.join(',')}`);
if (rows.some((r) => r.status !== 'completed')) failures.push('some trials are not completed');
// The same space run once without interruption: the stopped search must end exactly like it.
const refDb = path.join(path.dirname(db), 'reference.db');
const ref = spawnSync(process.execPath, [cli, ...runArgs.map((a) => (a === db ? refDb : a))], { encoding: 'utf8' });
if (ref.status !== 0) failures.push(`reference run: exit ${ref.status}: ${ref.stderr.trim()}`);
const outcome = (file) => {
  const c = connect(file, { readonly: true });
  try {
    const trials = c
      .prepare('SELECT number, status, seed, config, valid_auc, memory_bytes, reward FROM trials ORDER BY number')
      .all();
    const ev = c.prepare("SELECT payload FROM events WHERE kind = 'oneshot_finished'").get();
    const oneShot = ev ? (({ seconds: _s, ...rest }) => rest)(JSON.parse(ev.payload)) : null;
    return JSON.stringify({ trials, oneShot });
  } finally {
    c.close();
  }
};
const same = ref.status === 0 && outcome(db) === outcome(refDb);
if (ref.status === 0 && !same) failures.push('the stopped and resumed search differs from the uninterrupted run');
console.log(
  JSON.stringify({
    space,
    rounds,
    minDelay,
    maxDelay,
    signals,
    ...tally,
    loopSeconds,
    trials: rows.length,
    budget,
    sameAsUninterrupted: same,
    ok: failures.length === 0,
    failures,
  }),
);
process.exitCode = failures.length === 0 ? 0 : 1;

/** --fresh: a stop in the first moments of a new search, then the same `run` command to the end (see the header). */
async function freshLoop() {
  const dir = path.dirname(db);
  const refDb = path.join(dir, 'reference.db');
  const argsFor = (file) => runArgs.map((a) => (a === db ? file : a));
  const ref = spawnSync(process.execPath, [cli, ...argsFor(refDb)], { encoding: 'utf8' });
  const want = ref.status === 0 ? fullOutcome(refDb) : null;
  const failures = ref.status === 0 ? [] : [`reference run: exit ${ref.status}: ${ref.stderr.trim()}`];
  const tally = { noDbAfter: 0, noRowAfter: 0, rowAfter: 0, bySignal: {}, same: 0 };
  const t0 = Date.now();
  for (let round = 0; round < rounds && want; round++) {
    const file = path.join(dir, `fresh-${round}.db`);
    const child = spawn(process.execPath, [cli, ...argsFor(file)], { stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', (code) => r(code)));
    const delay = minDelay + rng() * (maxDelay - minDelay);
    const sig = signals[Math.floor(rng() * signals.length)];
    const timer = setTimeout(() => child.kill(sig), delay);
    const code = await exited;
    clearTimeout(timer);
    tally.bySignal[sig] = (tally.bySignal[sig] ?? 0) + 1;
    if (!(EXPECTED[sig] ?? [null]).includes(code))
      failures.push(`round ${round} (${sig} at ${delay.toFixed(0)} ms): exit ${code}`);
    const rowExists =
      existsSync(file) &&
      (() => {
        const c = connect(file, { readonly: true, fileMustExist: true });
        try {
          return (
            c.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'searches'").get().n > 0 &&
            c.prepare('SELECT count(*) AS n FROM searches').get().n > 0
          );
        } finally {
          c.close();
        }
      })();
    tally[!existsSync(file) ? 'noDbAfter' : rowExists ? 'rowAfter' : 'noRowAfter']++;
    const again = spawnSync(process.execPath, [cli, ...argsFor(file)], { encoding: 'utf8' });
    if (again.status !== 0)
      failures.push(`round ${round}: the same run command again: exit ${again.status}: ${again.stderr.trim()}`);
    else if (fullOutcome(file) !== want) failures.push(`round ${round}: differs from the uninterrupted run`);
    else tally.same++;
  }
  console.log(
    JSON.stringify({
      fresh: true,
      space,
      rounds,
      minDelay,
      maxDelay,
      signals,
      ...tally,
      loopSeconds: (Date.now() - t0) / 1000,
      ok: failures.length === 0,
      failures,
    }),
  );
  process.exit(failures.length === 0 ? 0 : 1);
}

function fullOutcome(file) {
  const c = connect(file, { readonly: true });
  try {
    return JSON.stringify(
      c
        .prepare('SELECT number, status, seed, config, valid_auc, memory_bytes, reward FROM trials ORDER BY number')
        .all(),
    );
  } finally {
    c.close();
  }
}
