/**
 * How the process that drives a search learns that a dispatched trial has finished, whoever trained it: its own lanes
 * say so at once; a trial trained elsewhere (`embnas worker` on another machine) is seen in the store, which is read
 * while anything is awaited. The same reading shows remote trials as they start and progress, and hands the trials of
 * a claimant that died back to the queue (store: requeueStale), so another takes them.
 */
import type { TrainProgress } from '../engine/trial-config.js';
import { heartbeatEveryMs } from '../store/ownership.js';
import type { CompletedOrFailed, TrialRecord, TrialStore, TrialWorker } from '../store/trial-store.js';

export interface RemoteTrialListener {
  remoteStarted?(trial: TrialRecord, where: string): void;
  remoteProgress?(number: number, p: TrainProgress): void;
  /** A trial whose claimant died went back to the queue. */
  requeued?(numbers: number[]): void;
}

/** How a claimant is named on screen and in `show --json`: host and process. */
export function workerLabel(w: TrialWorker): string {
  return `${w.host}:${w.pid}`;
}

export class TrialOutcomes {
  private readonly waiting = new Map<number, (outcome: CompletedOrFailed | undefined) => void>();
  private readonly announced = new Map<number, string>();
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  private lastRequeue = 0;

  constructor(
    private readonly store: TrialStore,
    private readonly searchId: number,
    private readonly me: TrialWorker,
    private readonly listener: RemoteTrialListener = {},
    private readonly pollMs = 500,
  ) {}

  /** The outcome of trial `number` once it is stored (or told by a local lane); undefined after `cancel`. */
  outcome(number: number): Promise<CompletedOrFailed | undefined> {
    return new Promise((resolve) => {
      this.waiting.set(number, resolve);
      this.timer ??= setInterval(() => void this.read(), this.pollMs);
    });
  }

  /** A local lane wrote this outcome. */
  told(outcome: CompletedOrFailed): void {
    this.settle(outcome.number, outcome);
  }

  /** Stops waiting: every pending outcome resolves undefined. */
  cancel(): void {
    for (const number of [...this.waiting.keys()]) this.settle(number, undefined);
  }

  private settle(number: number, outcome: CompletedOrFailed | undefined): void {
    const resolve = this.waiting.get(number);
    if (!resolve) return;
    this.waiting.delete(number);
    this.announced.delete(number);
    resolve(outcome);
    if (this.waiting.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** One look at the awaited trials in the store; errors wait for the next look (the store retries its calls). */
  private async read(): Promise<void> {
    if (this.reading || this.waiting.size === 0) return;
    this.reading = true;
    try {
      const from = Math.min(...this.waiting.keys());
      const trials = await this.store.listTrials(this.searchId, { fromNumber: from });
      for (const t of trials) {
        if (!this.waiting.has(t.number)) continue;
        if (t.status === 'completed' && t.result && t.reward !== null) {
          this.settle(t.number, {
            number: t.number,
            status: 'completed',
            result: t.result,
            reward: t.reward,
            cacheHit: t.cacheHit,
          });
        } else if (t.status === 'failed') {
          this.settle(t.number, { number: t.number, status: 'failed', error: t.error ?? 'failed' });
        } else if (t.status === 'running' && t.worker && t.worker.run !== this.me.run) {
          const where = workerLabel(t.worker);
          if (this.announced.get(t.number) !== where) {
            this.announced.set(t.number, where);
            this.listener.remoteStarted?.(t, where);
          }
          if (t.progress) this.listener.remoteProgress?.(t.number, t.progress as TrainProgress);
        }
      }
      await this.requeueDead();
    } catch {
      // The database is away for a moment: the next look tries again.
    } finally {
      this.reading = false;
    }
  }

  /** Every few seconds: the trials of claimants that died go back to the queue for someone else. */
  private async requeueDead(): Promise<void> {
    const now = Date.now();
    if (now - this.lastRequeue < heartbeatEveryMs(this.store.staleAfterMs)) return;
    this.lastRequeue = now;
    const requeued = await this.store.requeueStale(this.searchId);
    if (requeued.length === 0) return;
    for (const t of requeued) this.announced.delete(t.number);
    this.listener.requeued?.(requeued.map((t) => t.number));
  }
}
