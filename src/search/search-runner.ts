/**
 * The search loop: propose a batch, train it on the worker pool, feed the rewards back in trial-number order, and
 * write everything to the store as it happens.
 *
 * Why batches of fixed size (not "one per free worker"): the controller must see the same observations in the same
 * order whatever the number of workers, so that a seed reproduces a search on any machine. Each trial's result is
 * written the moment it finishes (nothing finished is lost on a kill); the controller snapshot is written in the same
 * transaction as the batch's last result, and its `step` counts the trials it has observed, so a resume restores the
 * snapshot, regenerates the unfinished batch's proposals (deterministic) and trains only what is not finished.
 */
import type { EncodedDataset } from '../data/encoded-dataset.js';
import { inferenceBytes } from '../engine/index.js';
import type { TrainProgress, TrialConfig, TrialResult } from '../engine/trial-config.js';
import { UsageError } from '../errors.js';
import type { Space } from '../space/schema.js';
import type { CompletedOrFailed, TrialRecord, TrialStore } from '../store/trial-store.js';
import { configKey } from '../store/config-key.js';
import type { Controller, Observation, Proposal } from './controllers/controller.js';
import { overBudget, reward } from './reward.js';
import type { TrialOutcome } from './trial-pool.js';
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
  trialStarted?(t: { number: number; worker: number; config: TrialConfig }): void;
  trialProgress?(number: number, p: TrainProgress): void;
  trialFinished?(t: FinishedTrial): void;
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
  trials: TrialRunner;
  workers: number;
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

  constructor(private readonly o: SearchRunnerOptions) {}

  /** Graceful stop: no new proposals; running trials are aborted and left for a resume to train again. */
  stop(): void {
    this.stopRequested = true;
    this.abort.abort();
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
      const done = await this.runBatch(batch);
      if (!done) break;
      if (batch.length < whole.length) {
        if (done.last) await store.recordResults(searchId, [done.last], undefined);
        return { status: 'finished', observed };
      }
      const observations: Observation[] = batch.map((b) => ({
        proposal: b.proposal,
        reward: b.reward ?? FAILED_REWARD,
      }));
      controller.observe(observations);
      observed += batch.length;
      const last = done.last ? [done.last] : [];
      await store.recordResults(searchId, last, { step: observed, state: controller.getState() });
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
   * Trains the batch's unfinished trials, at most `workers` at once. Every result but the last to finish is written at
   * once; the last is returned so the caller writes it with the controller snapshot. Undefined when stopped mid-batch.
   */
  private async runBatch(batch: BatchItem[]): Promise<{ last?: CompletedOrFailed } | undefined> {
    const todo = batch.filter((b) => !b.finished);
    let remaining = todo.length;
    let last: CompletedOrFailed | undefined;
    const free = Array.from({ length: this.o.workers }, (_, i) => this.o.workers - 1 - i);
    const queue = [...todo];
    // A configuration repeated within the batch waits for its previous occurrence, then finds it in the store (a
    // cache hit) or, if that one failed, trains itself: the outcome one worker gives, whatever the number of workers.
    const previous = new Map<string, Promise<void>>();
    const runOne = (item: BatchItem): Promise<void> => {
      const before = previous.get(item.key);
      const mine = (async () => {
        if (before) await before;
        if (this.stopRequested) return;
        const record = await this.evaluate(item, free);
        if (!record) return;
        item.reward = record.status === 'completed' ? record.reward : FAILED_REWARD;
        item.finished = true;
        if (--remaining === 0) last = record;
        else await this.o.store.recordResults(this.o.searchId, [record], undefined);
      })();
      previous.set(item.key, mine);
      return mine;
    };
    const lanes = Array.from({ length: Math.min(this.o.workers, todo.length) }, async () => {
      for (let item = queue.shift(); item && !this.stopRequested; item = queue.shift()) await runOne(item);
    });
    await Promise.all(lanes);
    return batch.every((b) => b.finished) ? { last } : undefined;
  }

  private async evaluate(item: BatchItem, free: number[]): Promise<CompletedOrFailed | undefined> {
    const { store, searchId, space, dataset, listener } = this.o;
    const budgetBytes = space.reward.budgetMB * 1e6;
    const memory = inferenceBytes(
      item.config,
      dataset.fields.map((f) => f.rows),
    );
    if (overBudget(space.reward.form, memory, budgetBytes)) {
      const error = `over budget: ${(memory / 1e6).toFixed(3)} MB > ${space.reward.budgetMB} MB, not trained`;
      return this.finish(item, { number: item.number, status: 'failed', error });
    }
    const cached = await store.findCompletedByConfigKey(searchId, item.key);
    if (cached?.result) {
      const r = cached.reward ?? this.rewardOf(cached.result);
      return this.finish(item, {
        number: item.number,
        status: 'completed',
        result: cached.result,
        reward: r,
        cacheHit: true,
      });
    }
    const worker = free.pop() ?? 0;
    await store.markRunning(searchId, item.number);
    listener?.trialStarted?.({ number: item.number, worker, config: item.config });
    const out = await this.o.trials.run(
      item.config,
      (p) => listener?.trialProgress?.(item.number, p),
      this.abort.signal,
    );
    free.push(worker);
    if (!out.ok && out.aborted) return undefined;
    const record: CompletedOrFailed = out.ok
      ? { number: item.number, status: 'completed', result: out.result, reward: this.rewardOf(out.result) }
      : { number: item.number, status: 'failed', error: out.error };
    if (out.ok) this.successes++;
    else this.failures++;
    return this.finish(item, record);
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
    const r = this.o.space.reward;
    return reward(
      r.form,
      { auc: result.validAuc, memoryBytes: result.inferenceBytes },
      { budgetBytes: r.budgetMB * 1e6, lambda: r.lambda },
    );
  }
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
