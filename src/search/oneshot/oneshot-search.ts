/**
 * The one-shot search loop as a library: one weight-sharing supernet trained while any Controller samples
 * configurations, so the controller learns from thousands of proxy rewards in about the time of a few trials.
 *
 * Warm-up: `warmupBatches` training batches, each with a uniformly sampled configuration, so every column of every
 * table gets trained before anything is scored. Then `rounds` rounds of: `trainBatches` training batches, each with
 * a configuration proposed by the controller; then `scoreSamples` proposals scored on one window of validation rows
 * (rotating through the valid split, proxy-reward.ts) and fed to controller.observe. The configurations used for
 * training are proposed but never observed. Same seed and same controller state → the same result, bit for bit.
 */
import type { EncodedDataset, SplitRange } from '../../data/encoded-dataset.js';
import { initBackend } from '../../engine/backend.js';
import { BatchOrder } from '../../engine/batches.js';
import { Supernet, type SupernetSpec } from '../../engine/supernet/supernet.js';
import type { Space } from '../../space/schema.js';
import type { Controller, ControllerState, Proposal, SearchChoices } from '../controllers/controller.js';
import { RandomController } from '../controllers/random.js';
import { oneShotOptions, type OneShotOptions } from './oneshot-options.js';
import { proxyReward, validWindow, type ProxyScore } from './proxy-reward.js';
import { rankProposals, type RankedProposal } from './ranking.js';
import { subnetOf, supernetSpec } from './supernet-spec.js';

/** Rows per forward pass when scoring (as train()'s validation pass). */
const PREDICT_BATCH = 4096;

export interface ProxyObservation extends ProxyScore {
  round: number;
  /** Supernet training steps taken when it was scored. */
  step: number;
  proposal: Proposal;
}

export interface OneShotResult {
  controllerState: ControllerState;
  history: ProxyObservation[];
  /** Distinct scored configurations by mean proxy reward, the controller's most likely one (when it has a policy) first. */
  ranked: RankedProposal[];
  steps: number;
  seconds: number;
}

export class OneShotSearch {
  readonly spec: SupernetSpec;
  readonly supernet: Supernet;
  readonly options: OneShotOptions;
  private readonly order: BatchOrder;
  private rows: Int32Array = new Int32Array(0);
  private cursor = 0;

  /** Initialises the tfjs backend (options.backend, default 'auto'), then builds the supernet. */
  static async create(...args: ConstructorParameters<typeof OneShotSearch>): Promise<OneShotSearch> {
    await initBackend(args[4].backend ?? 'auto');
    return new OneShotSearch(...args);
  }

  /** Expects the tfjs backend initialised (initBackend); `create` does that first. */
  constructor(
    readonly space: Space,
    readonly dataset: EncodedDataset,
    readonly choices: SearchChoices,
    readonly controller: Controller,
    options: Partial<OneShotOptions> & { seed: number },
    spaceLabel = space.name ?? 'the search space',
  ) {
    this.options = oneShotOptions(options);
    const o = this.options;
    this.spec = supernetSpec(space, choices, o.seed, spaceLabel);
    this.supernet = new Supernet(this.spec, dataset.fields.map((f) => f.rows), Math.max(space.model.batchSize, PREDICT_BATCH));
    this.order = new BatchOrder(dataset.splits.train, o.seed);
  }

  async run(): Promise<OneShotResult> {
    const started = performance.now();
    const o = this.options;
    const uniform = new RandomController(this.choices, { seed: o.seed });
    for (const p of uniform.propose(o.warmupBatches)) this.trainOn(p);
    const history: ProxyObservation[] = [];
    let window = this.dataset.splits.valid;
    for (let round = 0; round < o.rounds; round++) {
      for (const p of this.controller.propose(o.trainBatches)) this.trainOn(p);
      window = validWindow(this.dataset.splits.valid, o.windowRows, round);
      const scored = this.controller.propose(o.scoreSamples).map((proposal) => ({ proposal, ...this.score(proposal, window) }));
      this.controller.observe(scored.map((s) => ({ proposal: s.proposal, reward: s.reward })));
      for (const s of scored) history.push({ round, step: this.supernet.step, ...s });
    }
    const ranked = rankProposals(history, this.controller, (p) => this.score(p, window));
    const seconds = (performance.now() - started) / 1000;
    return { controllerState: this.controller.getState(), history, ranked, steps: this.supernet.step, seconds };
  }

  /** The proxy score of a proposal with the current shared weights (default: on the whole valid split). */
  score(proposal: Proposal, range: SplitRange = this.dataset.splits.valid): ProxyScore {
    return proxyReward(this.supernet, proposal, this.space, this.dataset, range);
  }

  dispose(): void {
    this.supernet.dispose();
  }

  /** One training batch with the proposal's mask: the next rows of the shuffled train split, reshuffled when used up. */
  private trainOn(proposal: Proposal): void {
    const batch = this.space.model.batchSize;
    if (this.cursor + batch > this.rows.length) {
      this.rows = this.order.shuffle();
      this.cursor = 0;
    }
    const count = Math.min(batch, this.rows.length - this.cursor);
    const src = { ids: this.dataset.ids, labels: this.dataset.labels, numFields: this.dataset.fields.length };
    const loss = this.supernet.trainBatch(subnetOf(proposal, this.spec), src, this.rows, this.cursor, count);
    if (!Number.isFinite(loss)) throw new Error(`one-shot supernet diverged at step ${this.supernet.step}: loss ${loss}`);
    this.cursor += count;
  }
}

/** Builds, runs and frees a one-shot search. */
export async function runOneShot(...args: ConstructorParameters<typeof OneShotSearch>): Promise<OneShotResult> {
  const search = await OneShotSearch.create(...args);
  try {
    return await search.run();
  } finally {
    search.dispose();
  }
}
