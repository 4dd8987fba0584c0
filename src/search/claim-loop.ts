/**
 * Lanes that take queued trials from the store and train them: the trainer side of the trial queue, the same in the
 * process that drives a search (its own worker threads) and in `embnas worker` on any machine. A lane claims the
 * lowest-numbered dispatched trial of its search (store promise: no two claimants ever get the same trial), trains
 * it, and writes the outcome only if the trial is still its own (a claimant that stalled past the staleness window
 * may have lost it to another); while it trains, a heartbeat per claimed trial tells everyone it is alive and how far
 * it has got. Stopping aborts what runs: the trials stay claimed by this run, and the owner's stop (or, for a remote
 * worker, `releaseClaim`) hands them back.
 */
import type { TrainProgress, TrialResult } from '../engine/trial-config.js';
import { heartbeatEveryMs } from '../store/ownership.js';
import type { CompletedOrFailed, TrialRecord, TrialStore, TrialWorker } from '../store/trial-store.js';
import type { TrialRunner } from './search-listener.js';

/** What a lane does with a claimed trial: its outcome, or undefined when aborted (left for someone else). */
export type TrainClaimed = (
  trial: TrialRecord,
  onProgress: (p: TrainProgress) => void,
  signal: AbortSignal,
) => Promise<CompletedOrFailed | undefined>;

/** Training on a worker pool (or anything of its shape), each completed trial rewarded by `rewardOf`. */
export function trainOn(runner: TrialRunner, rewardOf: (result: TrialResult) => number): TrainClaimed {
  return async (trial, onProgress, signal) => {
    const out = await runner.run(trial.config, onProgress, signal);
    if (!out.ok && out.aborted) return undefined;
    return out.ok
      ? { number: trial.number, status: 'completed', result: out.result, reward: rewardOf(out.result) }
      : { number: trial.number, status: 'failed', error: out.error };
  };
}

export interface ClaimLoopOptions {
  store: TrialStore;
  /** The searches to take trials from, first ones first; asked before every claim (a worker's list changes). */
  searches: () => readonly number[];
  worker: TrialWorker;
  lanes: number;
  train: TrainClaimed;
  /** How long an idle lane waits before asking again, unless `wake` is called first (default 1 s). */
  pollMs?: number;
  started?(trial: TrialRecord, lane: number): void;
  progress?(number: number, p: TrainProgress): void;
  /** The outcome was written (`written`), or the trial had been taken from this claimant meanwhile. */
  finished?(outcome: CompletedOrFailed, written: boolean): void;
  /** A store call failed: the loop stops (the caller decides what that means). */
  failed?(e: unknown): void;
  /** Hand the trials aborted by `stop` back to the queue at once (a worker), instead of leaving them to the owner. */
  releaseOnStop?: boolean;
}

const keyOf = (searchId: number, number: number) => `${searchId}/${number}`;

interface Claimed {
  searchId: number;
  number: number;
  progress?: TrainProgress;
  lost: AbortController;
}

export class ClaimLoop {
  private readonly abort = new AbortController();
  private readonly claimed = new Map<string, Claimed>();
  private readonly sleepers = new Set<() => void>();
  private stopped = false;
  private beat: NodeJS.Timeout | undefined;
  private lanesDone: Promise<void> | undefined;

  constructor(private readonly o: ClaimLoopOptions) {}

  /** Starts the lanes (and the heartbeat of their trials); `done` settles when they have all stopped. */
  start(): this {
    const every = heartbeatEveryMs(this.o.store.staleAfterMs);
    this.beat = setInterval(() => void this.heartbeat(), every);
    this.beat.unref();
    this.lanesDone = Promise.all(Array.from({ length: this.o.lanes }, (_, lane) => this.lane(lane))).then(() => {});
    return this;
  }

  get done(): Promise<void> {
    return this.lanesDone ?? Promise.resolve();
  }

  /** New trials were dispatched: idle lanes ask now instead of at their next poll. */
  wake(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  /** Stops claiming and aborts the trials being trained; resolves once every lane has stopped. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.wake();
    await this.done;
    if (this.beat !== undefined) clearInterval(this.beat);
  }

  /** How many trials this loop is training now. */
  get training(): number {
    return this.claimed.size;
  }

  private async claim(): Promise<TrialRecord | undefined> {
    for (const searchId of this.o.searches()) {
      if (this.stopped) return undefined;
      const trial = await this.o.store.claimTrial(this.o.worker, { searchId });
      if (trial) return trial;
    }
    return undefined;
  }

  private async lane(lane: number): Promise<void> {
    const { store, worker } = this.o;
    try {
      while (!this.stopped) {
        const trial = await this.claim();
        if (!trial) {
          if (!this.stopped) await this.idle();
          continue;
        }
        const mine: Claimed = { searchId: trial.searchId, number: trial.number, lost: new AbortController() };
        const key = keyOf(trial.searchId, trial.number);
        this.claimed.set(key, mine);
        this.o.started?.(trial, lane);
        const signal = AbortSignal.any([this.abort.signal, mine.lost.signal]);
        const onProgress = (p: TrainProgress) => {
          mine.progress = p;
          this.o.progress?.(trial.number, p);
        };
        const outcome = await this.o.train(trial, onProgress, signal);
        this.claimed.delete(key);
        if (mine.lost.signal.aborted) continue;
        if (!outcome) {
          if (this.o.releaseOnStop) await store.releaseClaim(trial.searchId, trial.number, worker);
          continue;
        }
        const written = await store.completeClaimed(trial.searchId, worker, outcome);
        this.o.finished?.(outcome, written);
      }
    } catch (e) {
      this.stopped = true;
      this.abort.abort();
      this.o.failed?.(e);
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.o.pollMs ?? 1000);
      this.sleepers.add(done);
    });
  }

  /** One beat per claimed trial; a trial found no longer ours is aborted (someone else trains it now). */
  private async heartbeat(): Promise<void> {
    const { store, worker } = this.o;
    for (const mine of [...this.claimed.values()]) {
      try {
        const ours = await store.trialHeartbeat(mine.searchId, mine.number, worker, mine.progress ?? null);
        if (!ours) mine.lost.abort();
      } catch {
        // The database is away (the store retries its calls): the next beat tries again.
      }
    }
  }
}
