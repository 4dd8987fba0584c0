/**
 * The one interface every search algorithm implements. A controller is pure: it never trains, stores or reads
 * anything; the scheduler numbers its proposals, trains them, and feeds rewards back in trial-number order.
 */
import { type CandidateLists, type PolicyLists, type ProposalSettings, proposalKeyPart } from '../techniques/index.js';

/**
 * Candidate values of one field, as the search space lists them: `dims` (0 drops the field) and `normBudgets` (α of
 * the adaptive per-row norm decay, 0 = off), then each embedding technique's lists (src/techniques/), an optional one
 * being a decision only when it lists more than one candidate.
 */
export type FieldChoices = { name: string } & CandidateLists;

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
  /**
   * The model a proposal trains, as a key: proposals with equal keys are one configuration (a dropped field's other
   * settings change nothing), trained once, a repeat answered from the store. A controller may use it to spend no
   * trial on a repeat; absent, two proposals are the same configuration when every decision is.
   */
  modelKey?: (proposal: Proposal) => string;
}

/**
 * One candidate: a value per decision per field (the model-wide settings come from the space, not the controller).
 * Each field has its dim and normAlpha; a technique's keys (src/techniques/, `proposalKeys`) only when the field
 * searches them (more than one candidate).
 */
export interface Proposal {
  fields: ({ name: string } & ProposalSettings)[];
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

/**
 * A controller's distribution over each of a field's decisions (built by field-policy.ts), named as its candidate
 * list: `dims`, `normBudgets`, and a technique's only when the field searches it (one list per block for a repeated
 * decision such as multi-size's block dims).
 */
export type FieldPolicy = { field: string } & PolicyLists<Choice>;

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
