/**
 * The TPE controller's snapshot: plain JSON, checked on restore. Version 2 adds the proposals handed out and not yet
 * observed (the constant liar's, and the repeats a batch avoids), so a snapshot taken inside a batch continues it
 * exactly. A version-1 snapshot taken between batches (every proposal observed: a finished search, or one stopped
 * where the store writes its snapshots) is read as version 2 with nothing pending, so older searches still resume and
 * report; one taken inside a batch came from a controller that drew the whole batch from the same densities, which
 * this one cannot continue, so it is refused with a line saying what to do.
 */
import { UsageError } from '../errors.js';
import { type Decision, sameDecisions } from './decisions.js';
import { isRngState, type RngState } from './rng.js';

export const TPE_VERSION = 2;

export interface TpeState {
  kind: 'tpe';
  version: typeof TPE_VERSION;
  rng: RngState;
  /** Proposals handed out. */
  proposed: number;
  /** The space the history indexes into, checked on restore. */
  decisions: Decision[];
  /** Every observation in trial order: the chosen index per decision and the reward. */
  history: { picks: number[]; reward: number }[];
  /** Choice indices of the proposals handed out and not yet observed, oldest first (at most a batch). */
  pending: number[][];
}

/** A version-1 snapshot with every proposal observed, as version 2; anything else as it is (checkState judges it). */
export function upgradeState(state: TpeState): TpeState {
  const old = state as unknown as Omit<Partial<TpeState>, 'version'> & { version?: unknown };
  const between = Array.isArray(old?.history) && old.proposed === old.history.length;
  return old?.kind === 'tpe' && old.version === 1 && between ? { ...state, version: TPE_VERSION, pending: [] } : state;
}

export function checkState(state: TpeState, decisions: Decision[]): void {
  const version = (state as { version?: unknown } | undefined)?.version;
  if (state?.kind === 'tpe' && version !== TPE_VERSION) {
    throw new UsageError(
      `the search's tpe snapshot is version ${String(version)}, this embnas reads version ${TPE_VERSION}`,
      'start a new search (embnas run); its trials so far stay readable with show and export',
    );
  }
  const ok = state?.kind === 'tpe' && isRngState(state.rng) && Number.isInteger(state.proposed);
  if (!ok || !Array.isArray(state.history) || !Array.isArray(state.decisions) || !Array.isArray(state.pending)) {
    throw new Error(`not a version-${TPE_VERSION} tpe controller snapshot: kind ${String(state?.kind)}`);
  }
  const inSpace = (picks: number[] | undefined) =>
    picks?.length === decisions.length &&
    picks.every((p, j) => Number.isInteger(p) && p >= 0 && p < decisions[j].values.length);
  const historyOk = state.history.every((h) => Number.isFinite(h?.reward) && inSpace(h.picks));
  if (!sameDecisions(state.decisions, decisions) || !historyOk || !state.pending.every(inSpace)) {
    throw new UsageError(
      'the controller snapshot does not match the search space (fields or candidate values changed)',
      'resume with the space the search was started with, or start a new search',
    );
  }
}

export function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}
