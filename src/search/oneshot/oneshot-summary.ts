/**
 * What a finished supernet phase leaves in the store: a `oneshot_finished` event with its steps, wall clock and the
 * ranked configurations, whose first `search.finalists` are trained on their own. Light on purpose: `show` and
 * `export` read it without loading the engine.
 */
import type { TrialStore } from '../../store/trial-store.js';
import type { FieldPolicy, Proposal } from '../../controllers/controller.js';
import type { RankedProposal } from './ranking.js';

export const ONESHOT_FINISHED = 'oneshot_finished';

export interface OneShotSummary {
  steps: number;
  /** Epochs of the train split those steps trained (searches since the phase held its configured length). */
  epochs?: number;
  /** Wall clock of the phase, summed over the processes that ran it. */
  seconds: number;
  /** Ranked configurations kept for the second phase: the first `search.finalists` are trained, more on --trials. */
  ranked: RankedProposal[];
  /** Where the controller's policy ended, per field: its most likely dim and that dim's probability (none for random). */
  policy?: { field: string; dim: number; prob: number }[];
  /** The whole final policy, every decision of every field (searches since the HTML report; none for random). */
  fieldPolicy?: FieldPolicy[];
  /** Proxy rewards per round of the phase, for the report's curve (searches since the HTML report). */
  curve?: ProxyRound[];
}

/** One round of the supernet phase: where training stood and what the controller's samples scored. */
export interface ProxyRound {
  round: number;
  /** Supernet training steps when the round was scored. */
  step: number;
  mean: number;
  max: number;
}

/** Rounds in order, from the phase's scored history (each observation carries its round and step). */
export function proxyCurve(history: readonly { round: number; step: number; reward: number }[]): ProxyRound[] {
  const byRound = new Map<number, ProxyRound & { n: number }>();
  for (const h of history) {
    const r = byRound.get(h.round) ?? { round: h.round, step: h.step, mean: 0, max: -Infinity, n: 0 };
    r.n++;
    r.mean += (h.reward - r.mean) / r.n;
    r.max = Math.max(r.max, h.reward);
    byRound.set(h.round, r);
  }
  return [...byRound.values()].sort((a, b) => a.round - b.round).map(({ n: _n, ...r }) => r);
}

/** The finished phase's summary, or undefined when the search is not one-shot or its phase has not finished. */
export async function oneShotSummary(store: TrialStore, searchId: number): Promise<OneShotSummary | undefined> {
  const e = (await store.events(searchId)).find((x) => x.kind === ONESHOT_FINISHED);
  return e?.payload as OneShotSummary | undefined;
}

export function finalistProposals(summary: OneShotSummary): Proposal[] {
  return summary.ranked.map((r) => r.proposal);
}
