/**
 * The one-shot search loop as a library: one weight-sharing supernet trained while any Controller samples
 * configurations, so the controller learns from thousands of proxy rewards in about the time of a few trials.
 *
 * Warm-up: `warmupBatches` training batches, each with a uniformly sampled configuration, so every column of every
 * table gets trained before anything is scored. Then `rounds` rounds of: the controller proposes `scoreSamples`
 * configurations; the round's share of the `searchBatches` training batches (as even as whole batches allow, none
 * when there are fewer batches than rounds: oneshot-length.ts), each with a uniformly sampled configuration
 * (`trainSampling: uniform`, as single-path one-shot NAS does) or cycling through the round's proposals (`policy`,
 * as ENAS does); then each proposal is scored on one window of validation rows (rotating through the valid split,
 * grown until it holds both classes: proxy-reward.ts) and all are fed back to controller.observe — every proposal
 * observed, in order, as the Controller contract expects. Same seed and same controller state → the same result,
 * bit for bit.
 *
 * Interruptible: between two units of work (a warm-up batch, a round) the loop yields to the event loop, may hand out
 * a checkpoint (oneshot-checkpoint.ts: the supernet, its optimizers, the batch order, both controllers, the history)
 * and stops when asked. A search restored from any checkpoint finishes exactly as the uninterrupted one.
 */
import type { EncodedDataset, SplitRange } from '../../data/encoded-dataset.js';
import { initBackend } from '../../engine/backend.js';
import { BatchOrder } from '../../engine/batches.js';
import { Supernet, type SupernetSpec } from '../../engine/supernet/supernet.js';
import { validateDataset } from '../../engine/validate.js';
import { UsageError } from '../../errors.js';
import type { Space } from '../../space/schema.js';
import type { Controller, ControllerState, Proposal, SearchChoices } from '../../controllers/controller.js';
import { RandomController } from '../../controllers/random.js';
import { captureLoop, restoreLoop, type OneShotCheckpoint } from './oneshot-checkpoint.js';

export type { LoopPosition, ProxyObservation } from './loop-position.js';
import { roundBatches } from './oneshot-length.js';
import { oneShotOptions, type OneShotOptions } from './oneshot-options.js';
import type { LoopPosition, ProxyObservation } from './loop-position.js';
import { proxyReward, validWindow, type ProxyScore } from './proxy-reward.js';
import { rankProposals, type RankedProposal } from './ranking.js';
import { subnetOf, supernetSpec, widestProposal } from './supernet-spec.js';

/** Rows per forward pass when scoring (as train()'s validation pass). */
const PREDICT_BATCH = 4096;

export interface OneShotResult {
  controllerState: ControllerState;
  history: ProxyObservation[];
  /** Distinct configurations best first: the shortlist rescored with the final weights, then the rest (ranking.ts). */
  ranked: RankedProposal[];
  steps: number;
  /** Seconds of this process's run (a resumed search counts only what it ran itself). */
  seconds: number;
}

export interface OneShotProgress extends LoopPosition {
  phase: 'warmup' | 'search';
  step: number;
  totalSteps: number;
  /** The proxy rewards scored in the round just finished (empty during the warm-up). */
  scored: ProxyObservation[];
}

export interface RunHooks {
  /** After every unit of work. */
  progress?(p: OneShotProgress, controller: Controller): void;
  /** Asked after every unit of work (at most every `checkpointSeconds`) and when stopping; store it atomically. */
  checkpoint?(c: OneShotCheckpoint): void | Promise<void>;
  checkpointSeconds?: number;
  /** Polled after every unit of work: true stops the loop (after a last checkpoint). */
  shouldStop?(): boolean;
  /** Polled after every unit of work: while true the loop waits (a stop still ends it). */
  isPaused?(): boolean;
  /** Called after every training batch and every scoring, inside a unit too: cheap, for a heartbeat. */
  /** True when a heartbeat went out: the loop yields once so that it reaches a database server. */
  tick?(): boolean | void;
}

export class OneShotSearch {
  readonly spec: SupernetSpec;
  readonly supernet: Supernet;
  readonly options: OneShotOptions;
  readonly order: BatchOrder;
  readonly uniform: RandomController;
  readonly history: ProxyObservation[] = [];
  position: LoopPosition = { warmupDone: 0, round: 0, cursor: 0, shuffled: false };
  private rows: Int32Array = new Int32Array(0);

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
    // Both classes in the valid split (every window's AUC needs them), as train() checks for a trial.
    validateDataset(dataset);
    this.spec = supernetSpec(space, choices, o.seed, spaceLabel);
    this.supernet = new Supernet(
      this.spec,
      dataset.fields.map((f) => f.rows),
      Math.max(space.model.batchSize, PREDICT_BATCH),
    );
    this.order = new BatchOrder(dataset.splits.train, o.seed);
    this.uniform = new RandomController(choices, { seed: o.seed });
  }

  get totalSteps(): number {
    const o = this.options;
    return o.warmupBatches + o.searchBatches;
  }

  /** Runs to the end, or until hooks.shouldStop(): then undefined. */
  async run(hooks: RunHooks = {}): Promise<OneShotResult | undefined> {
    const started = performance.now();
    const o = this.options;
    let lastCheckpoint = performance.now();
    const every = (hooks.checkpointSeconds ?? 30) * 1000;
    const tick = hooks.tick ?? (() => {});
    const scoreTicking = (p: Proposal, range?: SplitRange): ProxyScore => {
      tick();
      return this.score(p, range);
    };
    const afterUnit = async (scored: ProxyObservation[]): Promise<boolean> => {
      const phase = this.position.warmupDone < o.warmupBatches ? 'warmup' : 'search';
      hooks.progress?.(
        { ...this.position, phase, step: this.supernet.step, totalSteps: this.totalSteps, scored },
        this.controller,
      );
      await new Promise((r) => setImmediate(r));
      while (hooks.isPaused?.() === true && hooks.shouldStop?.() !== true) await new Promise((r) => setTimeout(r, 200));
      const stop = hooks.shouldStop?.() === true;
      if (hooks.checkpoint && (stop || performance.now() - lastCheckpoint >= every)) {
        await hooks.checkpoint(this.checkpoint());
        lastCheckpoint = performance.now();
      }
      return stop;
    };
    while (this.position.warmupDone < o.warmupBatches) {
      this.trainOn(this.uniform.propose(1)[0]);
      this.position.warmupDone++;
      if (await afterUnit([])) return undefined;
    }
    while (this.position.round < o.rounds) {
      const round = this.position.round;
      const proposals = this.controller.propose(o.scoreSamples);
      for (let b = 0, n = roundBatches(o, round); b < n; b++) {
        this.trainOn(this.trainingConfig(proposals, b));
        if (tick() === true) await new Promise((r) => setImmediate(r));
      }
      const window = validWindow(this.dataset.splits.valid, o.windowRows, round, this.dataset.labels);
      const scored = proposals.map((proposal) => ({
        round,
        step: this.supernet.step,
        proposal,
        ...scoreTicking(proposal, window),
      }));
      this.controller.observe(scored.map((s) => ({ proposal: s.proposal, reward: s.reward })));
      this.history.push(...scored);
      this.position.round++;
      if (await afterUnit(scored)) return undefined;
    }
    const refinement = { fields: this.choices.fields, starts: 2, budget: o.refine };
    const ranked = rankProposals(this.history, this.controller, (p) => scoreTicking(p), o.rescore, refinement);
    const seconds = (performance.now() - started) / 1000;
    return {
      controllerState: this.controller.getState(),
      history: [...this.history],
      ranked,
      steps: this.supernet.step,
      seconds,
    };
  }

  /** Everything needed to go on exactly from here (between two units of work). */
  checkpoint(): OneShotCheckpoint {
    return captureLoop(this);
  }

  /** Restores a checkpoint taken by a search of the same space, data, seed and options. */
  restore(c: OneShotCheckpoint): void {
    restoreLoop(this, c);
    this.rows = this.position.shuffled ? this.order.rows : new Int32Array(0);
  }

  /** The proxy score of a proposal with the current shared weights (default: on the whole valid split). */
  score(proposal: Proposal, range: SplitRange = this.dataset.splits.valid): ProxyScore {
    return proxyReward(this.supernet, proposal, this.space, this.dataset, range);
  }

  dispose(): void {
    this.supernet.dispose();
  }

  /** What training batch `b` of a round trains (see OneShotOptions.trainSampling). */
  private trainingConfig(proposals: Proposal[], b: number): Proposal {
    const mode = this.options.trainSampling;
    if (mode === 'policy') return proposals[b % proposals.length];
    if (mode === 'sandwich' && this.supernet.step % 4 === 0) return widestProposal(this.choices);
    return this.uniform.propose(1)[0];
  }

  /** One training batch with the proposal's mask: the next rows of the shuffled train split, reshuffled when used up. */
  private trainOn(proposal: Proposal): void {
    const batch = this.space.model.batchSize;
    const pos = this.position;
    if (pos.cursor + batch > this.rows.length) {
      this.rows = this.order.shuffle();
      pos.cursor = 0;
      pos.shuffled = true;
    }
    const count = Math.min(batch, this.rows.length - pos.cursor);
    const src = { ids: this.dataset.ids, labels: this.dataset.labels, numFields: this.dataset.fields.length };
    const loss = this.supernet.trainBatch(subnetOf(proposal, this.spec), src, this.rows, pos.cursor, count);
    // A learning rate too high for the data, as train() reports it for a trial: the user's to fix, not a bug.
    if (!Number.isFinite(loss)) {
      throw new UsageError(
        `the one-shot supernet diverged at step ${this.supernet.step}: its training loss is ${loss}`,
        'lower model.lr and start a new search (a resume would diverge again)',
      );
    }
    pos.cursor += count;
  }
}

/** Builds, runs and frees a one-shot search. */
export async function runOneShot(...args: ConstructorParameters<typeof OneShotSearch>): Promise<OneShotResult> {
  const search = await OneShotSearch.create(...args);
  try {
    return (await search.run())!;
  } finally {
    search.dispose();
  }
}
