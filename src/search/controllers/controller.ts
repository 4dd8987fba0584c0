/**
 * The one interface every search algorithm implements. A controller is pure: it never trains, stores or reads
 * anything; the scheduler numbers its proposals, trains them, and feeds rewards back in trial-number order.
 */
import { proposalKeyPart } from '../../techniques/index.js';

/** Candidate values of one field, as the search space lists them. */
export interface FieldChoices {
  name: string;
  /** Candidate embedding sizes; 0 drops the field. */
  dims: number[];
  /** Candidate α values of the adaptive per-row norm decay; 0 disables it. */
  normBudgets: number[];
  /** Candidate MLET factors (0 = a plain table); a decision only when more than one is listed. */
  mletFactors?: number[];
  /** Candidate Res-embedding cluster counts (0 = off); a decision only when more than one is listed. */
  resClusters?: number[];
  /** Candidate α of the Res-embedding residual decay; a decision only when more than one is listed. */
  resNormBudgets?: number[];
  /** Candidate vocabulary cuts (fraction of kept values with a row, 1 = none); a decision only when more than one. */
  vocabKeep?: number[];
  /** Multi-size blocks: fractions of the kept values per block, most frequent first (absent = one table). */
  blocks?: number[];
  /** Candidate dims of each block after the first; a decision per block only when more than one is listed. */
  blockDims?: number[];
}

export interface SearchChoices {
  /** In dataset order: proposals list the fields in the same order. */
  fields: FieldChoices[];
  /**
   * The memory term of a proposal's reward (reward = AUC − penalty), exact and known before any training: the model's
   * bytes are a function of its dims and the dataset's table sizes. Infinity where the configuration is never
   * trained (over the budget of the `budget` form). A controller may use it to spend no trial on a proposal that
   * could not win; absent, it knows nothing about memory.
   */
  penalty?: (proposal: Proposal) => number;
}

/** One candidate: a value per decision per field (the model-wide settings come from the space, not the controller). */
export interface Proposal {
  /**
   * `mletFactor`, `resClusters`, `resAlpha`, `keep` and `blockDims` (one per block after the first) are present only
   * when the field searches them (more than one candidate).
   */
  fields: {
    name: string;
    dim: number;
    normAlpha: number;
    mletFactor?: number;
    resClusters?: number;
    resAlpha?: number;
    keep?: number;
    blockDims?: number[];
  }[];
}

export interface Observation {
  proposal: Proposal;
  /** Finite; −1 marks a configuration over the memory budget that was never trained. */
  reward: number;
}

/**
 * Plain JSON, stored as the controller snapshot in the same transaction as the results it has observed. Every
 * snapshot names its controller and its format's version; the rest is the controller's own (e.g. ReinforceState),
 * checked by its `setState`, which throws on a snapshot of another kind or version.
 */
export interface ControllerState {
  kind: string;
  version: number;
}

/** One decision's distribution over its candidate values, for display. */
export type Choice = { value: number; prob: number }[];

/** A controller's distribution over each of a field's decisions (built by field-policy.ts). */
export interface FieldPolicy {
  field: string;
  dims: Choice;
  normBudgets: Choice;
  /** Only when the field's MLET factor, Res-embedding settings or vocabulary cut are searched. */
  mletFactors?: Choice;
  resClusters?: Choice;
  resNormBudgets?: Choice;
  vocabKeep?: Choice;
  /** Only when the field's block dims are searched: one list per block after the first. */
  blockDims?: Choice[];
}

export interface Controller<S extends ControllerState = ControllerState> {
  readonly kind: string;
  /** The next `n` candidates. Consecutive calls continue the same sequence. */
  propose(n: number): Proposal[];
  /** Results in trial-number order, one batch at a time. */
  observe(observations: Observation[]): void;
  /** Parameters, baseline, RNG state and counters; a deep copy. */
  getState(): S;
  /** Exact restore: after `setState(getState())` the next proposals are identical. */
  setState(state: S): void;
  /** The current distribution per field, for controllers that have one (reinforce, tpe); random and uniform do not. */
  policy?(): FieldPolicy[];
}

/**
 * Canonical key of a proposal, for "already evaluated" cache hits. Fields stay in order (they are positional);
 * numbers print in JavaScript's shortest round-trip form, so 1e-4 and 0.0001 give the same key.
 */
export function proposalKey(p: Proposal): string {
  return p.fields.map((f) => `${f.name}${proposalKeyPart(f)}`).join('|');
}
