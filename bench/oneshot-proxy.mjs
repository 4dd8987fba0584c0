#!/usr/bin/env node
// How well does the one-shot proxy rank configurations? Per dataset: trains the weight-sharing supernet once (a
// one-shot search with the reinforce controller), then takes the one-shot's top configurations plus random ones and
// compares, for each, the proxy reward (supernet weights, full valid split) with the stand-alone reward (the
// configuration trained as an ordinary trial with the space's model settings). Reports Kendall τ, the wall clock of
// the supernet phase against one stand-alone trial, and the controller's final policy per field. With --repeat 1
// each configuration is trained a second time with another seed: τ between the two stand-alone runs is how well a
// single trial ranks, the ceiling any proxy is judged against.
//   node bench/oneshot-proxy.mjs [--datasets synthetic,frappe] [--seed 42] [--top 10] [--random 12] [--repeat 1]
//       [--controller reinforce|random] [--warmup-epochs 1] [--epochs 3] [--rounds 100] [--m 8] [--window 4096]
// The supernet trains --epochs epochs of the train split in all: the first --warmup-epochs with uniform samples, the
// rest spread over --rounds rounds (K training batches per round, K rounded to a whole number ≥ 1), each followed by
// --m proposals scored on a --window-row window of the valid split.
// With --defaults the supernet trains with the space's own search.oneshot settings and the controller settings of
// `embnas run --mode oneshot` instead of the options above.
// Needs a build (npm run build); a dataset whose files are absent is skipped with a message. Prints JSON lines.
import { arg, fromDist, loadNamedSpace } from './lib.mjs';

const { train } = await fromDist('engine/index.js');
const { OneShotSearch } = await fromDist('search/oneshot/oneshot-search.js');
const { createController, proposalKey, RandomController } = await fromDist('controllers/index.js');
const { searchChoices, trialConfig, trialSeed } = await fromDist('search/trial-plan.js');
const { reward } = await fromDist('search/reward.js');
const { ONESHOT_REINFORCE } = await fromDist('search/oneshot/oneshot-options.js');
const { oneShotFromSpace } = await fromDist('search/oneshot/oneshot-length.js');

const datasets = arg('datasets', 'synthetic,frappe')
  .split(',')
  .filter((x) => x !== '');
const seed = Number(arg('seed', '42'));
const controllerKind = arg('controller', 'reinforce');
const top = Number(arg('top', '10'));
const random = Number(arg('random', '12'));
const repeat = Number(arg('repeat', '1'));
const warmupEpochs = Number(arg('warmup-epochs', '1'));
const epochs = Number(arg('epochs', '3'));
const rounds = Number(arg('rounds', '100'));

/** The loop's options for a dataset: batch counts from the epoch counts. */
function optionsFor(space, dataset) {
  if (process.argv.includes('--defaults')) {
    const { checkpointSeconds: _c, ...own } = space.search.oneshot;
    const train = dataset.splits.train;
    return { seed, ...oneShotFromSpace(own, train.end - train.start, space.model.batchSize) };
  }
  const train = dataset.splits.train;
  return {
    seed,
    ...oneShotFromSpace({ epochs, warmupEpochs, rounds }, train.end - train.start, space.model.batchSize),
    scoreSamples: Number(arg('m', '8')),
    windowRows: Number(arg('window', '4096')),
  };
}

/** Kendall τ-b (ties in either list count as neither concordant nor discordant). */
export function kendallTau(a, b) {
  let c = 0,
    d = 0,
    ta = 0,
    tb = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const x = Math.sign(a[i] - a[j]);
      const y = Math.sign(b[i] - b[j]);
      if (x === 0 && y === 0) continue;
      if (x === 0) ta++;
      else if (y === 0) tb++;
      else if (x === y) c++;
      else d++;
    }
  }
  return (c - d) / Math.sqrt((c + d + ta) * (c + d + tb));
}

const dims = (p) => p.fields.map((f) => `${f.name}:${f.dim}${f.normAlpha > 0 ? `/${f.normAlpha}` : ''}`).join(' ');

for (const name of datasets) {
  const loaded = await loadNamedSpace(name);
  if (!loaded) continue;
  const { space, dataset } = loaded;
  const choices = searchChoices(space, dataset, name);
  const controller = createController(controllerKind, choices, {
    seed,
    ...(process.argv.includes('--defaults') ? ONESHOT_REINFORCE : {}),
  });
  const options = optionsFor(space, dataset);
  const search = await OneShotSearch.create(space, dataset, choices, controller, options, name);
  try {
    const result = await search.run();
    const policy = (controller.policy?.() ?? []).map((f) => {
      const best = f.dims.reduce((x, y) => (y.prob > x.prob ? y : x));
      return { field: f.field, dim: best.value, prob: Number(best.prob.toFixed(2)) };
    });
    console.log(
      JSON.stringify({
        dataset: name,
        phase: 'supernet',
        controller: controllerKind,
        options,
        steps: result.steps,
        seconds: result.seconds,
        rewards: result.history.length,
        distinct: result.ranked.length,
        policy,
      }),
    );
    const picked = new Map();
    for (const r of result.ranked.slice(0, top))
      picked.set(proposalKey(r.proposal), { proposal: r.proposal, from: r.argmax ? 'argmax' : 'top' });
    const rnd = new RandomController(choices, { seed: seed + 1 });
    while (picked.size < top + random) {
      const [p] = rnd.propose(1);
      if (!picked.has(proposalKey(p))) picked.set(proposalKey(p), { proposal: p, from: 'random' });
    }
    const rows = [];
    let i = 0;
    for (const { proposal, from } of picked.values()) {
      const proxy = search.score(proposal);
      const standalone = [];
      for (let rep = 0; rep <= repeat; rep++) {
        const r = await train(trialConfig(proposal, space, trialSeed(seed + rep, i)), dataset);
        const rr = space.reward;
        standalone.push({
          auc: r.validAuc,
          reward: reward(
            rr.form,
            { auc: r.validAuc, memoryBytes: r.inferenceBytes },
            { budgetBytes: rr.budgetMB * 1e6, lambda: rr.lambda },
          ),
          seconds: r.wallSeconds,
        });
      }
      const row = { dataset: name, from, dims: dims(proposal), proxy, standalone };
      rows.push(row);
      console.log(JSON.stringify(row));
      i++;
    }
    const col = (f, only = rows) => only.map(f);
    const randomRows = rows.filter((r) => r.from === 'random');
    const summary = {
      dataset: name,
      phase: 'summary',
      configs: rows.length,
      tauReward: kendallTau(
        col((r) => r.proxy.reward),
        col((r) => r.standalone[0].reward),
      ),
      tauAuc: kendallTau(
        col((r) => r.proxy.auc),
        col((r) => r.standalone[0].auc),
      ),
      tauAucRandomOnly: kendallTau(
        col((r) => r.proxy.auc, randomRows),
        col((r) => r.standalone[0].auc, randomRows),
      ),
      tauAucTopOnly: kendallTau(
        col(
          (r) => r.proxy.auc,
          rows.filter((r) => r.from !== 'random'),
        ),
        col(
          (r) => r.standalone[0].auc,
          rows.filter((r) => r.from !== 'random'),
        ),
      ),
      ...(repeat > 0
        ? {
            tauRewardSeedVsSeed: kendallTau(
              col((r) => r.standalone[0].reward),
              col((r) => r.standalone[1].reward),
            ),
            tauAucSeedVsSeed: kendallTau(
              col((r) => r.standalone[0].auc),
              col((r) => r.standalone[1].auc),
            ),
            tauAucRandomOnlySeedVsSeed: kendallTau(
              col((r) => r.standalone[0].auc, randomRows),
              col((r) => r.standalone[1].auc, randomRows),
            ),
          }
        : {}),
      supernetSeconds: result.seconds,
      meanTrialSeconds: col((r) => r.standalone[0].seconds).reduce((a, b) => a + b, 0) / rows.length,
    };
    console.log(JSON.stringify(summary));
  } finally {
    search.dispose();
  }
}
