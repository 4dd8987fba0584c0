/**
 * A Tree-structured Parzen Estimator over the same categorical decisions as the other controllers, equivalent to
 * Optuna 3.1's TPESampler with its defaults (independent per decision, 10 random start-up trials, γ = 10 % capped at
 * 25, 24 candidates, prior weight 1): the bar a search algorithm in embnas is measured against. The state keeps the
 * observed history (choice indices and rewards), which is all TPE needs; the densities are recomputed from it.
 * Proposals of one `propose(n)` call see the same observations and differ through the RNG, as Optuna's parallel
 * workers do without a constant liar.
 */
import { UsageError } from '../../errors.js';
import { sampleIndex } from './categorical.js';
import type { Controller, Observation, Proposal, SearchChoices } from './controller.js';
import { type Decision, decisionsOf, indicesOf, proposalFrom, sameDecisions } from './decisions.js';
import { fieldPolicies, type FieldPolicy } from './field-policy.js';
import { isRngState, Rng, type RngState } from './rng.js';
import { type DecisionDensities, densities } from './tpe-parzen.js';
import { type TpeOptions, tpeOptions } from './tpe-options.js';

export interface TpeState {
  kind: 'tpe';
  version: 1;
  rng: RngState;
  /** Proposals handed out. */
  proposed: number;
  /** The space the history indexes into, checked on restore. */
  decisions: Decision[];
  /** Every observation in trial order: the chosen index per decision and the reward. */
  history: { picks: number[]; reward: number }[];
}

export class TpeController implements Controller {
  readonly kind = 'tpe';
  readonly options: TpeOptions;
  private readonly decisions: Decision[];
  private rng: Rng;
  private proposed = 0;
  private history: TpeState['history'] = [];

  constructor(choices: SearchChoices, options: { seed: number } & Partial<TpeOptions>) {
    this.options = tpeOptions(options);
    this.decisions = decisionsOf(choices);
    this.rng = new Rng(options.seed);
  }

  propose(n: number): Proposal[] {
    const model = this.model();
    const out: Proposal[] = [];
    for (let i = 0; i < n; i++) {
      const picks = this.decisions.map((d, j) => (model ? this.best(model[j]) : this.rng.int(d.values.length)));
      out.push(proposalFrom(this.decisions, picks));
      this.proposed++;
    }
    return out;
  }

  observe(observations: Observation[]): void {
    for (const o of observations) {
      if (!Number.isFinite(o.reward)) throw new Error(`tpe controller got a non-finite reward: ${o.reward}`);
      this.history.push({ picks: indicesOf(this.decisions, o.proposal), reward: o.reward });
    }
  }

  /** l(x) per decision, the distribution candidates are drawn from; uniform during the start-up trials. */
  policy(): FieldPolicy[] {
    const model = this.model();
    return fieldPolicies(
      this.decisions,
      this.decisions.map((d, j) => model?.[j].l ?? d.values.map(() => 1 / d.values.length)),
    );
  }

  getState(): TpeState {
    return clone({
      kind: 'tpe',
      version: 1,
      rng: this.rng.state(),
      proposed: this.proposed,
      decisions: this.decisions,
      history: this.history,
    });
  }

  setState(state: TpeState): void {
    checkState(state, this.decisions);
    this.rng = new Rng(state.rng);
    this.proposed = state.proposed;
    this.history = clone(state.history);
  }

  /** The estimators, or null while fewer than `startupTrials` observations exist. */
  private model(): DecisionDensities[] | null {
    if (this.history.length < this.options.startupTrials) return null;
    return densities(
      this.history,
      this.decisions.map((d) => d.values.length),
      this.options.priorWeight,
    );
  }

  /** Draws the candidates from l and keeps the first with the highest log l(x) − log g(x). */
  private best({ l, g }: DecisionDensities): number {
    let pick = -1;
    let score = -Infinity;
    for (let c = 0; c < this.options.candidates; c++) {
      const x = sampleIndex(l, this.rng.next());
      const s = Math.log(l[x]) - Math.log(g[x]);
      if (pick < 0 || s > score) [pick, score] = [x, s];
    }
    return pick;
  }
}

function checkState(state: TpeState, decisions: Decision[]): void {
  const ok = state?.kind === 'tpe' && state.version === 1 && isRngState(state.rng) && Number.isInteger(state.proposed);
  if (!ok || !Array.isArray(state.history) || !Array.isArray(state.decisions)) {
    throw new Error(`not a version-1 tpe controller snapshot: kind ${String(state?.kind)}`);
  }
  const historyOk = state.history.every(
    (h) =>
      Number.isFinite(h?.reward) &&
      h.picks?.length === decisions.length &&
      h.picks.every((p, j) => Number.isInteger(p) && p >= 0 && p < decisions[j].values.length),
  );
  if (!sameDecisions(state.decisions, decisions) || !historyOk) {
    throw new UsageError(
      'the controller snapshot does not match the search space (fields or candidate values changed)',
      'resume with the space the search was started with, or start a new search',
    );
  }
}

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}
