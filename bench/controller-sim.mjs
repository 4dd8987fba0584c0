// Compares controllers on the simulated landscapes of sim-landscapes.mjs: mean ± sd of the best reward seen after
// each trial budget, over many seeds, proposing and observing in fixed batches as the scheduler does.
//
//   npm run build && node bench/controller-sim.mjs --seeds 20 --trials 40,100
//   flags: --controllers reinforce,random[,tpe] --landscapes a,b --batch 4 --opts '{"lr":0.1}' (reinforce options)
//          --baseline <dir of another build> adds that build's reinforce as "baseline"
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { arg, fromDist } from './lib.mjs';
import { LANDSCAPES, gaussian, makeLandscape, mulberry32 } from './sim-landscapes.mjs';

const { CONTROLLER_KINDS, createController } = await fromDist('controllers/create-controller.js');
const seeds = Number(arg('seeds', '20'));
const budgets = arg('trials', '40,100').split(',').map(Number);
const batch = Number(arg('batch', '4'));
const names = arg('landscapes', Object.keys(LANDSCAPES).join(',')).split(',');
const opts = JSON.parse(arg('opts', '{}'));
const kinds = arg('controllers', CONTROLLER_KINDS.filter((k) => k !== 'uniform').join(',')).split(',');
const baselineDir = arg('baseline', undefined);
const baseline = baselineDir
  ? await import(pathToFileURL(resolve(baselineDir, 'controllers/create-controller.js')).href)
  : undefined;
if (baseline) kinds.push('baseline');

function make(kind, choices, seed) {
  if (kind === 'baseline') return baseline.createController('reinforce', choices, { seed });
  return createController(kind, choices, { seed, ...(kind === 'reinforce' ? opts : {}) });
}

/** Best reward after each of `budgets` trials, for one controller on one landscape instance. */
function run(kind, name, seed) {
  const land = makeLandscape(name, seed);
  const c = make(kind, land.choices, 1000 + seed);
  const noise = mulberry32(seed * 31 + 7);
  const out = [];
  let best = -Infinity;
  for (let n = 0; n < Math.max(...budgets); n += batch) {
    const obs = c.propose(batch).map((proposal) => ({ proposal, reward: land.reward(proposal, gaussian(noise)) }));
    c.observe(obs);
    obs.forEach((o, i) => {
      best = Math.max(best, o.reward);
      if (budgets.includes(n + i + 1)) out.push(best);
    });
  }
  return out;
}

const stats = (xs) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { m, sd: Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1)) };
};

const header = ['landscape', 'controller', ...budgets.map((b) => `best @${b} (Δ vs ${kinds[0]} ± s.e.)`)];
console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
const wins = Object.fromEntries(kinds.map((k) => [k, budgets.map(() => 0)]));
const gain = Object.fromEntries(kinds.map((k) => [k, budgets.map(() => 0)]));
for (const name of names) {
  const rows = kinds.map((kind) => {
    const t0 = Date.now();
    const runs = Array.from({ length: seeds }, (_, s) => run(kind, name, s));
    return { kind, runs, per: budgets.map((_, b) => stats(runs.map((r) => r[b]))), ms: Date.now() - t0 };
  });
  // Paired with the first controller listed (same landscape instances, same noise draws): mean difference ± s.e.
  const ref = rows[0];
  budgets.forEach((_, b) => {
    const top = rows.reduce((a, r) => (r.per[b].m > a.per[b].m ? r : a));
    wins[top.kind][b]++;
  });
  for (const r of rows) {
    budgets.forEach((_, b) => (gain[r.kind][b] += (r.per[b].m - ref.per[b].m) / names.length));
    const cells = r.per.map((s, b) => {
      const d = stats(r.runs.map((run, i) => run[b] - ref.runs[i][b]));
      const diff =
        r === ref ? '' : ` (Δ ${d.m >= 0 ? '+' : ''}${d.m.toFixed(4)} ± ${(d.sd / Math.sqrt(seeds)).toFixed(4)})`;
      return `${s.m.toFixed(4)} ± ${s.sd.toFixed(4)}${diff}`;
    });
    console.log(`| ${name} | ${r.kind} | ${cells.join(' | ')} |`);
  }
  if (process.argv.includes('--timing')) console.error(name, rows.map((r) => `${r.kind} ${r.ms} ms`).join(', '));
}
console.log(
  `\nlandscapes won (best mean) at ${budgets.join(' / ')} trials: ` +
    kinds.map((k) => `${k} ${wins[k].join('/')}`).join(', '),
);
console.log(
  `mean over landscapes of Δ vs ${kinds[0]}: ` +
    kinds.map((k) => `${k} ${gain[k].map((g) => g.toFixed(4)).join('/')}`).join(', '),
);
