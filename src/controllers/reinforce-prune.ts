/**
 * A trial is expensive; its memory is not. The reward's memory term of any proposal is known exactly before training
 * (SearchChoices.penalty), and the AUC a configuration can reach is, in practice, not far above the best AUC seen so
 * far. So a proposal whose penalty leaves it no chance of beating the best reward — even with `winMargin` more AUC
 * than any trial has shown — is hopeless: reinforce draws again instead of spending a trial to learn that. On a tight
 * budget most of the space is such (docs/search-quality.md), and the trials then go where the answer can be.
 */
import type { Proposal } from './controller.js';

/**
 * How far `proposal` is from hopeless: the most its reward could exceed the best reward seen (AUC at the bound, minus
 * its exact penalty). Below 0 it cannot win.
 */
export type Slack = (proposal: Proposal) => number;

/**
 * The test for the next proposals, from the history of (proposal, reward); null when nothing can be judged yet (no
 * penalty function, no trained configuration seen, or pruning turned off).
 */
export function hopelessTest(
  penalty: ((p: Proposal) => number) | undefined,
  seen: readonly { proposal: Proposal; reward: number }[],
  winMargin: number,
): Slack | null {
  if (penalty === undefined || !Number.isFinite(winMargin)) return null;
  let best = -Infinity;
  let bestAuc = -Infinity;
  for (const { proposal, reward } of seen) {
    const cost = penalty(proposal);
    if (!Number.isFinite(cost)) continue; // never trained: says nothing about AUC
    best = Math.max(best, reward);
    bestAuc = Math.max(bestAuc, reward + cost);
  }
  if (best === -Infinity) return null;
  const ceiling = Math.min(1, bestAuc + winMargin);
  return (p) => ceiling - penalty(p) - best;
}
