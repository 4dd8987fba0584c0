/**
 * What a finished supernet phase leaves in the store: a `oneshot_finished` event with its steps, wall clock and the
 * ranked configurations, whose first `search.finalists` are trained on their own. Light on purpose: `show` and
 * `export` read it without loading the engine.
 */
import type { TrialStore } from '../../store/trial-store.js';
import type { Proposal } from '../controllers/controller.js';
import type { RankedProposal } from './ranking.js';

export const ONESHOT_FINISHED = 'oneshot_finished';

export interface OneShotSummary {
  steps: number;
  /** Wall clock of the phase, summed over the processes that ran it. */
  seconds: number;
  /** Ranked configurations kept for the second phase: the first `search.finalists` are trained, more on --trials. */
  ranked: RankedProposal[];
  /** Where the controller's policy ended, per field: its most likely dim and that dim's probability (none for random). */
  policy?: { field: string; dim: number; prob: number }[];
}

/** The finished phase's summary, or undefined when the search is not one-shot or its phase has not finished. */
export function oneShotSummary(store: TrialStore, searchId: number): OneShotSummary | undefined {
  const e = store.events(searchId).find((x) => x.kind === ONESHOT_FINISHED);
  return e?.payload as OneShotSummary | undefined;
}

export function finalistProposals(summary: OneShotSummary): Proposal[] {
  return summary.ranked.map((r) => r.proposal);
}
