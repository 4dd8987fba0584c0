/**
 * NIS-style REINFORCE that squeezes every trial: each decision (each field's dim, norm budget, and any other searched
 * setting) is an independent categorical policy over its candidates, and after each batch the policy takes several
 * clipped policy-gradient epochs over all trials seen so far (reinforce-update.ts), with rank-based advantages and an
 * entropy bonus that decays. The policy changes only once every proposal handed out has been observed, so how the
 * scheduler splits a batch's observations never changes the search.
 */
import { sampleIndex, softmax } from './categorical.js';
import type { Controller, Observation, Proposal, SearchChoices } from './controller.js';
import { type Decision, decisionsOf, indicesOf, proposalFrom } from './decisions.js';
import { fieldPolicies, type FieldPolicy } from './field-policy.js';
import { type ReinforceOptions, reinforceOptions } from './reinforce-options.js';
import { REINFORCE_VERSION, type ReinforceState, checkState, clone } from './reinforce-state.js';
import { stored, update } from './reinforce-update.js';
import { incumbentNeighbour } from './reinforce-incumbent.js';
import { modelProposal } from './reinforce-model.js';
import { hopelessTest } from './reinforce-prune.js';
import { Rng } from './rng.js';

export type { ReinforceState } from './reinforce-state.js';

export type { FieldPolicy } from './field-policy.js';

export class ReinforceController implements Controller {
  readonly kind = 'reinforce';
  readonly options: ReinforceOptions;
  private readonly decisions: Decision[];
  private readonly penalty?: (p: Proposal) => number;
  private s: ReinforceState;
  private rng: Rng;

  constructor(choices: SearchChoices, options: { seed: number } & Partial<ReinforceOptions>) {
    this.options = reinforceOptions(options);
    this.decisions = decisionsOf(choices);
    this.penalty = choices.penalty;
    this.rng = new Rng(options.seed);
    this.s = {
      kind: 'reinforce',
      version: REINFORCE_VERSION,
      rng: this.rng.state(),
      proposed: 0,
      observed: 0,
      updates: 0,
      decisions: this.decisions.map((d) => ({
        ...d,
        values: [...d.values],
        logits: new Array<number>(d.values.length).fill(0),
      })),
      history: { picks: [], probs: [], rewards: [] },
      pending: [],
    };
  }

  propose(n: number): Proposal[] {
    const out: Proposal[] = [];
    const seen = new Set([...this.s.history.picks, ...this.s.pending].map((p) => p.join(',')));
    const h = this.s.history;
    const slack = hopelessTest(
      this.penalty,
      h.picks.map((p, i) => ({ proposal: proposalFrom(this.decisions, p), reward: h.rewards[i] })),
      this.options.winMargin,
    );
    const every = this.options.incumbentEvery;
    const modelEvery = this.options.modelEvery;
    const hopeful = (p: number[]) => slack === null || slack(proposalFrom(this.decisions, p)) >= 0;
    for (let i = 0; i < n; i++) {
      const warm = this.s.proposed < this.options.warmup;
      const turn = this.s.proposed + 1;
      let local =
        !warm && every > 0 && turn % every === 0
          ? incumbentNeighbour(this.s.decisions, h, seen, hopeful, this.rng)
          : null;
      if (local === null && !warm && modelEvery > 0 && turn % modelEvery === 0) local = this.modelPick(seen, hopeful);
      if (local !== null) {
        seen.add(local.join(','));
        this.s.pending.push(local);
        out.push(proposalFrom(this.decisions, local));
        this.s.proposed++;
        continue;
      }
      // A repeat would spend a trial on a reward already known (a cache hit at best), a hopeless proposal one on a
      // reward that cannot win (reinforce-prune.ts): draw again, a few times. If no draw is new and hopeful, the new
      // draw with the most slack stands (the last draw if none is new).
      let picks: number[] = [];
      let fallback: { picks: number[]; slack: number } | null = null;
      for (let attempt = 0; attempt <= this.options.redraws; attempt++) {
        picks = this.s.decisions.map((d) =>
          warm ? this.rng.int(d.values.length) : sampleIndex(softmax(d.logits), this.rng.next()),
        );
        if (seen.has(picks.join(','))) continue;
        const room = slack === null ? 0 : slack(proposalFrom(this.decisions, picks));
        if (room >= 0) {
          fallback = null;
          break;
        }
        if (fallback === null || room > fallback.slack) fallback = { picks, slack: room };
      }
      if (fallback !== null) picks = fallback.picks;
      seen.add(picks.join(','));
      this.s.pending.push(picks);
      out.push(proposalFrom(this.decisions, picks));
      this.s.proposed++;
    }
    return out;
  }

  observe(observations: Observation[]): void {
    const h = this.s.history;
    for (const o of observations) {
      if (!Number.isFinite(o.reward)) throw new Error(`reinforce controller got a non-finite reward: ${o.reward}`);
      const picks = indicesOf(this.decisions, o.proposal);
      // The policy has not changed since this was proposed (it changes only once all proposals are observed).
      const warm = this.s.observed < this.options.warmup;
      h.probs.push(this.s.decisions.map((d, j) => (warm ? 1 / d.values.length : stored(softmax(d.logits)[picks[j]]))));
      h.picks.push(picks);
      h.rewards.push(o.reward);
      this.s.pending.shift();
      this.s.observed++;
    }
    const excess = h.rewards.length - this.options.history;
    if (excess > 0) for (const rows of [h.picks, h.probs, h.rewards]) rows.splice(0, excess);
    if (observations.length === 0 || this.s.observed < this.s.proposed || this.s.observed < this.options.warmup) return;
    this.s.updates++;
    const o = this.options;
    const entropyWeight = o.entropyWeight * Math.pow(0.5, this.s.observed / o.entropyHalfLife);
    update(
      this.s.decisions.map((d) => d.logits),
      h,
      { ...o, entropyWeight },
    );
  }

  /**
   * A model proposal (reinforce-model.ts), climbing from the best trials so far and from a few policy draws; null when
   * the model has nothing untried and hopeful to offer.
   */
  private modelPick(seen: ReadonlySet<string>, hopeful: (p: number[]) => boolean): number[] | null {
    const h = this.s.history;
    const order = h.rewards.map((_, i) => i).sort((a, b) => h.rewards[b] - h.rewards[a] || a - b);
    const starts = order.slice(0, 2).map((i) => h.picks[i]);
    for (let k = 0; k < 2; k++)
      starts.push(this.s.decisions.map((d) => sampleIndex(softmax(d.logits), this.rng.next())));
    const penalty = this.penalty;
    const cost = (p: number[]) => (penalty === undefined ? 0 : penalty(proposalFrom(this.decisions, p)));
    return modelProposal({ decisions: this.decisions, history: h, penalty: cost, seen, hopeful }, starts, this.rng);
  }

  /** The current policy per field, for display ("most likely dim and how sure"). */
  policy(): FieldPolicy[] {
    return fieldPolicies(
      this.decisions,
      this.s.decisions.map((d) => softmax(d.logits)),
    );
  }

  getState(): ReinforceState {
    return clone({ ...this.s, rng: this.rng.state() });
  }

  setState(state: ReinforceState): void {
    checkState(state, this.decisions);
    this.s = clone(state);
    this.rng = new Rng(state.rng);
  }
}
