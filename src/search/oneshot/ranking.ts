/**
 * The distinct configurations a one-shot search scored, ranked by their mean proxy reward, with the controller's
 * most likely configuration (its policy's argmax per decision, for controllers that expose a policy) placed first.
 */
import { proposalKey, type Controller, type Proposal } from '../controllers/controller.js';
import type { ProxyScore } from './proxy-reward.js';

export interface RankedProposal {
  proposal: Proposal;
  /** Mean proxy reward over the times it was scored (the argmax, if never scored, once on the last window). */
  reward: number;
  auc: number;
  memoryBytes: number;
  timesScored: number;
  argmax: boolean;
}

type Policy = { field: string; dims: { value: number; prob: number }[]; normBudgets: { value: number; prob: number }[] }[];

/** The policy's most likely proposal, or undefined for a controller without a policy (random, uniform). */
export function policyArgmax(controller: Controller): Proposal | undefined {
  const withPolicy = controller as Controller & { policy?: () => Policy };
  if (typeof withPolicy.policy !== 'function') return undefined;
  const top = (xs: { value: number; prob: number }[]) => xs.reduce((a, b) => (b.prob > a.prob ? b : a)).value;
  return { fields: withPolicy.policy().map((f) => ({ name: f.field, dim: top(f.dims), normAlpha: top(f.normBudgets) })) };
}

export function rankProposals(
  history: readonly (ProxyScore & { proposal: Proposal })[],
  controller: Controller,
  scoreOnce: (p: Proposal) => ProxyScore,
): RankedProposal[] {
  const byKey = new Map<string, RankedProposal & { sumAuc: number; sumReward: number }>();
  for (const h of history) {
    const key = proposalKey(h.proposal);
    const e = byKey.get(key) ?? { proposal: h.proposal, reward: 0, auc: 0, memoryBytes: h.memoryBytes, timesScored: 0, argmax: false, sumAuc: 0, sumReward: 0 };
    e.timesScored++;
    e.sumAuc += h.auc;
    e.sumReward += h.reward;
    byKey.set(key, e);
  }
  const ranked: RankedProposal[] = [...byKey.values()].map(({ sumAuc, sumReward, ...e }) => ({
    ...e,
    auc: sumAuc / e.timesScored,
    reward: sumReward / e.timesScored,
  }));
  ranked.sort((a, b) => b.reward - a.reward);
  const best = policyArgmax(controller);
  if (best === undefined) return ranked;
  const at = ranked.findIndex((r) => proposalKey(r.proposal) === proposalKey(best));
  const head = at >= 0 ? ranked.splice(at, 1)[0] : { proposal: best, ...scoreOnce(best), timesScored: 1 };
  return [{ ...head, argmax: true }, ...ranked];
}
