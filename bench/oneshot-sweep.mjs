#!/usr/bin/env node
// How does a one-shot search's result move with the supernet's training length and the controller's update
// interval? Runs `embnas run --mode oneshot` end to end (supernet phase + finalists) for each setting of
// search.oneshot listed below on copies of the example spaces, and prints one JSON line per search and a markdown
// table of mean ± sd of the best reward and wall clock per setting.
//   node bench/oneshot-sweep.mjs [--sweep length|control|sandwich|finalists] [--datasets synthetic,adult] [--seeds 3] [--workers 2]
// Settings: the default (4 epochs of supernet training, 1 of them warm-up; 100 rounds of 8 proposals); the supernet
// trained 2 or 8 epochs; the controller updated twice or half as often at the same length (200 or 50 rounds, so
// also twice or half as many proxy rewards). With --sweep control: the controller (random, tpe, reinforce with its
// per-trial settings) and what the training batches sample; --sweep sandwich: uniform against sandwich training;
// --sweep finalists: 4 finalists against 8. Needs a build (npm run build).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from '../dist/store/sqlite/sqlite-connection.js';
import { parse, stringify } from 'yaml';
import { arg } from './lib.mjs';

const datasets = arg('datasets', 'synthetic,adult')
  .split(',')
  .filter((x) => x !== '');
const seeds = Number(arg('seeds', '3'));
const workers = arg('workers', '2');
const work = mkdtempSync(path.join(tmpdir(), 'embnas-sweep-'));
const db = path.join(work, 'sweep.db');
const cli = path.resolve('dist/cli/main.js');
const LENGTH = {
  default: {},
  'supernet 2 epochs': { oneshot: { epochs: 2 } },
  'supernet 8 epochs': { oneshot: { epochs: 8 } },
  'controller updated 2× as often (200 rounds)': { oneshot: { rounds: 200 } },
  'controller updated ½ as often (50 rounds)': { oneshot: { rounds: 50 } },
};
const CONTROL = {
  default: {},
  'random controller': { search: { controller: 'random' } },
  'tpe controller': { search: { controller: 'tpe' } },
  'reinforce, per-trial settings': { search: { reinforce: { lr: 1, epochs: 20, entropyHalfLife: 100 } } },
  'policy-sampled training': { oneshot: { trainSampling: 'policy' } },
  'sandwich training': { oneshot: { trainSampling: 'sandwich' } },
};
const SANDWICH = { default: {}, 'sandwich training': { oneshot: { trainSampling: 'sandwich' } } };
const FINALISTS = { default: {}, '8 finalists': { search: { finalists: 8 } } };
const SETTINGS = { length: LENGTH, control: CONTROL, sandwich: SANDWICH, finalists: FINALISTS }[arg('sweep', 'length')];
if (!SETTINGS) throw new Error('--sweep takes length, control, sandwich or finalists');

/** A copy of search-spaces/<ds>.yaml with absolute data paths and `oneshot` merged into search.oneshot. */
function spaceCopy(ds, label, { oneshot = {}, search = {} }) {
  const file = path.resolve(`search-spaces/${ds}.yaml`);
  const doc = parse(readFileSync(file, 'utf8'));
  const abs = (p) => path.resolve(path.dirname(file), p);
  if (doc.data.path !== undefined)
    doc.data.path = Array.isArray(doc.data.path) ? doc.data.path.map(abs) : abs(doc.data.path);
  doc.search = { ...doc.search, ...search, mode: 'oneshot', oneshot: { ...(doc.search?.oneshot ?? {}), ...oneshot } };
  delete doc.name;
  const out = path.join(work, `${ds}-${label.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
  writeFileSync(out, stringify(doc));
  return out;
}

function best(name) {
  const conn = connect(db, { readonly: true });
  try {
    const row = conn
      .prepare(
        `SELECT t.reward, t.config FROM trials t JOIN searches s ON s.id = t.search_id WHERE s.name = ? AND t.status = 'completed' ORDER BY t.reward DESC, t.number LIMIT 1`,
      )
      .get(name);
    const ev = conn
      .prepare(
        `SELECT e.payload FROM events e JOIN searches s ON s.id = e.search_id WHERE s.name = ? AND e.kind = 'oneshot_finished'`,
      )
      .get(name);
    return {
      reward: row.reward,
      dims: JSON.parse(row.config)
        .fields.map((f) => `${f.name}:${f.dim}`)
        .join(' '),
      supernetSeconds: JSON.parse(ev.payload).seconds,
    };
  } finally {
    conn.close();
  }
}

const mean = (xs) => xs.reduce((a, x) => a + x, 0) / xs.length;
const sd = (xs) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
const lines = ['| dataset | setting | best reward | supernet (s) | wall (s) |', '|---|---|---|---|---|'];
for (const ds of datasets) {
  if (!existsSync(`search-spaces/${ds}.yaml`)) throw new Error(`no search-spaces/${ds}.yaml`);
  for (const [label, setting] of Object.entries(SETTINGS)) {
    const space = spaceCopy(ds, label, setting);
    const recs = [];
    for (let s = 0; s < seeds; s++) {
      const name = `${ds}-${label.replace(/[^a-z0-9]+/gi, '-')}-${s}`;
      const t0 = Date.now();
      const r = spawnSync(
        process.execPath,
        [cli, 'run', space, '--name', name, '--seed', String(100 + s), '--workers', workers, '--no-tui', '--db', db],
        { encoding: 'utf8', env: { ...process.env, CI: 'true' } },
      );
      if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
      const rec = { dataset: ds, setting: label, seed: 100 + s, wallSeconds: (Date.now() - t0) / 1000, ...best(name) };
      console.error(JSON.stringify(rec));
      recs.push(rec);
    }
    const f = (k, d) => `${mean(recs.map((r) => r[k])).toFixed(d)} ± ${sd(recs.map((r) => r[k])).toFixed(d)}`;
    lines.push(`| ${ds} | ${label} | ${f('reward', 4)} | ${f('supernetSeconds', 0)} | ${f('wallSeconds', 0)} |`);
  }
}
console.log(lines.join('\n'));
