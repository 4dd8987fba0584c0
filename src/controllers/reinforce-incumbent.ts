/**
 * Local moves around the best trial so far, for a per-trial reinforce. A policy gradient learns slowly where single
 * decisions matter: a field one candidate too large (a cost the exact memory term shows at once) or an informative
 * field the policy learned to drop early can stay wrong for the whole budget. Every `incumbentEvery`-th proposal is
 * therefore an untried one-step neighbour of the best configuration observed — one decision moved to the adjacent
 * candidate of its list — which is how the one-shot search's local search found the planted truth. The move depends
 * only on the observations and the controller's RNG, never on the trial budget, so a resumed search proposes the
 * same. It is learned from like any proposal, at the probability the policy gives it (an off-policy sample, which the
 * update's clipped ratio keeps in bounds).
 */
import type { Decision } from './decisions.js';
import type { Rng } from './rng.js';

/**
 * An untried, hopeful one-step neighbour of the highest-reward observation (ties: the earliest), drawn uniformly;
 * null when there is no observation or every neighbour was tried, handed out, or cannot win (`hopeful` false).
 */
export function incumbentNeighbour(
  decisions: readonly Decision[],
  history: { picks: readonly number[][]; rewards: readonly number[] },
  seen: ReadonlySet<string>,
  hopeful: (picks: number[]) => boolean,
  rng: Rng,
): number[] | null {
  let best = -1;
  history.rewards.forEach((r, i) => {
    if (best < 0 || r > history.rewards[best]) best = i;
  });
  if (best < 0) return null;
  const base = history.picks[best];
  const moves: number[][] = [];
  decisions.forEach((d, j) => {
    for (const step of [-1, 1]) {
      const k = base[j] + step;
      if (k < 0 || k >= d.values.length) continue;
      const picks = base.map((x, i) => (i === j ? k : x));
      if (!seen.has(picks.join(',')) && hopeful(picks)) moves.push(picks);
    }
  });
  return moves.length === 0 ? null : moves[rng.int(moves.length)];
}
