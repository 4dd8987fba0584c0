/**
 * The search loop: propose a batch, have it trained, feed the rewards back in trial-number order, and write
 * everything to the store as it happens.
 *
 * Why batches of fixed size (not "one per free worker"): the controller must see the same observations in the same
 * order whatever the number of workers or machines, so that a seed reproduces a search anywhere. The trials of a
 * batch that need training are dispatched to the store's queue; this process's own lanes (`workers`, 0 for none) and
 * `embnas worker` processes on any machine claim and train them (claim-loop.ts), and each result is written the moment
 * it finishes, by whoever trained it (nothing finished is lost on a kill). Once the whole batch is stored, the
 * controller observes it and its snapshot is written; the snapshot's `step` counts the trials it has observed, so a
 * resume restores the snapshot, regenerates the unfinished batch's proposals (deterministic) and trains only what is
 * not finished.
 */
import type { EncodedDataset } from '../data/encoded-dataset.js';
import { inferenceBytes } from '../engine/index.js';
import type { TrainProgress, TrialConfig, TrialResult } from '../engine/trial-config.js';
import { UsageError } from '../errors.js';
import type { Space } from '../space/schema.js';
import { hostname } from 'node:os';
import { RUN_ID } from '../store/ownership.js';
import type { CompletedOrFailed, TrialRecord, TrialStore, TrialWorker } from '../store/trial-store.js';
import { configKey } from '../store/config-key.js';
import type { Controller, Observation, Proposal } from './controllers/controller.js';
import { overBudget, reward } from './reward.js';
import { ClaimLoop } from './claim-loop.js';
import type { TrialOutcome } from './trial-pool.js';
import { TrialOutcomes } from './trial-outcomes.js';
import { trialConfig, trialSeed } from './trial-plan.js';

/** Reward a controller sees for a trial that could not be trained (failed, or over the budget under `budget`). */
export const FAILED_REWARD = -1;
/** A search whose first trials all fail stops instead of burning its whole budget on the same error. */
const MAX_FAILURES_WITHOUT_SUCCESS = 3;

export interface FinishedTrial {
  number: number;
  config: TrialConfig;
  status: 'completed' | 'failed';
  result?: TrialResult;
  reward?: number;
  cacheHit: boolean;
  error?: string;
}

export interface SearchListener {
  /** `worker`: this process's lane; `where`: the host and process of a remote worker (then `worker` only orders). */
  trialStarted?(t: { number: number; worker: number; config: TrialConfig; where?: string }): void;
  trialProgress?(number: number, p: TrainProgress): void;
  trialFinished?(t: FinishedTrial): void;
  /** Trials whose claimant died went back to the queue: they are no longer running. */
  trialsRequeued?(numbers: number[]): void;
  batchObserved?(controller: Controller, observed: number): void;
}

/** What trains a trial: the worker pool in production, anything with the same shape in tests. */
export interface TrialRunner {
  run(config: TrialConfig, onProgress: (p: TrainProgress) => void, signal?: AbortSignal): Promise<TrialOutcome>;
}

export interface SearchRunnerOptions {
  store: TrialStore;
  searchId: number;
  seed: number;
  space: Space;
  dataset: EncodedDataset;
  controller: Controller;
  /** Trains this process's share of the trials; unused when `workers` is 0. */
  trials: TrialRunner;
  /** This process's lanes: trials it trains at once (0: it only drives, `embnas worker` processes train). */
  workers: number;
  /** Who this process is as a claimant of trials (default: this host, pid and run). */
  worker?: TrialWorker;
  /** How often the store is read for trials trained elsewhere (ms). */
  pollMs?: number;
  batchSize: number;
  listener?: SearchListener;
}

export type SearchOutcome = { status: 'finished' | 'stopped'; observed: number };

export class SearchRunner {
  private stopRequested = false;
  private paused = false;
  private readonly abort = new AbortController();
  private failures = 0;
  private successes = 0;
  private readonly me: TrialWorker;
  private readonly outcomes: TrialOutcomes;
  private local: ClaimLoop | undefined;
  /** Lanes of remote trials on screen: numbers after this process's own. */
  private remoteLanes = 0;

  constructor(private readonly o: SearchRunnerOptions) {
    this.me = o.worker ?? { host: hostname(), pid: process.pid, run: RUN_ID };
    const listener = o.listener;
    this.outcomes = new TrialOutcomes(
      o.store,
      o.searchId,
      this.me,
      {
        remoteStarted: (t, where) =>
          listener?.trialStarted?.({
            number: t.number,
            worker: o.workers + this.remoteLanes++,
            config: t.config,
            where,
          }),
        remoteProgress: (number, p) => listener?.trialProgress?.(number, p),
        requeued: (numbers) => listener?.trialsRequeued?.(numbers),
      },
      o.pollMs,
    );
  }

  /** Graceful stop: no new proposals; running trials are aborted and left for a resume to train again. */
  stop(): void {
    this.stopRequested = true;
    this.abort.abort();
    this.outcomes.cancel();
    void this.local?.stop();
  }

  /** Pauses or resumes proposing new batches (running trials go on). Returns the new state. */
  togglePause(): boolean {
    this.paused = !this.paused;
    return this.paused;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  async run(): Promise<SearchOutcome> {
    let failed: unknown;
    if (this.o.workers > 0) {
      this.local = new ClaimLoop({
        store: this.o.store,
        searches: () => [this.o.searchId],
        worker: this.me,
        lanes: this.o.workers,
        train: (trial, onProgress, signal) => this.trainHere(trial, onProgress, signal),
        started: (t, lane) => this.o.listener?.trialStarted?.({ number: t.number, worker: lane, config: t.config }),
        progress: (number, p) => this.o.listener?.trialProgress?.(number, p),
        finished: (outcome, written) => {
          if (written) this.outcomes.told(outcome);
        },
        failed: (e) => {
          failed = e;
          this.stop();
        },
      }).start();
    }
    try {
      const outcome = await this.loop();
      if (failed !== undefined) throw failed;
      return outcome;
    } finally {
      this.outcomes.cancel();
      await this.local?.stop();
    }
  }

  private async loop(): Promise<SearchOutcome> {
    const { store, searchId, controller } = this.o;
    const snapshot = await store.latestSnapshot(searchId);
    if (snapshot) controller.setState(snapshot.state as Parameters<Controller['setState']>[0]);
    let observed = snapshot?.step ?? 0;
    // A resumed search shows the restored policy now, not after its next batch.
    if (snapshot) this.o.listener?.batchObserved?.(controller, observed);
    // Trials numbered at or past `observed` belong to the batch the snapshot had not yet observed (resume).
    let pending = (await store.listTrials(searchId, { orderBy: 'number' })).filter((t) => t.number >= observed);
    for (const t of await store.listTrials(searchId, { status: ['completed', 'failed'] })) {
      if (t.status === 'completed' && !t.cacheHit) this.successes++;
      else if (t.status === 'failed' && !isOverBudget(t.error)) this.failures++;
    }
    while (!this.stopRequested) {
      if (this.paused) {
        await sleep(200);
        continue;
      }
      const budget = (await store.getSearch(searchId)).trialsBudget;
      if (observed >= budget && pending.length === 0) return { status: 'finished', observed };
      // Always a whole batch, whatever the budget: a batch that crosses the budget trains only the trials within it
      // and is observed once a larger budget (`resume --trials`) completes it, so that run --trials 10 then resume
      // --trials 24 gives exactly the trials of run --trials 24.
      const proposals = controller.propose(Math.max(this.o.batchSize, pending.length));
      const whole = await this.planBatch(observed, proposals, pending, budget);
      const batch = whole.filter((b) => b.number < budget);
      pending = [];
      if (!(await this.runBatch(batch))) break;
      if (batch.length < whole.length) return { status: 'finished', observed };
      const observations: Observation[] = batch.map((b) => ({
        proposal: b.proposal,
        reward: b.reward ?? FAILED_REWARD,
      }));
      controller.observe(observations);
      observed += batch.length;
      await store.recordResults(searchId, [], { step: observed, state: controller.getState() });
      this.o.listener?.batchObserved?.(controller, observed);
      if (this.successes === 0 && this.failures >= MAX_FAILURES_WITHOUT_SUCCESS) {
        const first = (await store.listTrials(searchId, { status: 'failed' })).find((t) => !isOverBudget(t.error));
        throw new UsageError(
          `every trial failed so far (${this.failures}); the first: ${first?.error?.split('\n')[0] ?? 'unknown'}`,
          'fix the data, then `embnas resume` to go on; or fix the space and start a new search with `embnas run <space> --name <another name>` (a resume keeps the space it started with)',
        );
      }
    }
    return { status: 'stopped', observed };
  }

  /**
   * Numbers the batch's proposals, matches the first ones to the trials stored for it (a resume: regenerated by the
   * restored controller, so they must be equal) and enqueues the others that fit in the budget.
   */
  private async planBatch(
    first: number,
    proposals: Proposal[],
    stored: TrialRecord[],
    budget: number,
  ): Promise<BatchItem[]> {
    const { store, searchId, space, seed } = this.o;
    const items = proposals.map((proposal, i) => {
      const number = first + i;
      const config = trialConfig(proposal, space, trialSeed(seed, number));
      return { number, proposal, config, key: configKey(config) } as BatchItem;
    });
    const fresh = items.slice(stored.length).filter((b) => b.number < budget);
    if (fresh.length > 0)
      await store.enqueueTrials(
        searchId,
        fresh.map(({ number, config }) => ({ number, config, seed: config.seed })),
      );
    for (const [i, item] of items.slice(0, stored.length).entries()) {
      const t = stored[i];
      if (!t || t.number !== item.number || JSON.stringify(t.config.fields) !== JSON.stringify(item.config.fields)) {
        throw new Error(
          `resume: trial ${item.number} regenerated differently from the stored one (controller state mismatch)`,
        );
      }
      if (t.status === 'completed') item.reward = t.reward ?? FAILED_REWARD;
      if (t.status === 'failed') item.reward = FAILED_REWARD;
      item.finished = t.status === 'completed' || t.status === 'failed';
    }
    return items;
  }

  /**
   * Settles the batch's unfinished trials: over-budget ones and repeats of a trained configuration here, the others
   * through the queue. A configuration repeated within the batch waits for its previous occurrence, then finds it in
   * the store (a cache hit) or, if that one failed, is trained itself: the outcome one worker gives, whatever the
   * number of workers. False when stopped before the batch was whole.
   */
  private async runBatch(batch: BatchItem[]): Promise<boolean> {
    const previous = new Map<string, Promise<void>>();
    const settle = (item: BatchItem): Promise<void> => {
      const before = previous.get(item.key);
      const mine = (async () => {
        if (before) await before;
        if (this.stopRequested) return;
        const record = await this.evaluate(item);
        if (!record) return;
        item.reward = record.status === 'completed' ? record.reward : FAILED_REWARD;
        item.finished = true;
      })();
      previous.set(item.key, mine);
      return mine;
    };
    await Promise.all(batch.filter((b) => !b.finished).map(settle));
    return batch.every((b) => b.finished);
  }

  private async evaluate(item: BatchItem): Promise<CompletedOrFailed | undefined> {
    const { store, searchId, space, dataset } = this.o;
    const budgetBytes = space.reward.budgetMB * 1e6;
    const memory = inferenceBytes(
      item.config,
      dataset.fields.map((f) => f.rows),
    );
    if (overBudget(space.reward.form, memory, budgetBytes)) {
      const error = `over budget: ${(memory / 1e6).toFixed(3)} MB > ${space.reward.budgetMB} MB, not trained`;
      return this.record(item, { number: item.number, status: 'failed', error });
    }
    const cached = await store.findCompletedByConfigKey(searchId, item.key);
    if (cached?.result) {
      const r = cached.reward ?? this.rewardOf(cached.result);
      return this.record(item, {
        number: item.number,
        status: 'completed',
        result: cached.result,
        reward: r,
        cacheHit: true,
      });
    }
    const outcome = this.outcomes.outcome(item.number);
    await this.dispatch(item.number);
    this.local?.wake();
    const record = await outcome;
    if (!record) return undefined;
    if (record.status === 'completed') this.successes++;
    else this.failures++;
    return this.finish(item, record);
  }

  /**
   * Opens a trial to the lanes and workers. A resumed batch may hold a trial a live worker still trains, or one a
   * worker claimed (or finished) between our reading and now: those are awaited, not dispatched again.
   */
  private async dispatch(number: number): Promise<void> {
    const { store, searchId } = this.o;
    const before = await store.getTrial(searchId, number);
    if (before?.status !== 'queued') return;
    try {
      await store.dispatchTrials(searchId, [number]);
    } catch (e) {
      if ((await store.getTrial(searchId, number))?.status === 'queued') throw e;
    }
  }

  /** An outcome settled here, without training: written at once. */
  private async record(item: BatchItem, record: CompletedOrFailed): Promise<CompletedOrFailed> {
    await this.o.store.recordResults(this.o.searchId, [record]);
    return this.finish(item, record);
  }

  /** A trial claimed by this process's lanes, trained on its worker threads; undefined when aborted. */
  private async trainHere(
    trial: TrialRecord,
    onProgress: (p: TrainProgress) => void,
    signal: AbortSignal,
  ): Promise<CompletedOrFailed | undefined> {
    const out = await this.o.trials.run(trial.config, onProgress, signal);
    if (!out.ok && out.aborted) return undefined;
    return out.ok
      ? { number: trial.number, status: 'completed', result: out.result, reward: this.rewardOf(out.result) }
      : { number: trial.number, status: 'failed', error: out.error };
  }

  private finish(item: BatchItem, record: CompletedOrFailed): CompletedOrFailed {
    this.o.listener?.trialFinished?.({
      number: item.number,
      config: item.config,
      status: record.status,
      ...(record.status === 'completed'
        ? { result: record.result, reward: record.reward, cacheHit: record.cacheHit === true }
        : { error: record.error, cacheHit: false }),
    });
    return record;
  }

  private rewardOf(result: TrialResult): number {
    return trialReward(this.o.space, result);
  }
}

/** A trained trial's reward under the space's objective (the same wherever the trial was trained). */
export function trialReward(space: Space, result: TrialResult): number {
  const r = space.reward;
  return reward(
    r.form,
    { auc: result.validAuc, memoryBytes: result.inferenceBytes },
    { budgetBytes: r.budgetMB * 1e6, lambda: r.lambda },
  );
}

interface BatchItem {
  number: number;
  proposal: Proposal;
  config: TrialConfig;
  key: string;
  reward?: number;
  finished?: boolean;
}

export function isOverBudget(error: string | null | undefined): boolean {
  return error?.startsWith('over budget:') === true;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
