/**
 * A Tree-structured Parzen Estimator over the same categorical decisions as the other controllers, equivalent to
 * Optuna 3.1's TPESampler with its defaults (independent per decision, 10 random start-up trials, γ = 10 % capped at
 * 25, 24 candidates, prior weight 1): the bar a search algorithm in embnas is measured against. The state keeps the
 * observed history (choice indices and rewards), which is all TPE needs; the densities are recomputed from it.
 *
 * A batch is proposed as Optuna's sequential TPE would propose it one trial at a time while the earlier ones still
 * run, so a batch of 4 searches like a batch of 1 as far as it can without the rewards it waits for:
 *
 * 1. With a batch of one, proposals are sequential TPE's: nothing is pending when a proposal is made, so the constant
 *    liar changes nothing.
 * 2. Each proposal of a batch sees the earlier ones as pending (`constantLiar`): they join g's group as observations
 *    worse than any, as Optuna's running trials do under constant_liar, so where l is sharp a batch spreads out
 *    instead of drawing the same configuration from the same densities.
 * 3. No proposal repeats a configuration already observed or handed out (`distinct`) while an untried one is found;
 *    a dropped field's other settings make no new configuration (`SearchChoices.modelKey`, the store's key).
 * 4. A repeated pick is replaced by the untried combination of the drawn candidates with the best Σ log l − log g
 *    (tpe-distinct.ts), else by a uniform draw that is untried (at most UNIFORM_DRAWS); only when every draw is taken
 *    (a space about exhausted) is the repeat proposed. A pick that is no repeat is proposed as drawn: the random
 *    stream, and so every proposal, is the same as without `distinct` up to the first repeat.
 * 5. Exactly resumable: the snapshot holds the pending proposals too, so one taken inside a batch goes on as the
 *    uninterrupted controller does. A version-1 snapshot between batches is read as version 2 with nothing
 *    pending; one inside a batch (tpe-state.ts) is refused as the user's to act on.
 *
 * Proposals depend on the observations and the generator alone, so not on the number of workers.
 */
import { sampleIndex } from './categorical.js';
import type { Controller, Observation, Proposal, SearchChoices } from './controller.js';
import { type Decision, decisionsOf, indicesOf, proposalFrom } from './decisions.js';
import { fieldPolicies, type FieldPolicy } from './field-policy.js';
import { Rng } from './rng.js';
import { bestUntaken, rankCandidates } from './tpe-distinct.js';
import { type DecisionDensities, densities } from './tpe-parzen.js';
import { type TpeOptions, tpeOptions } from './tpe-options.js';
import { TPE_VERSION, type TpeState, checkState, clone, upgradeState } from './tpe-state.js';

export type { TpeState } from './tpe-state.js';

/** Uniform draws allowed to find an untried configuration (start-up, or when no drawn combination is untried). */
const UNIFORM_DRAWS = 100;
/** Combinations of drawn candidates examined, best first, for an untried one (each costs a key, microseconds). */
const EXAMINED = 10_000;

export class TpeController implements Controller {
  readonly kind = 'tpe';
  readonly options: TpeOptions;
  private readonly decisions: Decision[];
  private readonly modelKey?: (p: Proposal) => string;
  private rng: Rng;
  private proposed = 0;
  private history: TpeState['history'] = [];
  private pending: number[][] = [];

  constructor(choices: SearchChoices, options: { seed: number } & Partial<TpeOptions>) {
    this.options = tpeOptions(options);
    this.decisions = decisionsOf(choices);
    this.modelKey = choices.modelKey;
    this.rng = new Rng(options.seed);
  }

  propose(n: number): Proposal[] {
    const key = (picks: number[]) =>
      this.modelKey ? this.modelKey(proposalFrom(this.decisions, picks)) : picks.join(',');
    const seen = new Set(this.options.distinct ? [...this.history.map((h) => h.picks), ...this.pending].map(key) : []);
    const taken = (picks: number[]) => this.options.distinct && seen.has(key(picks));
    const out: Proposal[] = [];
    for (let i = 0; i < n; i++) {
      const picks = this.next(taken);
      if (this.options.distinct) seen.add(key(picks));
      this.pending.push(picks);
      out.push(proposalFrom(this.decisions, picks));
      this.proposed++;
    }
    return out;
  }

  observe(observations: Observation[]): void {
    for (const o of observations) {
      if (!Number.isFinite(o.reward)) throw new Error(`tpe controller got a non-finite reward: ${o.reward}`);
      this.history.push({ picks: indicesOf(this.decisions, o.proposal), reward: o.reward });
      this.pending.shift();
    }
  }

  /** l(x) per decision, the distribution candidates are drawn from; uniform during the start-up trials. */
  policy(): FieldPolicy[] {
    const model = this.model([]);
    return fieldPolicies(
      this.decisions,
      this.decisions.map((d, j) => model?.[j].l ?? d.values.map(() => 1 / d.values.length)),
    );
  }

  getState(): TpeState {
    return clone({
      kind: 'tpe',
      version: TPE_VERSION,
      rng: this.rng.state(),
      proposed: this.proposed,
      decisions: this.decisions,
      history: this.history,
      pending: this.pending,
    });
  }

  setState(saved: TpeState): void {
    const state = upgradeState(saved);
    checkState(state, this.decisions);
    this.rng = new Rng(state.rng);
    this.proposed = state.proposed;
    this.history = clone(state.history);
    this.pending = clone(state.pending);
  }

  /** The next proposal's choice indices: TPE's pick, unless it is taken (a repeat). */
  private next(taken: (picks: number[]) => boolean): number[] {
    const model = this.model(this.options.constantLiar ? this.pending : []);
    if (!model) return this.uniform(taken);
    const ranked = model.map(({ l, g }) => {
      const drawn = Array.from({ length: this.options.candidates }, () => sampleIndex(l, this.rng.next()));
      return rankCandidates(drawn, (x) => Math.log(l[x]) - Math.log(g[x]));
    });
    const pick = ranked.map((r) => r[0].value);
    if (!taken(pick)) return pick;
    return bestUntaken(ranked, taken, EXAMINED) ?? this.uniform(taken, pick);
  }

  /** A uniform draw, drawn again while taken (a bounded number of times); `fallback` (or the first) if all are. */
  private uniform(taken: (picks: number[]) => boolean, fallback?: number[]): number[] {
    let first: number[] | undefined;
    for (let attempt = 0; attempt < UNIFORM_DRAWS; attempt++) {
      const picks = this.decisions.map((d) => this.rng.int(d.values.length));
      if (!taken(picks)) return picks;
      first ??= picks;
    }
    return fallback ?? first!;
  }

  /** The estimators (with `pending` as the liar's), or null while fewer than `startupTrials` observations exist. */
  private model(pending: number[][]): DecisionDensities[] | null {
    if (this.history.length < this.options.startupTrials) return null;
    return densities(
      this.history,
      this.decisions.map((d) => d.values.length),
      this.options.priorWeight,
      pending,
    );
  }
}
