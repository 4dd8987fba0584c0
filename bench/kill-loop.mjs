#!/usr/bin/env node
// Kills a search with SIGKILL at random moments, again and again, resuming it each time; then checks that the
// database is intact, that the search ends with exactly its budget of trials, each number once, and that its trials
// and results (and a one-shot search's ranked finalists) are exactly those of an uninterrupted run of the same space.
//   node bench/kill-loop.mjs [--rounds 20] [--space test/fixtures/tiny-synthetic.yaml] [--max-delay 6000]
// Needs a build (npm run build). Prints one JSON line; exits 1 if any check fails.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { arg } from './lib.mjs';

const rounds = Number(arg('rounds', '20'));
const space = arg('space', 'test/fixtures/tiny-synthetic.yaml');
const cli = path.resolve('dist/cli/main.js');
const db = path.join(mkdtempSync(path.join(tmpdir(), 'embnas-kill-loop-')), 'kill.db');
const seedrandom = (await import('seedrandom')).default;
const rng = seedrandom('kill-loop');
const maxDelay = Number(arg('max-delay', '6000'));
const { loadSpace } = await import(new URL('../dist/space/load-space.js', import.meta.url).href);
const loaded = loadSpace(space);
const name = loaded.space.name ?? path.basename(space).replace(/\.ya?ml$/, '');

const failures = [];
for (let round = 0; round < rounds; round++) {
  const started = existsSync(db) && searchExists();
  const args = started ? ['resume', name, '--db', db, '--no-tui'] : ['run', space, '--db', db, '--no-tui'];
  const child = spawn(process.execPath, [cli, ...args], { stdio: 'ignore' });
  const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
  const delay = 300 + rng() * maxDelay;
  const timer = setTimeout(() => child.kill('SIGKILL'), delay);
  const { code, signal } = await exited;
  clearTimeout(timer);
  if (signal !== 'SIGKILL' && code !== 0) failures.push(`round ${round}: exit ${code}`);
  if (!existsSync(db)) continue; // killed before the database was created
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  const ok = conn.pragma('integrity_check', { simple: true });
  conn.close();
  if (ok !== 'ok') failures.push(`round ${round}: integrity_check ${ok}`);
}
function searchExists() {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return conn.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'searches'").get().n > 0 &&
      conn.prepare('SELECT count(*) AS n FROM searches').get().n > 0;
  } finally {
    conn.close();
  }
}

const finalArgs = existsSync(db) && searchExists() ? ['resume', name] : ['run', space];
const final = spawnSync(process.execPath, [cli, ...finalArgs, '--db', db, '--no-tui'], { encoding: 'utf8' });
if (final.status !== 0) failures.push(`final resume: exit ${final.status}: ${final.stderr.trim()}`);
const conn = new Database(db, { readonly: true });
const rows = conn.prepare('SELECT number, status FROM trials ORDER BY number').all();
const budget = conn.prepare('SELECT trials_budget AS n FROM searches').get().n;
conn.close();
const numbers = rows.map((r) => r.number);
if (rows.length !== budget) failures.push(`expected ${budget} trials, found ${rows.length}`);
if (numbers.some((n, i) => n !== i)) failures.push(`trial numbers not 0..${budget - 1}: ${numbers.join(',')}`);
if (rows.some((r) => r.status !== 'completed')) failures.push('some trials are not completed');
// The same space run once without interruption: the killed search must end exactly like it.
const refDb = path.join(path.dirname(db), 'reference.db');
const ref = spawnSync(process.execPath, [cli, 'run', space, '--db', refDb, '--no-tui'], { encoding: 'utf8' });
if (ref.status !== 0) failures.push(`reference run: exit ${ref.status}: ${ref.stderr.trim()}`);
const outcome = (file) => {
  const c = new Database(file, { readonly: true });
  try {
    const trials = c.prepare('SELECT number, status, seed, config, valid_auc, memory_bytes, reward FROM trials ORDER BY number').all();
    const ev = c.prepare("SELECT payload FROM events WHERE kind = 'oneshot_finished'").get();
    const oneShot = ev ? (({ seconds: _s, ...rest }) => rest)(JSON.parse(ev.payload)) : null;
    return JSON.stringify({ trials, oneShot });
  } finally {
    c.close();
  }
};
const same = ref.status === 0 && outcome(db) === outcome(refDb);
if (ref.status === 0 && !same) failures.push('the killed and resumed search differs from the uninterrupted run');
console.log(JSON.stringify({ space, rounds, trials: rows.length, budget, sameAsUninterrupted: same, ok: failures.length === 0, failures }));
process.exit(failures.length === 0 ? 0 : 1);
