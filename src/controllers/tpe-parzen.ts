/**
 * The density maths of the Tree-structured Parzen Estimator over categorical decisions, as Optuna 3.1's TPESampler
 * does it with its defaults: the observations are split by reward into a "below" group (the good ones) and the rest,
 * and each group becomes a weighted mixture of one kernel per observation plus a uniform prior kernel. The controller
 * samples candidates from l (the good group's density) and keeps the one with the highest l(x) / g(x). Pure
 * functions on plain arrays, so each step can be checked by hand and against Optuna itself.
 */

/** Size of the good group among n observations: min(⌈0.1·n⌉, 25) (Optuna's default_gamma, same float expression). */
export function gamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * Weights of a group's n observations in trial order (Optuna's default_weights): all ones below 25; otherwise a
 * linear ramp from 1/n to 1 over the oldest n − 25 (numpy.linspace's arithmetic) and ones for the 25 newest.
 */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const start = 1 / n;
  const step = ramp > 1 ? (1 - start) / (ramp - 1) : 0;
  const w = Array.from({ length: ramp }, (_, i) => i * step + start);
  if (ramp > 1) w[ramp - 1] = 1;
  return [...w, ...new Array<number>(25).fill(1)];
}

/**
 * Indices (ascending, i.e. trial order) of the `nBelow` highest rewards and of the rest. Equal rewards go to the
 * earlier trial first, as Optuna's stable sort of the losses does.
 */
export function splitByReward(rewards: number[], nBelow: number): { below: number[]; above: number[] } {
  const order = rewards.map((_, i) => i).sort((a, b) => rewards[b] - rewards[a] || a - b);
  const byTrial = (a: number, b: number) => a - b;
  return { below: order.slice(0, nBelow).sort(byTrial), above: order.slice(nBelow).sort(byTrial) };
}

/**
 * One kernel row per observation, then the prior's: every choice gets priorWeight / (n + 1), the observed choice one
 * more, and each row is normalised (Optuna's _calculate_categorical_params with consider_prior). The prior row is
 * therefore uniform.
 */
export function kernelRows(observed: number[], choices: number, priorWeight: number): number[][] {
  const value = priorWeight / (observed.length + 1);
  const rows = [...observed, -1].map((x) => {
    const row = new Array<number>(choices).fill(value);
    if (x >= 0) row[x] += 1;
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((v) => v / sum);
  });
  return rows;
}

/** The observations' weights followed by the prior's, normalised to sum 1. */
export function mixtureWeights(weights: number[], priorWeight: number): number[] {
  const all = [...weights, priorWeight];
  const sum = all.reduce((a, b) => a + b, 0);
  return all.map((w) => w / sum);
}

/** The probability of every choice under a group's estimator: Σ_k mixture weight_k · kernel_k(x). */
export function categoricalDensity(observed: number[], choices: number, priorWeight: number): number[] {
  const rows = kernelRows(observed, choices, priorWeight);
  const weights = mixtureWeights(defaultWeights(observed.length), priorWeight);
  const p = new Array<number>(choices).fill(0);
  rows.forEach((row, k) => row.forEach((v, x) => (p[x] += weights[k] * v)));
  return p;
}

/** A decision's two estimators: l over the good group, g over the rest. */
export interface DecisionDensities {
  l: number[];
  g: number[];
}

/**
 * l and g of every decision from the observed history (each observation's choice index per decision and its reward,
 * in trial order). The split is by reward and shared by all decisions, as Optuna's independent sampling splits the
 * same trials for every parameter. `pending` (proposals handed out and not yet observed, newer than every
 * observation) are the constant liar's: like Optuna's running trials under constant_liar, each joins g's group as an
 * observation worse than any, after the observed ones in trial order, and the good group's size still counts the
 * observations alone.
 */
export function densities(
  history: { picks: number[]; reward: number }[],
  choices: number[],
  priorWeight: number,
  pending: number[][] = [],
): DecisionDensities[] {
  const { below, above } = splitByReward(
    history.map((h) => h.reward),
    gamma(history.length),
  );
  return choices.map((k, j) => ({
    l: categoricalDensity(
      below.map((i) => history[i].picks[j]),
      k,
      priorWeight,
    ),
    g: categoricalDensity([...above.map((i) => history[i].picks[j]), ...pending.map((p) => p[j])], k, priorWeight),
  }));
}
