/**
 * Where a one-shot loop stands and what it has scored: the plain data its checkpoint saves (oneshot-checkpoint.ts)
 * and its loop (oneshot-search.ts) advances, apart from both so neither imports the other's module for a type.
 */
import type { Proposal } from '../../controllers/controller.js';
import type { ProxyScore } from './proxy-reward.js';

export interface ProxyObservation extends ProxyScore {
  round: number;
  /** Supernet training steps taken when it was scored. */
  step: number;
  proposal: Proposal;
}

/** Where the loop stands: enough, with the supernet's and the controllers' states, to go on exactly. */
export interface LoopPosition {
  warmupDone: number;
  round: number;
  /** Next row of the current epoch's order; `shuffled` false before the first epoch started. */
  cursor: number;
  shuffled: boolean;
}
