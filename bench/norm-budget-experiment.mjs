#!/usr/bin/env node
// Does the adaptive norm budget cure one-epoch overfitting? Trains the same model with α = 0 and with several α
// (the per-row decoupled decay λ = min(1, α·Δ), Δ = steps since the row's last update, same α for every field), for
// a fixed number of epochs without early stopping, and records the validation AUC after every epoch and at points
// inside each epoch. Prints one JSON line per run and writes docs/norm-budget.md.
//   node bench/norm-budget-experiment.mjs [--datasets frappe,movielens] [--alphas 0,1e-4,1e-3,1e-2] [--dims 16,4]
//       [--seeds 2] [--epochs 3] [--points 8] [--out docs/norm-budget.md] [--from runs.jsonl]
// --from rewrites the report from the JSON lines of an earlier run instead of training again.
// Needs a build (npm run build) and the datasets folder the example spaces point at; a dataset whose files are
// absent is skipped with a message. The data, tower, optimizer, lr and batch size come from search-spaces/<name>.yaml.
//
// Mid-epoch points: train() evaluates only at epoch ends, so each run replays train()'s loop on the engine's public
// CtrModel (same seeded init, same batch order, same steps) and also evaluates every 1/points of an epoch. Evaluating
// reads the model without changing it, so the epoch-end numbers are train()'s own; the first run of every dataset is
// also trained with train() and the script stops if any epoch's metrics differ.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { arg, fromDist, readRuns } from './lib.mjs';

const { train, CtrModel, rocAuc, loglossFromLogits, initBackend } = await fromDist('engine/index.js');
const { BatchOrder, batchesPerEpoch } = await fromDist('engine/batches.js');
const { loadDataset } = await fromDist('data/load-dataset.js');
const { loadSpace } = await fromDist('space/load-space.js');
const { isUsageError } = await fromDist('errors.js');
const list = (s) => s.split(',').filter((x) => x !== '');
const datasets = list(arg('datasets', 'frappe,movielens'));
const alphas = list(arg('alphas', '0,1e-4,1e-3,1e-2')).map(Number);
const dims = list(arg('dims', '16,4')).map(Number);
const seeds = Number(arg('seeds', '2'));
const epochs = Number(arg('epochs', '3'));
const points = Number(arg('points', '8'));
const out = arg('out', 'docs/norm-budget.md');
const from = arg('from', undefined);
if (!(Number.isInteger(epochs) && epochs >= 2) || !(Number.isInteger(points) && points >= 1) || !(seeds >= 1)) {
  console.error('--epochs must be ≥ 2 (the question is about epoch 2), --points and --seeds ≥ 1');
  process.exit(1);
}
const command = `node bench/norm-budget-experiment.mjs --datasets ${datasets.join(',')} --alphas ${alphas.join(',')} --dims ${dims.join(',')} --seeds ${seeds} --epochs ${epochs} --points ${points}`;
/** Same chunk size as train()'s validation pass, so the logits are computed identically. */
const PREDICT_BATCH = 4096;

/** The trial: every field at `dim` with norm budget `alpha`; the rest of the model from the space. */
function configFor(space, dataset, dim, alpha, seed) {
  const m = space.model;
  return {
    fields: dataset.fields.map((f) => ({ name: f.name, dim, normAlpha: alpha })),
    tower: [...m.tower],
    optimizer: m.optimizer,
    lr: m.lr,
    batchSize: m.batchSize,
    epochs,
    patience: epochs, // never stops early
    seed,
  };
}

function evaluate(model, src, valid, validLabels) {
  const logits = model.predict(src, valid.start, valid.end);
  return { validAuc: rocAuc(logits, validLabels), validLogloss: loglossFromLogits(logits, validLabels) };
}

/** train()'s loop on the train split, plus a validation pass every 1/points of an epoch. */
async function trainWithCurve(config, dataset) {
  const started = performance.now();
  const backend = await initBackend('auto');
  const src = { ids: dataset.ids, labels: dataset.labels, numFields: dataset.fields.length };
  const { train: trainRange, valid } = dataset.splits;
  const validLabels = dataset.labels.subarray(valid.start, valid.end);
  const trainRows = trainRange.end - trainRange.start;
  const batches = batchesPerEpoch(trainRows, config.batchSize);
  const checkpoints = new Set(Array.from({ length: points }, (_, k) => Math.round(((k + 1) * batches) / points)));
  const model = new CtrModel(
    config,
    dataset.fields.map((f) => f.rows),
    Math.max(config.batchSize, PREDICT_BATCH),
  );
  try {
    const order = new BatchOrder([trainRange], config.seed);
    const perEpoch = [];
    const curve = [];
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const epochStart = performance.now();
      const rows = order.shuffle();
      let lossSum = 0;
      let segmentLoss = 0;
      let segmentRows = 0;
      for (let b = 0; b < batches; b++) {
        const start = b * config.batchSize;
        const count = Math.min(config.batchSize, trainRows - start);
        const loss = model.trainBatch(src, rows, start, count);
        if (!Number.isFinite(loss)) {
          return {
            diverged: `epoch ${epoch}, batch ${b + 1}`,
            epochs: perEpoch,
            curve,
            backend,
            seconds: (performance.now() - started) / 1000,
          };
        }
        lossSum += loss * count;
        segmentLoss += loss * count;
        segmentRows += count;
        if (checkpoints.has(b + 1)) {
          const m = evaluate(model, src, valid, validLabels);
          // trainLoss: mean training loss of the batches since the previous point (the model as it was trained).
          curve.push({
            epoch: Number((epoch - 1 + (b + 1) / batches).toFixed(4)),
            step: model.step,
            ...m,
            trainLoss: segmentLoss / segmentRows,
          });
          segmentLoss = 0;
          segmentRows = 0;
        }
      }
      const end = curve.at(-1);
      const seconds = (performance.now() - epochStart) / 1000;
      perEpoch.push({
        epoch,
        trainLoss: lossSum / trainRows,
        validAuc: end.validAuc,
        validLogloss: end.validLogloss,
        seconds,
      });
    }
    return { epochs: perEpoch, curve, backend, seconds: (performance.now() - started) / 1000 };
  } finally {
    model.dispose();
  }
}

/** Stops the experiment when the replayed loop does not reproduce train() exactly. */
async function checkAgainstTrain(config, dataset, replay) {
  const ref = await train(config, dataset, { backend: 'auto' });
  for (let e = 0; e < ref.epochs.length; e++) {
    const a = ref.epochs[e];
    const b = replay.epochs[e];
    if (!b || a.validAuc !== b.validAuc || a.validLogloss !== b.validLogloss || a.trainLoss !== b.trainLoss) {
      throw new Error(`epoch ${e + 1}: train() gives ${JSON.stringify(a)}, the replay ${JSON.stringify(b)}`);
    }
  }
}

// ---- the runs ---------------------------------------------------------------------------------------------------
const saved = from ? readRuns(from) : undefined;
const results = [];
const skipped = [];
const setups = [];
for (const name of datasets) {
  let loaded;
  try {
    loaded = loadSpace(`search-spaces/${name}.yaml`);
  } catch (e) {
    if (!isUsageError(e)) throw e;
    console.error(`${e.toLine()} (run from the repository root)`);
    process.exit(1);
  }
  const { space } = loaded;
  let dataset;
  try {
    ({ dataset } = await loadDataset(space.data, loaded.baseDir));
  } catch (e) {
    // Absent or unreadable data files are the user's setup, not a bug: skip the dataset, say why.
    if (!isUsageError(e)) throw e;
    console.error(`skipping ${name}: ${e.toLine()}`);
    skipped.push({ name, why: e.message });
    continue;
  }
  const { train: tr, valid } = dataset.splits;
  const m = space.model;
  const steps = batchesPerEpoch(tr.end - tr.start, m.batchSize);
  if (points > steps) throw new Error(`--points ${points} is more than the ${steps} steps of a ${name} epoch`);
  setups.push({
    name,
    rows: dataset.numRows,
    train: tr.end - tr.start,
    valid: valid.end - valid.start,
    fields: dataset.fields.map((f) => `${f.name} ${f.rows}`).join(', '),
    steps,
    model: `tower [${m.tower.join(', ')}], ${m.optimizer}, lr ${m.lr}, batch ${m.batchSize}`,
  });
  if (saved) {
    const mine = saved.filter(
      (r) => r.dataset === name && dims.includes(r.dim) && alphas.includes(r.alpha) && r.seed <= seeds,
    );
    const expected = dims.length * alphas.length * seeds;
    if (mine.length !== expected)
      throw new Error(`${from} has ${mine.length} runs of ${name} for these options, not ${expected}`);
    results.push(...mine);
    continue;
  }
  let checked = false;
  for (const dim of dims) {
    for (const alpha of alphas) {
      for (let s = 1; s <= seeds; s++) {
        const config = configFor(space, dataset, dim, alpha, s);
        const r = await trainWithCurve(config, dataset);
        let sameAsTrain;
        if (!checked && !r.diverged) {
          await checkAgainstTrain(config, dataset, r);
          sameAsTrain = true;
          checked = true;
        }
        const line = { dataset: name, dim, alpha, seed: s, ...r, ...(sameAsTrain ? { sameAsTrain } : {}) };
        results.push(line);
        console.log(JSON.stringify(line));
      }
    }
  }
}
if (results.length === 0) {
  console.error(`no dataset could be loaded: ${out} is left as it was`);
  process.exit(1);
}
const trainMinutes = results.reduce((a, r) => a + (r.seconds ?? 0), 0) / 60;

// ---- the report --------------------------------------------------------------------------------------------------
const range = (n, from0 = 0) => Array.from({ length: n - from0 }, (_, i) => i + from0);
const mean = (xs) => (xs.length ? xs.reduce((a, x) => a + x, 0) / xs.length : NaN);
const f4 = (x) => (Number.isFinite(x) ? x.toFixed(4) : '–');
const signed = (x) => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}` : '–');
const withSeeds = (xs) => `${signed(mean(xs))} (${xs.map(signed).join(', ')})`;
const alphaLabel = (a) => (a === 0 ? '0 (off)' : String(a));
const everySeed = (xs, test) => xs.length > 0 && xs.every(test);
const BARS = '▁▂▃▄▅▆▇█';
/** Curve points in the first quarter of an epoch: "the start of epoch k" is the AUC this many points into it. */
const q = Math.max(1, Math.round(points / 4));
const qLabel = `${q}/${points}`;
/** Epochs 2..epochs, whose starts are compared with the end of the epoch before. */
const laterEpochs = range(epochs + 1, 2);
/** AUC changes smaller than this are read as noise (two seeds differ by about this much). */
const NOISE = 0.0005;

function sparkline(values, lo, hi) {
  return values
    .map((v, i) => {
      const c = hi > lo ? BARS[Math.min(7, Math.max(0, Math.round(((v - lo) / (hi - lo)) * 7)))] : BARS[3];
      return (i + 1) % points === 0 && i + 1 < values.length ? `${c}|` : c;
    })
    .join('');
}

/** One run: AUC q points into epoch k minus AUC at the end of epoch k − 1. */
const startChange = (r, k) => r.curve[(k - 1) * points + q - 1].validAuc - r.curve[(k - 1) * points - 1].validAuc;
/** One run: mean training loss over the first 1/points of epoch k minus that over the last 1/points of epoch k − 1. */
const lossStep = (r, k) => r.curve[(k - 1) * points].trainLoss - r.curve[(k - 1) * points - 1].trainLoss;

/** The runs of one (dataset, dim, α): means over seeds and per-seed changes (runs that diverged are left out). */
function group(name, dim, alpha) {
  const runs = results.filter((r) => r.dataset === name && r.dim === dim && r.alpha === alpha);
  const ok = runs.filter((r) => !r.diverged);
  const meanAt = (pick, i, key) => mean(ok.map((r) => r[pick][i][key]));
  return {
    alpha,
    runs,
    ok,
    diverged: runs.length - ok.length,
    epochAuc: range(epochs).map((i) => meanAt('epochs', i, 'validAuc')),
    epochLogloss: range(epochs).map((i) => meanAt('epochs', i, 'validLogloss')),
    curveAuc: ok.length ? ok[0].curve.map((_, i) => meanAt('curve', i, 'validAuc')) : [],
    /** Per seed: AUC after epoch 2 minus after epoch 1. */
    endChange: ok.map((r) => r.epochs[1].validAuc - r.epochs[0].validAuc),
    /** starts[k]: per seed, the AUC change from the end of epoch k − 1 to q points into epoch k. */
    starts: Object.fromEntries(laterEpochs.map((k) => [k, ok.map((r) => startChange(r, k))])),
    lossSteps: Object.fromEntries(laterEpochs.map((k) => [k, ok.map((r) => lossStep(r, k))])),
    /** Per seed: the same difference one segment earlier, inside epoch 1 (the ordinary pace of the training loss). */
    lossPace: ok.map((r) => r.curve[points - 1].trainLoss - r.curve[points - 2].trainLoss),
    /** Per seed: the best per-epoch AUC (what early stopping would keep). */
    bests: ok.map((r) => Math.max(...r.epochs.map((e) => e.validAuc))),
  };
}

const lines = [
  '# The norm budget against one-epoch overfitting',
  '',
  `Generated by \`${command}\` on ${new Date().toISOString().slice(0, 10)} (${trainMinutes.toFixed(1)} min of training, backend ${results[0]?.backend ?? '–'}).`,
  '',
  'CTR models often overfit as soon as they see a training row a second time: validation AUC peaks at the end of the',
  'first epoch and drops at the start of the second ("one-epoch overfitting"). arXiv 2511.06374 attributes it to the',
  "embedding rows of rare values, and counters it with a per-row decoupled weight decay that grows with the row's",
  "staleness: when a batch touches a row, w ← (1 − λ)·w with λ = min(1, α·Δ), Δ = steps since the row's last update",
  "(see [search-space.md](search-space.md#the-norm-budget)). This experiment checks whether embnas's implementation",
  'reproduces the drop and the cure on the example datasets.',
  '',
  '## Setup',
  '',
  `- Every field at the same embedding size (${dims.join(' and ')}), the same α on every field: ${alphas.map(alphaLabel).join(', ')}.`,
  `- ${epochs} epochs, no early stopping, ${seeds} training seed${seeds > 1 ? 's' : ''} (1..${seeds}: initialisation and batch order); tables show the mean over seeds, per-seed values in brackets.`,
  '- Data split, tower, optimizer, lr and batch size from `search-spaces/<dataset>.yaml`; metrics on the validation',
  '  split of a search (the test split is never read). No train AUC: the engine reports the mean training loss only.',
  `- Validation AUC after every epoch and every 1/${points} of an epoch. The epoch-end numbers are exactly those of`,
  '  `train()` (checked on the first run of each dataset).',
  `- *e2 − e1*: AUC after epoch 2 minus after epoch 1. *start of ek*: AUC ${qLabel} of the way into epoch k minus AUC`,
  '  at the end of epoch k − 1 — the one-epoch-overfitting dip, if any. A dip counts when it is below',
  `  −${NOISE} in every seed; smaller changes are within the seed-to-seed noise.`,
  `- Curve: ${points} points per epoch, \`|\` = epoch end, one scale per table from the lowest point after epoch 1 to the`,
  '  highest (earlier points clip to ▁).',
  '',
];
for (const s of setups) {
  lines.push(
    `- **${s.name}**: ${s.rows} rows (train ${s.train}, valid ${s.valid}), ${s.steps} steps per epoch; ${s.model}; rows per field: ${s.fields}.`,
  );
}
for (const s of skipped) lines.push(`- **${s.name}**: skipped, its data could not be loaded (${s.why}).`);
lines.push('');

const verdicts = [];
const tally = { settings: 0, endDrop: [], startDip: [], dipGoneWith: [], bestAlpha: [], gains: [], peaks: [] };
for (const s of setups) {
  for (const dim of dims) {
    const groups = alphas.map((a) => group(s.name, dim, a)).filter((g) => g.runs.length > 0);
    const okGroups = groups.filter((g) => g.ok.length > 0);
    if (okGroups.length === 0) continue;
    const after1 = okGroups.flatMap((g) => g.curveAuc.slice(points - 1));
    const lo = Math.min(...after1);
    const hi = Math.max(...after1);
    lines.push(`## ${s.name}, dim ${dim} on every field`, '');
    lines.push(
      `| α | ${range(epochs)
        .map((i) => `AUC e${i + 1}`)
        .join(
          ' | ',
        )} | best epoch | e2 − e1 | ${laterEpochs.map((k) => `start of e${k}`).join(' | ')} | logloss ${range(epochs)
        .map((i) => `e${i + 1}`)
        .join(' / ')} | curve (AUC ${f4(lo)}–${f4(hi)}) |`,
      `|---|${'---|'.repeat(epochs)}---|---|${'---|'.repeat(laterEpochs.length)}---|---|`,
    );
    for (const g of groups) {
      if (g.ok.length === 0) {
        lines.push(`| ${alphaLabel(g.alpha)} | diverged in every seed |`);
        continue;
      }
      lines.push(
        `| ${alphaLabel(g.alpha)} | ${g.epochAuc.map(f4).join(' | ')} | ${f4(mean(g.bests))} | ${withSeeds(g.endChange)} | ${laterEpochs.map((k) => withSeeds(g.starts[k])).join(' | ')} | ${g.epochLogloss.map(f4).join(' / ')} | \`${sparkline(g.curveAuc, lo, hi)}\` |`,
      );
      if (g.diverged) lines.push(`| | ${g.diverged} of ${g.runs.length} seeds diverged and are left out |`);
    }
    lines.push('');

    const off = okGroups.find((g) => g.alpha === 0);
    const on = okGroups.filter((g) => g.alpha !== 0);
    const best = okGroups.reduce((a, g) => (mean(g.bests) > mean(a.bests) ? g : a));
    if (!off) continue;
    const where = `${s.name}, dim ${dim}`;
    tally.settings++;
    const parts = [];
    if (everySeed(off.endChange, (d) => d < -NOISE)) {
      tally.endDrop.push(where);
      parts.push(
        `without the norm budget the AUC after epoch 2 is below the AUC after epoch 1 in every seed (${withSeeds(off.endChange)})`,
      );
    } else {
      parts.push(
        `without the norm budget there is no epoch-2 drop at epoch ends: e2 − e1 = ${withSeeds(off.endChange)}`,
      );
    }
    const dips = laterEpochs.filter((k) => everySeed(off.starts[k], (d) => d < -NOISE));
    const starts = laterEpochs.map((k) => `start of e${k} ${withSeeds(off.starts[k])}`).join(', ');
    if (dips.length === 0) {
      parts.push(`the AUC does not dip by more than ${NOISE} at any epoch start in every seed (${starts})`);
    } else {
      tally.startDip.push(`${where} (epoch ${dips.join(', ')})`);
      parts.push(`it dips at the start of epoch ${dips.join(' and ')} in every seed (${starts})`);
      for (const k of dips) {
        const gone = on.filter((g) => everySeed(g.starts[k], (d) => d >= -NOISE));
        const smaller = on.filter((g) => !gone.includes(g) && mean(g.starts[k]) > mean(off.starts[k]) + NOISE);
        if (gone.length) tally.dipGoneWith.push(`${where}, epoch ${k}: α ${gone.map((g) => g.alpha).join(', ')}`);
        const detail = (gs) => gs.map((g) => `α ${g.alpha}: ${signed(mean(g.starts[k]))}`).join(', ');
        parts.push(
          gone.length
            ? `at the start of epoch ${k} the dip vanishes with ${detail(gone)}`
            : smaller.length
              ? `at the start of epoch ${k} no α removes the dip; it is smaller with ${detail(smaller)}`
              : `at the start of epoch ${k} no α makes the dip smaller by more than ${NOISE} (${detail(on)})`,
        );
      }
    }
    const peak = off.curveAuc.indexOf(Math.max(...off.curveAuc));
    const peakAt = ((peak + 1) / points).toFixed(2);
    tally.peaks.push(`${where}: ${peakAt}`);
    parts.push(`the mean curve peaks at epoch ${peakAt}`);
    parts.push(
      `the mean training loss changes by ${signed(mean(off.lossSteps[2]))} from the last 1/${points} of epoch 1 to the first 1/${points} of epoch 2, against ${signed(mean(off.lossPace))} between the two segments before (α = 0: the model already fits the rows it saw once)`,
    );
    const spread = Math.max(...off.bests) - Math.min(...off.bests);
    const gain = mean(best.bests) - mean(off.bests);
    tally.bestAlpha.push(`${where}: ${alphaLabel(best.alpha)}`);
    tally.gains.push({
      where,
      gains: Object.fromEntries(okGroups.map((g) => [g.alpha, mean(g.bests) - mean(off.bests)])),
    });
    parts.push(
      `best α by the best-epoch AUC: ${alphaLabel(best.alpha)} (${f4(mean(best.bests))}, ${signed(gain)} against α = 0${best.alpha !== 0 && Math.abs(gain) <= Math.max(spread, NOISE) ? `, within the noise (α = 0's seeds differ by ${f4(spread)})` : ''})`,
    );
    verdicts.push(`- **${where}**: ${parts.join('; ')}.`);
  }
  lines.push(
    `Reproduce: \`node bench/norm-budget-experiment.mjs --datasets ${s.name} --alphas ${alphas.join(',')} --dims ${dims.join(',')} --seeds ${seeds} --epochs ${epochs} --points ${points}\``,
    '',
  );
}

const listOr = (xs, none) => (xs.length ? xs.join('; ') : none);
lines.push(
  '## Does the epoch-2 drop appear without the norm budget, and does it vanish with it?',
  '',
  `- Epoch-2 drop at epoch ends (AUC after epoch 2 below epoch 1 in every seed, α = 0): ${listOr(tally.endDrop, `none of the ${tally.settings} settings`)}.`,
  `- Dip at an epoch start (AUC ${qLabel} into the epoch below the previous epoch's end in every seed, α = 0): ${listOr(tally.startDip, `none of the ${tally.settings} settings`)}.`,
  `- A dip removed in every seed by some α: ${listOr(tally.dipGoneWith, 'none')}.`,
  `- Where the mean validation AUC peaks without the budget (in epochs): ${tally.peaks.join('; ')}.`,
  `- Best α (best-epoch AUC, mean over seeds): ${tally.bestAlpha.join('; ')}.`,
  '',
  'Best-epoch AUC (what early stopping keeps) of each α minus that of α = 0, mean over seeds:',
  '',
  `| α | ${tally.gains.map((t) => t.where).join(' | ')} |`,
  `|---|${'---|'.repeat(tally.gains.length)}`,
  ...alphas.filter((a) => a > 0).map((a) => `| ${a} | ${tally.gains.map((t) => signed(t.gains[a])).join(' | ')} |`),
  '',
  ...verdicts,
  '',
);

lines.push('## How strong these α are here', '');
for (const s of setups) {
  const per = alphas.filter((a) => a > 0).map((a) => `α ${a}: λ = ${Math.min(1, a * s.steps).toFixed(3)}`);
  lines.push(
    `- **${s.name}** (${s.steps} steps per epoch): a row seen once per epoch is scaled by 1 − λ at each visit, ${per.join(', ')}.`,
  );
}
const zeroAt = alphas.filter((a) => a > 0).map((a) => `α ${a}: from step ${Math.ceil(1 / a)}`);
lines.push(
  '- Δ counts optimizer steps, so the same α is a much weaker pull on a small dataset (few steps per epoch) than on a',
  '  large one. A row never updated before counts Δ from step 0: its random initialisation is shrunk at its first',
  `  touch at step t by min(1, α·t), and zeroed when t ≥ 1/α (${zeroAt.join(', ')}).`,
  '',
  '## Reproduce',
  '',
  '```sh',
  'npm run build',
  `${command} > norm-budget-runs.jsonl`,
  '```',
  '',
  'Each stdout line is one run: dataset, dim, α, seed, the per-epoch metrics (`epochs`, as in a TrialResult) and the',
  'mid-epoch `curve` (fractional epoch, optimizer step, valid AUC, valid logloss, mean training loss since the previous',
  'point). `--from norm-budget-runs.jsonl` rewrites this page from those lines without training again.',
  '',
);
writeFileSync(out, `${lines.join('\n')}\n`);
console.error(
  `wrote ${path.relative(process.cwd(), path.resolve(out))} (${results.length} runs, ${trainMinutes.toFixed(1)} min of training)`,
);
