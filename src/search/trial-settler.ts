/**
 * How one trial of a batch gets its outcome, for the search loop (search-runner.ts): over the hard budget or a repeat
 * of a configuration already trained, the owner settles it at once and writes it; otherwise it is dispatched to the
 * store's queue and trained by whoever claims it first — this process's own lanes (`workers`, a ClaimLoop over its
 * worker threads) or `embnas worker` processes elsewhere — and its outcome arrives when it is stored (TrialOutcomes).
 */
import { hostname } from 'node:os';
import type { EncodedDataset } from '../data/encoded-dataset.js';
import { inferenceBytes } from '../engine/index.js';
import type { TrialConfig } from '../engine/trial-config.js';
import type { Space } from '../space/schema.js';
import { RUN_ID } from '../store/ownership.js';
import type { CompletedOrFailed, TrialStore, TrialWorker } from '../store/trial-store.js';
import { ClaimLoop, trainOn } from './claim-loop.js';
import { overBudget, trialReward } from './reward.js';
import type { SearchListener, TrialRunner } from './search-listener.js';
import { TrialOutcomes } from './trial-outcomes.js';

export interface SettlerOptions {
  store: TrialStore;
  searchId: number;
  space: Space;
  dataset: EncodedDataset;
  trials: TrialRunner;
  /** This process's lanes (0: it trains nothing itself). */
  workers: number;
  worker?: TrialWorker;
  pollMs?: number;
  listener?: SearchListener;
  /** A store call of the lanes failed: the search must stop. */
  failed(e: unknown): void;
}

export interface SettledItem {
  number: number;
  config: TrialConfig;
  /** The config key (store/config-key.ts): equal keys are the same candidate. */
  key: string;
}

export class TrialSettler {
  /** Trials trained (not answered from the store) that completed, and that failed, in this process. */
  successes = 0;
  failures = 0;
  private readonly me: TrialWorker;
  private readonly outcomes: TrialOutcomes;
  private readonly local: ClaimLoop | undefined;
  /** Remote trials on screen are numbered after this process's own lanes. */
  private remoteLanes = 0;

  constructor(private readonly o: SettlerOptions) {
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
    this.local =
      o.workers > 0
        ? new ClaimLoop({
            store: o.store,
            searches: () => [o.searchId],
            worker: this.me,
            lanes: o.workers,
            train: trainOn(o.trials, (result) => trialReward(o.space.reward, result)),
            started: (t, lane) => listener?.trialStarted?.({ number: t.number, worker: lane, config: t.config }),
            progress: (number, p) => listener?.trialProgress?.(number, p),
            finished: (outcome, written) => {
              if (written) this.outcomes.told(outcome);
            },
            failed: (e) => o.failed(e),
          }).start()
        : undefined;
  }

  /** Stops waiting for outcomes and aborts this process's lanes (their trials stay claimed for the owner's stop). */
  async stop(): Promise<void> {
    this.outcomes.cancel();
    await this.local?.stop();
  }

  /** The trial's outcome, written to the store; undefined when stopped first. */
  async settle(item: SettledItem): Promise<CompletedOrFailed | undefined> {
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
      const reward = cached.reward ?? trialReward(space.reward, cached.result);
      return this.record(item, {
        number: item.number,
        status: 'completed',
        result: cached.result,
        reward,
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
   * Opens a trial to the lanes and workers. A resumed batch may hold a trial that a live worker trains, or finished,
   * already (it was dispatched before): the store refuses to dispatch it again, and it is awaited instead.
   */
  private async dispatch(number: number): Promise<void> {
    const { store, searchId } = this.o;
    try {
      await store.dispatchTrials(searchId, [number]);
    } catch (e) {
      if ((await store.getTrial(searchId, number))?.status === 'queued') throw e;
    }
  }

  /** An outcome settled here, without training: written at once. */
  private async record(item: SettledItem, record: CompletedOrFailed): Promise<CompletedOrFailed> {
    await this.o.store.recordResults(this.o.searchId, [record]);
    return this.finish(item, record);
  }

  private finish(item: SettledItem, record: CompletedOrFailed): CompletedOrFailed {
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
}
