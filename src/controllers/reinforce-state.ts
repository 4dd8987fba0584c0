/**
 * The reinforce controller's snapshot: plain JSON, checked on restore. Version 2 keeps the whole (bounded) history the
 * policy learns from; a version-1 snapshot (one running baseline, no history) cannot be turned into one, so a search
 * started before is refused with a line saying what to do rather than resumed with a different algorithm.
 */
import { UsageError } from '../errors.js';
import { type Decision, sameDecisions } from './decisions.js';
import type { History } from './reinforce-update.js';
import { isRngState, type RngState } from './rng.js';

export const REINFORCE_VERSION = 2;

export interface ReinforceState {
  kind: 'reinforce';
  version: typeof REINFORCE_VERSION;
  rng: RngState;
  /** Proposals handed out; the first `warmup` were uniform samples. */
  proposed: number;
  /** Observations received. */
  observed: number;
  /** Policy updates taken (one each time every proposal handed out has been observed). */
  updates: number;
  decisions: (Decision & { logits: number[] })[];
  /** The most recent observations (at most `history` of the options), oldest first. */
  history: History;
  /** Picks of the proposals handed out and not yet observed (at most a batch), so none is proposed twice. */
  pending: number[][];
}

export function checkState(state: ReinforceState, decisions: Decision[]): void {
  if (state?.kind === 'reinforce' && (state as { version?: unknown }).version !== REINFORCE_VERSION) {
    throw new UsageError(
      `the search's reinforce snapshot is version ${String((state as { version?: unknown }).version)}, this embnas reads version ${REINFORCE_VERSION}`,
      'start a new search (embnas run); its trials so far stay readable with show and export',
    );
  }
  const h = state?.history;
  const counts =
    [state?.proposed, state?.observed, state?.updates].every((x) => Number.isInteger(x)) &&
    Array.isArray(state.pending);
  if (state?.kind !== 'reinforce' || !isRngState(state.rng) || !counts || !h || !Array.isArray(h.rewards)) {
    throw new Error(`not a version-${REINFORCE_VERSION} reinforce controller snapshot: kind ${String(state?.kind)}`);
  }
  const shapeOk =
    state.decisions?.every((d) => Array.isArray(d.logits) && d.logits.length === d.values?.length) &&
    [h.picks, h.probs].every(
      (rows) => rows.length === h.rewards.length && rows.every((r) => r.length === decisions.length),
    );
  if (!shapeOk || !sameDecisions(state.decisions, decisions)) {
    throw new UsageError(
      'the controller snapshot does not match the search space (fields or candidate values changed)',
      'resume with the space the search was started with, or start a new search',
    );
  }
}

export function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}
