/**
 * The configurations a one-shot search ends with, best first. The proxy rewards of the history were measured on
 * small validation windows while the shared weights were still moving, so they only shortlist: the `rescore` best
 * distinct configurations by mean proxy reward, and the controller's most likely one (its policy's argmax, for
 * controllers that have a policy), are scored again with the final weights on the whole validation split, and that
 * score ranks them; with a refinement, the best of them are then improved by a greedy local search on the same final
 * weights (refine.ts), whose finds join the ranking. The rest follow by mean proxy reward.
 *
 * Configurations are told apart by their dims only. A norm budget acts while rows are trained, and the shared
 * weights are trained under every sampled α at once, so the proxy cannot see it: two configurations that differ only
 * in α have the same proxy reward up to noise. Their scores are pooled, and the α each field gets is the policy's
 * most likely one (the first sampled, for a controller without a policy).
 */
import { proposalKey, type Controller, type FieldChoices, type Proposal } from '../../controllers/controller.js';
import { argmaxChoice } from '../../controllers/field-policy.js';
import type { ProxyScore } from './proxy-reward.js';
import { refine } from './refine.js';

export interface RankedProposal {
  proposal: Proposal;
  /** Proxy reward that ranks it: the final score when rescored, else the mean over the history. */
  reward: number;
  auc: number;
  memoryBytes: number;
  /** Mean proxy reward over the history (undefined for an argmax that was never sampled). */
  meanProxy?: number;
  timesScored: number;
  /** Scored again with the final weights on the whole validation split. */
  rescored: boolean;
  /** Found by the local search on the final weights (refine.ts), not in the shortlist. */
  refined?: boolean;
  argmax: boolean;
}

/** Configurations rescored with the final weights unless the caller says otherwise. */
export const RESCORE_DEFAULT = 32;

/** The policy's most likely proposal, or undefined for a controller without a policy (random, uniform). */
export function policyArgmax(controller: Controller): Proposal | undefined {
  const policy = controller.policy?.();
  if (policy === undefined) return undefined;
  return {
    fields: policy.map((f) => ({
      name: f.field,
      dim: argmaxChoice(f.dims).value,
      normAlpha: argmaxChoice(f.normBudgets).value,
    })),
  };
}

export function rankProposals(
  history: readonly (ProxyScore & { proposal: Proposal })[],
  controller: Controller,
  scoreFinal: (p: Proposal) => ProxyScore,
  rescore = RESCORE_DEFAULT,
  refinement?: { fields: readonly FieldChoices[]; starts: number; budget: number },
): RankedProposal[] {
  const best = policyArgmax(controller);
  const byKey = new Map<
    string,
    { proposal: Proposal; memoryBytes: number; n: number; sumAuc: number; sumReward: number }
  >();
  for (const h of history) {
    const key = dimsKey(h.proposal);
    const e = byKey.get(key) ?? {
      proposal: withAlphas(h.proposal, best),
      memoryBytes: h.memoryBytes,
      n: 0,
      sumAuc: 0,
      sumReward: 0,
    };
    e.n++;
    e.sumAuc += h.auc;
    e.sumReward += h.reward;
    byKey.set(key, e);
  }
  const sampled: RankedProposal[] = [...byKey.values()].map((e) => ({
    proposal: e.proposal,
    reward: e.sumReward / e.n,
    auc: e.sumAuc / e.n,
    memoryBytes: e.memoryBytes,
    meanProxy: e.sumReward / e.n,
    timesScored: e.n,
    rescored: false,
    argmax: false,
  }));
  sampled.sort((a, b) => b.reward - a.reward);
  const sampledByKey = new Map(sampled.map((r) => [dimsKey(r.proposal), r]));
  const bestKey = best && dimsKey(best);
  const shortlist = sampled.slice(0, rescore);
  if (best && !shortlist.some((r) => dimsKey(r.proposal) === bestKey)) {
    shortlist.push(
      sampledByKey.get(bestKey!) ?? {
        proposal: best,
        reward: 0,
        auc: 0,
        memoryBytes: 0,
        timesScored: 0,
        rescored: false,
        argmax: true,
      },
    );
  }
  const inShortlist = new Set(shortlist.map((r) => dimsKey(r.proposal)));
  const finals: RankedProposal[] = shortlist.map((r) => ({
    ...r,
    ...scoreFinal(r.proposal),
    rescored: true,
    argmax: dimsKey(r.proposal) === bestKey,
  }));
  finals.sort((a, b) => b.reward - a.reward);
  if (refinement && refinement.budget > 0) {
    const starts = finals.slice(0, refinement.starts).map((r) => ({ proposal: r.proposal, score: r }));
    const found = refine(starts, refinement.fields, scoreFinal, dimsKey, refinement.budget, inShortlist);
    for (const f of found) {
      const key = dimsKey(f.proposal);
      finals.push({
        ...(sampledByKey.get(key) ?? { timesScored: 0 }),
        proposal: f.proposal,
        ...f.score,
        rescored: true,
        refined: true,
        argmax: key === bestKey,
      });
      inShortlist.add(key);
    }
    finals.sort((a, b) => b.reward - a.reward);
  }
  return [...finals, ...sampled.filter((r) => !inShortlist.has(dimsKey(r.proposal)))];
}

/** The key of a proposal's dims (and any other searched setting), its norm budgets left out. */
function dimsKey(p: Proposal): string {
  return proposalKey({ fields: p.fields.map((f) => ({ ...f, normAlpha: 0 })) });
}

/** The proposal with each field's α taken from `from` (the policy's argmax), when given. */
function withAlphas(p: Proposal, from: Proposal | undefined): Proposal {
  return from ? { fields: p.fields.map((f, i) => ({ ...f, normAlpha: from.fields[i].normAlpha })) } : p;
}
