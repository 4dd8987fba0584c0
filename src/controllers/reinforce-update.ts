/**
 * The learning step of the reinforce controller, as pure functions of everything it has observed. A trial is a whole
 * training run, so one reward per policy step wastes it: after each batch the policy takes several gradient epochs
 * over the whole history, with advantages from the reward ranks among all trials so far and a PPO-style clipped
 * importance ratio per decision, so trials drawn from an older policy still count but cannot drag it further than
 * the clip allows per update.
 */
import { softmax } from './categorical.js';

export interface History {
  /** Per observed trial: the index picked in each decision. */
  picks: number[][];
  /** Per observed trial: the probability each pick had under the policy that proposed it (4 significant digits). */
  probs: number[][];
  rewards: number[];
}

export interface UpdateSettings {
  lr: number;
  epochs: number;
  clip: number;
  elite: number;
  entropyWeight: number;
}

/**
 * Rank-based advantages over the whole history: the best `elite` fraction get log-rank weights (the best the
 * most), the rest none; the weights are then centred and scaled to unit spread. Ranks make a −1 over-budget trial
 * merely the worst, not an outlier, and do not care whether AUCs differ by 1e-4 or 1e-2. All equal → all zero.
 */
export function rankAdvantages(rewards: number[], elite: number): number[] {
  const n = rewards.length;
  const order = rewards.map((_, i) => i).sort((a, b) => rewards[b] - rewards[a] || a - b);
  const mu = Math.max(1, Math.round(elite * n));
  const w = new Array<number>(n).fill(0);
  order.forEach((i, rank) => {
    if (rank < mu) w[i] = Math.log(mu + 0.5) - Math.log(rank + 1);
  });
  // Trials tied with one another share their weight, so a plateau of equal rewards says nothing.
  const byReward = new Map<number, number[]>();
  rewards.forEach((r, i) => byReward.set(r, [...(byReward.get(r) ?? []), i]));
  for (const group of byReward.values()) {
    const mean = group.reduce((s, i) => s + w[i], 0) / group.length;
    for (const i of group) w[i] = mean;
  }
  const mean = w.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return sd < 1e-12 ? w.map(() => 0) : w.map((x) => (x - mean) / sd);
}

/**
 * Gradient (to ascend) w.r.t. one decision's logits of
 *   mean_i min(ρ_i·A_i, clip(ρ_i, 1−ε, 1+ε)·A_i) + β·H(π),   ρ_i = π(a_i) / μ_i,
 * μ_i being the pick's probability when it was proposed. A term whose ratio is clipped contributes nothing.
 */
export function clippedGradient(
  probs: number[],
  picks: number[],
  behaviour: number[],
  advantages: number[],
  clip: number,
  entropyWeight: number,
): number[] {
  const grad = new Array<number>(probs.length).fill(0);
  const n = picks.length;
  for (let i = 0; i < n; i++) {
    const a = advantages[i];
    if (a === 0) continue;
    const ratio = probs[picks[i]] / behaviour[i];
    if ((a > 0 && ratio > 1 + clip) || (a < 0 && ratio < 1 - clip)) continue;
    const g = (a * ratio) / n; // ∂ρ/∂θ_k = ρ·(1[k = a_i] − π_k)
    for (let k = 0; k < probs.length; k++) grad[k] -= g * probs[k];
    grad[picks[i]] += g;
  }
  let h = 0;
  for (const p of probs) if (p > 0) h -= p * Math.log(p);
  for (let k = 0; k < probs.length; k++) {
    if (probs[k] > 0) grad[k] -= entropyWeight * probs[k] * (Math.log(probs[k]) + h);
  }
  return grad;
}

/** `epochs` full-history gradient steps on every decision's logits, in place. */
export function update(logits: number[][], history: History, s: UpdateSettings): void {
  const advantages = rankAdvantages(history.rewards, s.elite);
  logits.forEach((l, d) => {
    const picks = history.picks.map((p) => p[d]);
    const behaviour = history.probs.map((p) => p[d]);
    for (let e = 0; e < s.epochs; e++) {
      const grad = clippedGradient(softmax(l), picks, behaviour, advantages, s.clip, s.entropyWeight);
      for (let k = 0; k < l.length; k++) l[k] += s.lr * grad[k];
    }
  });
}

/** A probability as stored in the history: 4 significant digits keep snapshots small and change no decision. */
export function stored(p: number): number {
  return Number(p.toPrecision(4));
}
