#!/usr/bin/env node
// Kills a search with SIGKILL at random moments, again and again, resuming it each time; then checks that the
// database is intact and that the search ends with exactly its budget of trials, each number once.
//   node bench/kill-loop.mjs [--rounds 20] [--space test/fixtures/tiny-synthetic.yaml]
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

const failures = [];
for (let round = 0; round < rounds; round++) {
  const started = existsSync(db) && searchExists();
  const args = started ? ['resume', 'tiny', '--db', db, '--no-tui'] : ['run', space, '--db', db, '--no-tui'];
  const child = spawn(process.execPath, [cli, ...args], { stdio: 'ignore' });
  const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
  const delay = 300 + rng() * 6000;
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

const finalArgs = existsSync(db) && searchExists() ? ['resume', 'tiny'] : ['run', space];
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
console.log(JSON.stringify({ rounds, trials: rows.length, budget, ok: failures.length === 0, failures }));
process.exit(failures.length === 0 ? 0 : 1);
