/**
 * The controller of a one-shot search's second phase: it proposes the configurations the supernet phase ranked best,
 * in rank order, so they are trained on their own as ordinary trials — stored, shown, exported and resumed by the
 * same runner as any per-trial search. Past the end of its list it starts again from the top (the runner then finds
 * each one already trained). Rewards do not change what it proposes.
 */
import type { Controller, Observation, Proposal } from './controller.js';

export interface FinalistsState {
  kind: 'finalists';
  version: 1;
  proposed: number;
}

export class FinalistsController implements Controller {
  readonly kind = 'finalists';
  private proposed = 0;

  constructor(private readonly finalists: readonly Proposal[]) {
    if (finalists.length === 0) throw new Error('a one-shot search ranked no configuration');
  }

  propose(n: number): Proposal[] {
    return Array.from({ length: n }, () => structuredClone(this.finalists[this.proposed++ % this.finalists.length]));
  }

  observe(_observations: Observation[]): void {}

  getState(): FinalistsState {
    return { kind: 'finalists', version: 1, proposed: this.proposed };
  }

  setState(state: FinalistsState): void {
    if (state?.kind !== 'finalists' || state.version !== 1 || !Number.isInteger(state.proposed) || state.proposed < 0) {
      throw new Error(`not a version-1 finalists snapshot: kind ${String(state?.kind)}`);
    }
    this.proposed = state.proposed;
  }
}
