/**
 * The TPE estimators against Optuna 3.1 itself: the same histories are added to an Optuna study as completed trials
 * (maximised), and the steps of TPESampler.sample_independent — its observation pairs, the below/above split and both
 * Parzen estimators — give log l(x) and log g(x) for every choice, which must equal ours to 1e-9. A case's pending
 * proposals are added as RUNNING trials under constant_liar=True, Optuna's own way of proposing while trials run.
 * Optuna's own candidate draws use numpy's RNG and are not compared. Skipped, saying so, when no Python can import optuna, and a
 * failure then in CI (test/require.ts; `PYTHON=… npx vitest run` picks the interpreter; Debian's python3-optuna
 * installs for /usr/bin/python3, which a version manager's python3 may shadow).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/controllers/rng.js';
import { densities, gamma, splitByReward } from '../../src/controllers/tpe-parzen.js';
import { pythonWith, requireOrSkip } from '../require.js';

const PYTHON = pythonWith('optuna', 'numpy');
const hasOptuna = requireOrSkip(
  PYTHON !== undefined,
  'a Python with Optuna 3.1 (the TPE comparison)',
  'apt-get install python3-optuna, or set PYTHON',
);

const SCRIPT = `
import json, sys
import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator
from optuna.samplers._tpe.sampler import _get_observation_pairs, _split_observation_pairs
from optuna.trial import TrialState
import warnings
warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.WARNING)
out = []
for case in json.load(sys.stdin):
    dists = {f"d{j}": CategoricalDistribution(list(range(k))) for j, k in enumerate(case["choices"])}
    study = optuna.create_study(direction="maximize")
    for picks, reward in zip(case["picks"], case["rewards"]):
        params = {f"d{j}": p for j, p in enumerate(picks)}
        study.add_trial(optuna.trial.create_trial(params=params, distributions=dists, value=reward))
    for picks in case["pending"]:
        params = {f"d{j}": p for j, p in enumerate(picks)}
        study.add_trial(optuna.trial.create_trial(params=params, distributions=dists, state=TrialState.RUNNING))
    sampler = optuna.samplers.TPESampler(prior_weight=case["priorWeight"], constant_liar=True)
    logs = []
    for name, dist in dists.items():
        values, scores, violations = _get_observation_pairs(study, [name], True, False)
        n = sum(s < float("inf") for s, v in scores)  # running trials do not count, as in sample_independent
        below, above = _split_observation_pairs(scores, sampler._gamma(n), violations)
        x = np.asarray(values[name], dtype=float)
        est = lambda idx: _ParzenEstimator({name: x[idx]}, {name: dist}, sampler._parzen_estimator_parameters)
        every = {name: np.arange(len(dist.choices))}
        logs.append({"l": est(below).log_pdf(every).tolist(), "g": est(above).log_pdf(every).tolist()})
    out.append({"below": below.tolist(), "logs": logs, "version": optuna.__version__})
print(json.dumps(out))
`;

/** A seeded history: rewards on a coarse grid (so ties occur) with some −1s for over-budget configurations. */
function history(seed: number, n: number, choices: number[]) {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => ({
    picks: choices.map((k) => rng.int(k)),
    reward: rng.next() < 0.1 ? -1 : Math.round(rng.next() * 20) / 20,
  }));
}

const pending = (seed: number, n: number, choices: number[]) => history(seed, n, choices).map((h) => h.picks);

const CASES = [
  { choices: [6, 3, 2], priorWeight: 1, history: history(1, 12, [6, 3, 2]), pending: [] },
  { choices: [6, 3, 2], priorWeight: 1, history: history(2, 40, [6, 3, 2]), pending: [] }, // g's group past 25: ramp
  { choices: [4, 5], priorWeight: 2.5, history: history(3, 300, [4, 5]), pending: [] }, // γ capped at 25
  { choices: [6, 3, 2], priorWeight: 1, history: history(4, 12, [6, 3, 2]), pending: pending(5, 3, [6, 3, 2]) },
  { choices: [6, 3, 2], priorWeight: 1, history: history(6, 28, [6, 3, 2]), pending: pending(7, 3, [6, 3, 2]) }, // ramp
];

describe('tpe against Optuna', () => {
  it.skipIf(!hasOptuna)('log l and log g equal Optuna 3.1 TPESampler’s to 1e-9, with its liar', () => {
    const input = CASES.map((c) => ({
      ...c,
      picks: c.history.map((h) => h.picks),
      rewards: c.history.map((h) => h.reward),
    }));
    const run = spawnSync(PYTHON!, ['-c', SCRIPT], { input: JSON.stringify(input), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const optuna = JSON.parse(run.stdout) as {
      below: number[];
      logs: { l: number[]; g: number[] }[];
      version: string;
    }[];
    expect(optuna[0].version).toMatch(/^3\.1\./);
    CASES.forEach((c, i) => {
      const rewards = c.history.map((h) => h.reward);
      expect(splitByReward(rewards, gamma(rewards.length)).below).toEqual(optuna[i].below);
      densities(c.history, c.choices, c.priorWeight, c.pending).forEach((d, j) => {
        const expected = optuna[i].logs[j];
        d.l.forEach((p, x) => expect(Math.abs(Math.log(p) - expected.l[x])).toBeLessThan(1e-9));
        d.g.forEach((p, x) => expect(Math.abs(Math.log(p) - expected.g[x])).toBeLessThan(1e-9));
      });
    });
  });
});
