/** Random search: every decision uniform and independent. The baseline any smarter controller has to beat. */
import type { Controller, Observation, Proposal, SearchChoices } from './controller.js';
import { type Decision, decisionsOf, proposalFrom } from './decisions.js';
import { isRngState, Rng, type RngState } from './rng.js';

export interface RandomState {
  kind: 'random';
  version: 1;
  rng: RngState;
  proposed: number;
}

export class RandomController implements Controller {
  readonly kind = 'random';
  private readonly decisions: Decision[];
  private rng: Rng;
  private proposed = 0;

  constructor(choices: SearchChoices, options: { seed: number }) {
    this.decisions = decisionsOf(choices);
    this.rng = new Rng(options.seed);
  }

  propose(n: number): Proposal[] {
    const out: Proposal[] = [];
    for (let i = 0; i < n; i++) {
      out.push(
        proposalFrom(
          this.decisions,
          this.decisions.map((d) => this.rng.int(d.values.length)),
        ),
      );
      this.proposed++;
    }
    return out;
  }

  /** Rewards do not steer random search. */
  observe(_observations: Observation[]): void {}

  getState(): RandomState {
    return { kind: 'random', version: 1, rng: this.rng.state(), proposed: this.proposed };
  }

  setState(state: RandomState): void {
    const ok = state?.kind === 'random' && state.version === 1 && isRngState(state.rng);
    if (!ok || !Number.isInteger(state.proposed)) {
      throw new Error(`not a version-1 random controller snapshot: kind ${String(state?.kind)}`);
    }
    this.rng = new Rng(state.rng);
    this.proposed = state.proposed;
  }
}
