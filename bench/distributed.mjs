#!/usr/bin/env node
// How much faster does a search get with more `embnas worker` processes? One seeded search on PostgreSQL, driven by
// `embnas run --workers 0` (it only drives) and trained by 1, 2 and 4 workers of one thread each, against the same
// search in one process on SQLite with 1 and 2 threads — the peer a user without a database server has. Every setup
// must end with the same trials and results (fixed batches, one seed); a setup that does not is marked in the table.
// The server is a throwaway cluster (initdb / pg_ctl under /usr/lib/postgresql/*/bin; as the `postgres` user when
// run as root) unless EMBNAS_BENCH_PG_URL names one whose user may CREATE DATABASE.
//   npm run build && node bench/distributed.mjs [--trials 24] [--batch 8] [--rows 120000] [--epochs 2]
//                                               [--workers 1,2,4] [--backend wasm] [--repeat 1]
// --repeat R runs every setup R times, interleaved, and keeps each one's fastest round (a shared machine's noise).
// Prints the CPU, the load average before and after, and a markdown table; exits 1 if a setup's trials differ. Its
// last columns are the cores the setup's processes kept busy on average, and the cores busy with anything else
// meanwhile (other users, the database server): on a shared machine, a row with busy "others" is not a clean one.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { arg, fromDist } from './lib.mjs';

const trials = Number(arg('trials', '24'));
const batch = Number(arg('batch', '8'));
const rows = Number(arg('rows', '120000'));
const epochs = Number(arg('epochs', '2'));
const backend = arg('backend', 'wasm');
const workerCounts = arg('workers', '1,2,4').split(',').map(Number);
const repeat = Number(arg('repeat', '1'));
const { openStore } = await fromDist('store/index.js');
const cli = path.resolve('dist/cli/main.js');
const dir = mkdtempSync(path.join(tmpdir(), 'embnas-bench-dist-'));
const space = path.join(dir, 'space.yaml');
writeFileSync(
  space,
  `name: bench
data:
  format: synthetic
  synthetic: { rows: ${rows}, seed: 3 }
  split: { valid: 0.2, test: 0.1, seed: 1 }
  cache: false
features:
  dims: [0, 2, 4, 8, 16]
  normBudgets: [0, 1.0e-3]
model: { tower: [64, 32], optimizer: adam, lr: 0.005, batchSize: 256, epochs: ${epochs} }
reward: { form: hinge, budgetMB: 0.1, lambda: 0.05 }
search: { controller: reinforce, trials: ${trials}, seed: 11, batch: ${batch}, reinforce: { warmup: ${batch} } }
`,
);

/** A throwaway PostgreSQL cluster: trust authentication, a free port on 127.0.0.1, fsync off. */
async function startCluster() {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))[0]
    : undefined;
  if (!version) throw new Error('no PostgreSQL: apt-get install postgresql, or set EMBNAS_BENCH_PG_URL');
  const bin = path.join(root, version, 'bin');
  // Its own temp dir, not inside `dir`: the postgres user must be able to reach it.
  const home = mkdtempSync(path.join(tmpdir(), 'embnas-bench-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(home, ...['-u', '-g'].map((f) => Number(execFileSync('id', [f, 'postgres']).toString())));
  const as = asRoot ? ['runuser', '-u', 'postgres', '--'] : [];
  const tool = (name, args) => {
    const [command, ...rest] = [...as, path.join(bin, name), ...args];
    execFileSync(command, rest, { stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 });
  };
  const port = await new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
  const data = path.join(home, 'data');
  tool('initdb', ['-D', data, '-U', 'embnas', '-A', 'trust', '-E', 'UTF8', '--no-locale', '-N']);
  const opts = `-p ${port} -k ${home} -c listen_addresses=127.0.0.1 -F -c max_connections=50`;
  tool('pg_ctl', ['-D', data, '-l', path.join(home, 'log'), '-w', '-o', opts, 'start']);
  const stop = () => {
    tool('pg_ctl', ['-D', data, '-m', 'fast', 'stop']);
    rmSync(home, { recursive: true, force: true });
  };
  return { url: `postgresql://embnas@127.0.0.1:${port}/postgres`, stop };
}

async function admin(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function start(args) {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, CI: 'true' }, stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  const exit = new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
  return { child, exit };
}

/** Busy and total CPU ticks of the whole machine so far (/proc/stat). */
function machineTicks() {
  const [, ...t] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = t[3] + t[4];
  return { busy: t.slice(0, 8).reduce((a, b) => a + b, 0) - idle, total: t.slice(0, 8).reduce((a, b) => a + b, 0) };
}

/** CPU ticks (user + system, all threads) a live process has used; 0 once it is gone. */
function processTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

async function storedTrials(db) {
  const store = await openStore(db);
  try {
    const [search] = await store.listSearches();
    const list = await store.listTrials(search.id, { orderBy: 'number' });
    const seconds = list.filter((t) => !t.cacheHit).map((t) => (t.finishedAt - t.startedAt) / 1000);
    const outcome = list.map((t) => ({
      status: t.status,
      config: t.config,
      auc: t.result?.validAuc,
      reward: t.reward,
    }));
    return { outcome, median: seconds.sort((a, b) => a - b)[Math.floor(seconds.length / 2)] };
  } finally {
    await store.close();
  }
}

/**
 * One setup: `remote` worker processes and a driver run with `threads` worker threads of its own; its wall time
 * (from the first process started to the driver's exit) and the trials it stored.
 */
async function measure(label, db, remote, threads) {
  const t0 = performance.now();
  const procs = Array.from({ length: remote }, () =>
    start(['worker', '--db', db, '--search', 'bench', '--workers', '1', '--backend', backend]),
  );
  const driver = start(['run', space, '--db', db, '--backend', backend, '--no-tui', '--workers', String(threads)]);
  // What the machine did meanwhile, and how much of it was ours: the rest is other people's work (and the server's).
  const m0 = machineTicks();
  const ours = new Map();
  const sample = setInterval(() => {
    for (const { child } of [...procs, driver])
      ours.set(child.pid, Math.max(ours.get(child.pid) ?? 0, processTicks(child.pid)));
  }, 200);
  const d = await driver.exit;
  const wall = (performance.now() - t0) / 1000;
  clearInterval(sample);
  const m1 = machineTicks();
  const cores = ((m1.busy - m0.busy) / (m1.total - m0.total)) * cpus().length;
  const ourCores = [...ours.values()].reduce((a, b) => a + b, 0) / 100 / wall;
  for (const p of procs) {
    const w = await p.exit;
    if (w.code !== 0) throw new Error(`${label}: a worker exited ${w.code}: ${w.stderr}`);
  }
  if (d.code !== 0) throw new Error(`${label}: the driver exited ${d.code}: ${d.stderr}`);
  const { outcome, median } = await storedTrials(db);
  return { label, wall, trials: outcome, median, ourCores, otherCores: Math.max(0, cores - ourCores) };
}

async function onPostgres(setup, round) {
  const name = `embnas_bench_${process.pid}_${round}_${setup.remote}`;
  await admin(server.url, `CREATE DATABASE ${name}`);
  const u = new URL(server.url);
  u.pathname = `/${name}`;
  try {
    return await measure(setup.label, u.toString(), setup.remote, 0);
  } finally {
    await admin(server.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

function onSqlite(setup, round) {
  return measure(setup.label, path.join(dir, `${round}-${setup.threads}.db`), 0, setup.threads);
}

/** Every trial completed, with the trials and results of the first setup measured. */
let reference;
function sameAsFirst(r) {
  reference ??= JSON.stringify(r.trials);
  r.same = JSON.stringify(r.trials) === reference && r.trials.every((t) => t.status === 'completed');
  return r.same;
}

const cpu = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.+)/) ?? [])[1] ?? 'unknown';
const cores = (readFileSync('/proc/cpuinfo', 'utf8').match(/^processor\s*:/gm) ?? []).length;
const loadBefore = loadavg();
const server = process.env.EMBNAS_BENCH_PG_URL
  ? { url: process.env.EMBNAS_BENCH_PG_URL }
  : await startCluster().catch((e) => {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    });
const setups = [
  ...workerCounts.map((n) => ({ label: `PostgreSQL, ${n} worker${n > 1 ? 's' : ''}`, remote: n, threads: 0 })),
  ...[1, 2].map((n) => ({ label: `SQLite, one process, --workers ${n}`, remote: 0, threads: n })),
];
// Each setup's fastest of --repeat rounds (the setups interleaved, so that a burst of other work hits one round).
const best = new Map();
let differ = false;
try {
  for (let round = 0; round < repeat; round++) {
    for (const setup of setups) {
      const r = await (setup.remote > 0 ? onPostgres(setup, round) : onSqlite(setup, round));
      differ ||= !sameAsFirst(r);
      if (!best.has(setup.label) || r.wall < best.get(setup.label).wall) best.set(setup.label, r);
    }
  }
} finally {
  server.stop?.();
  rmSync(dir, { recursive: true, force: true });
}
const runs = setups.map((s) => best.get(s.label));
const loadAfter = loadavg();

const fmt = (l) => l.map((x) => x.toFixed(2)).join(', ');
console.log(`CPU: ${cpu} (${cores} logical cores), node ${process.version}, backend ${backend}`);
console.log(`load average (1, 5, 15 min): before ${fmt(loadBefore)}; after ${fmt(loadAfter)}`);
console.log(`search: ${trials} trials, batch ${batch}, synthetic ${rows} rows, ${epochs} epochs; best of ${repeat}\n`);
console.log('| setup | trials | wall s | trials/min | × 1 worker | median trial s | cores: ours | others |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
const base = trials / (runs[0].wall / 60);
for (const r of runs) {
  const rate = r.trials.length / (r.wall / 60);
  const note = r.same ? '' : ' (trials differ!)';
  console.log(
    `| ${r.label}${note} | ${r.trials.length} | ${r.wall.toFixed(1)} | ${rate.toFixed(1)} | ${(rate / base).toFixed(2)} ` +
      `| ${r.median.toFixed(2)} | ${r.ourCores.toFixed(2)} | ${r.otherCores.toFixed(2)} |`,
  );
}
if (differ) process.exit(1);
