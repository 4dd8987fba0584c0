/**
 * Keeps a search's heartbeat going while this process owns it, so that another process can tell a live owner from a
 * dead one (store promise 11): on a timer, which fires between units of work, and on `tick` from long stretches of
 * synchronous work (data loading, the one-shot supernet phase), which beats when a beat is due. A beat that fails —
 * the search was taken over after this process stalled past the staleness window, or the database failed — stops
 * the beating, keeps the error in `lost` and calls `onLost`: the owner then stops and writes nothing more.
 */
import { heartbeatEveryMs } from '../store/ownership.js';
import type { TrialStore } from '../store/trial-store.js';

export class Heartbeat {
  /** Why the heartbeat stopped on its own; the search must stop writing. */
  lost: unknown;
  private last = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private lostListener: (() => void) | undefined;

  constructor(
    private readonly store: TrialStore,
    private readonly searchId: number,
    readonly everyMs = heartbeatEveryMs(store.staleAfterMs),
  ) {}

  /** Starts the timer (it does not keep the process alive). */
  start(): this {
    this.timer ??= setInterval(() => this.beat(), this.everyMs);
    this.timer.unref();
    return this;
  }

  /**
   * Cheap enough to call per batch: beats only when a beat is due, and says so — a caller that can yield should then
   * let the event loop turn once, so that a database server receives the beat (SQLite has already written it).
   */
  tick = (): boolean => {
    if (this.timer === undefined || Date.now() - this.last < this.everyMs) return false;
    this.beat();
    return true;
  };

  onLost(listener: () => void): void {
    this.lostListener = listener;
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private beat(): void {
    this.last = Date.now();
    // Not awaited: a tick comes from synchronous work. SQLite beats at once, inside the call; a database server gets
    // the beat when the work next yields (the store runs its calls one at a time, in order).
    this.store.heartbeat(this.searchId).catch((e: unknown) => {
      if (this.lost !== undefined) return;
      this.lost = e;
      this.stop();
      this.lostListener?.();
    });
  }
}
