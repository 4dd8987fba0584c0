/**
 * The heartbeat of an owned search (src/search/heartbeat.ts): it beats on its timer and on a due `tick`, and a beat
 * that finds the search taken over stops it, keeps why and tells the owner. Fake timers move time; the store's own
 * clock is moved by hand, so nothing here depends on how fast the machine is.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isUsageError } from '../../src/errors.js';
import { Heartbeat } from '../../src/search/heartbeat.js';
import { staleAfterMsFromEnv } from '../../src/store/ownership.js';
import { SqliteCore } from '../../src/store/sqlite/sqlite-core.js';
import { openSqliteStore, type SqliteTrialStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeSearch, manualClock } from '../store/fixtures.js';

describe('Heartbeat', () => {
  let clock: ReturnType<typeof manualClock>;
  let store: SqliteTrialStore;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = manualClock();
    store = openSqliteStore(':memory:', { now: clock.now, host: 'here', staleAfterMs: 6000 });
  });
  afterEach(() => {
    store.core.close();
    vi.useRealTimers();
  });

  const beatAt = (id: number) => store.core.getSearch(id).owner!.heartbeatAt;

  it('beats every sixth of the staleness window, and on a tick once a beat is due', async () => {
    const s = store.core.createSearch(makeSearch('beating'));
    store.core.acquire(s.id, { pid: process.pid, host: 'here' });
    const hb = new Heartbeat(store, s.id).start();
    expect(hb.everyMs).toBe(1000);
    const t0 = beatAt(s.id);
    clock.advance(500);
    await vi.advanceTimersByTimeAsync(999);
    expect(beatAt(s.id)).toBe(t0);
    await vi.advanceTimersByTimeAsync(1);
    expect(beatAt(s.id)).toBe(t0 + 500);
    clock.advance(500);
    expect(hb.tick()).toBe(false); // not due: the timer just beat
    expect(beatAt(s.id)).toBe(t0 + 500);
    vi.setSystemTime(Date.now() + 1000); // a long synchronous stretch: timers could not fire, ticks can
    expect(hb.tick()).toBe(true); // it beat: a caller that can yield lets a database server receive it
    await vi.advanceTimersByTimeAsync(0);
    expect(beatAt(s.id)).toBe(t0 + 1000);
    hb.stop();
    clock.advance(500);
    await vi.advanceTimersByTimeAsync(5000);
    expect(beatAt(s.id)).toBe(t0 + 1000);
  });

  it('stops, keeps the error and tells the owner when another process took the search over', async () => {
    const s = store.core.createSearch(makeSearch('taken'));
    store.core.acquire(s.id, { pid: process.pid, host: 'here' });
    const hb = new Heartbeat(store, s.id).start();
    const onLost = vi.fn();
    hb.onLost(onLost);
    clock.advance(6001); // this process stalled past the window: another one takes over
    new SqliteCore(store.db, ':memory:', { now: clock.now, host: 'here', staleAfterMs: 6000 }).acquire(s.id, {
      pid: process.ppid,
      host: 'here',
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(onLost).toHaveBeenCalledTimes(1);
    expect(isUsageError(hb.lost)).toBe(true);
    expect((hb.lost as Error).message).toMatch(/^search 'taken' was taken over by pid \d+ on host here$/);
    await vi.advanceTimersByTimeAsync(5000);
    expect(onLost).toHaveBeenCalledTimes(1);
    expect(store.core.getSearch(s.id).owner!.pid).toBe(process.ppid);
  });
});

describe('the staleness window', () => {
  it('is EMBNAS_HEARTBEAT_TIMEOUT_S seconds when set, else 30 s; anything else is one line naming the variable', () => {
    expect(staleAfterMsFromEnv({})).toBe(30_000);
    expect(staleAfterMsFromEnv({ EMBNAS_HEARTBEAT_TIMEOUT_S: '90' })).toBe(90_000);
    expect(() => staleAfterMsFromEnv({ EMBNAS_HEARTBEAT_TIMEOUT_S: 'soon' })).toThrow(
      /^EMBNAS_HEARTBEAT_TIMEOUT_S=soon: not a number of seconds ≥ 1$/,
    );
    expect(openSqliteStore(':memory:', {}).staleAfterMs).toBe(staleAfterMsFromEnv());
  });
});
