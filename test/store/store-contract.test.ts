/**
 * The TrialStore contract (src/store/trial-store.ts), promises 1–11, checked against every store: a SQLite file,
 * SQLite in memory and a PostgreSQL database (store-harness.ts). The queue's promises (12–19) are in
 * store-queue.test.ts; what only one database has (pragmas, file migration, URLs) in store-open.test.ts and
 * postgres-store.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configKey } from '../../src/store/config-key.js';
import { makeConfig, makeResult, makeSearch, manualClock, searchWithTrials as trialsIn } from './fixtures.js';
import { expectUsageError, storeKinds, type Harness } from './store-harness.js';

describe.each(storeKinds())('TrialStore contract (%s)', (_kind, open) => {
  let h: Harness;
  let clock: ReturnType<typeof manualClock>;

  beforeEach(async () => {
    clock = manualClock();
    h = await open({ now: clock.now, host: 'here' });
  });
  afterEach(async () => {
    await h.cleanup();
  });

  const searchWithTrials = (n: number, name?: string) => trialsIn(h.store, n, name);

  it('creates, finds and lists searches; refuses duplicates and unknown names', async () => {
    const a = await h.store.createSearch(makeSearch('alpha', 20));
    expect(a).toMatchObject({ name: 'alpha', status: 'running', trialsBudget: 20, owner: null, finishedAt: null });
    expect((await h.store.getSearch(String(a.id))).name).toBe('alpha');
    expect((await h.store.getSearch(a.id)).name).toBe('alpha');
    expect((await h.store.getSearch('alpha')).id).toBe(a.id);
    await expectUsageError(h.store.createSearch(makeSearch('alpha')), /already exists.*embnas resume alpha.*--name/);
    await expectUsageError(h.store.createSearch(makeSearch('123')), /only digits.*--name/);
    // A 'started' payload is written with the row, never apart from it.
    const b = await h.store.createSearch({ ...makeSearch('beta'), started: { controller: 'tpe', mode: 'oneshot' } });
    const started = (await h.store.events(b.id)).filter((e) => e.kind === 'started').map((e) => e.payload);
    expect(started).toEqual([{ controller: 'tpe', mode: 'oneshot' }]);
    await expectUsageError(h.store.getSearch('nope'), /no search 'nope'.*embnas list/);
    await expectUsageError(h.store.getSearch('99'), /no search '99'/);
    await h.store.setBudget(a.id, 50);
    await h.store.setStatus(a.id, 'finished');
    expect(await h.store.getSearch(a.id)).toMatchObject({
      trialsBudget: 50,
      status: 'finished',
      finishedAt: clock.now(),
    });
    await expectUsageError(h.store.setBudget(a.id, -1), /trials budget/);
  });

  it('restarts a search that has nothing yet in place, and refuses once it has a trial', async () => {
    const a = await h.store.createSearch(makeSearch('alpha', 20));
    await h.store.setStatus(a.id, 'failed');
    const again = await h.store.restartSearch(a.id, {
      ...makeSearch('alpha', 8),
      spaceText: 'name: other\n',
      spaceHash: 'def456',
      seed: 7,
    });
    expect(again).toMatchObject({
      id: a.id,
      name: 'alpha',
      spaceText: 'name: other\n',
      spaceHash: 'def456',
      seed: 7,
      trialsBudget: 8,
      status: 'running',
      finishedAt: null,
    });
    expect((await h.store.events(a.id)).map((e) => e.kind)).toContain('search_restarted');
    const b = await searchWithTrials(1, 'beta');
    await expect(h.store.restartSearch(b.id, makeSearch('beta', 3))).rejects.toThrow(
      /cannot be restarted: it has trials/,
    );
    expect((await h.store.getSearch(b.id)).trialsBudget).toBe(10);
    const c = await h.store.createSearch(makeSearch('gamma'));
    await h.store.saveCheckpoint(c.id, { step: 1, payload: new Uint8Array([1]) });
    await expect(h.store.restartSearch(c.id, makeSearch('gamma', 3))).rejects.toThrow(/checkpoints/);
  });

  it('summarises every search with counts and bests', async () => {
    const s = await searchWithTrials(5, 'counted');
    await h.store.createSearch(makeSearch('empty'));
    for (const n of [0, 1, 2]) await h.store.markRunning(s.id, n);
    await h.store.recordResults(
      s.id,
      [
        { number: 0, status: 'completed', result: makeResult(0.71), reward: 0.69 },
        { number: 1, status: 'completed', result: makeResult(0.75), reward: 0.6 },
        { number: 3, status: 'completed', result: makeResult(0.71), reward: 0.69, cacheHit: true },
      ],
      { step: 1, state: {} },
    );
    const [counted, empty] = await h.store.listSearches();
    expect(counted.counts).toEqual({ queued: 1, running: 1, completed: 3, failed: 0, interrupted: 0 });
    expect(counted).toMatchObject({ name: 'counted', bestReward: 0.69, bestAuc: 0.75, cacheHits: 1 });
    expect(counted.lastTrialNumber).toBe(4);
    expect(empty).toMatchObject({ name: 'empty', bestReward: null, lastTrialNumber: null, cacheHits: 0 });
    expect(empty.counts.completed).toBe(0);
    expect(await h.store.getSummary('counted')).toEqual(counted);
  });

  it('walks the lifecycle and round-trips results exactly', async () => {
    const s = await searchWithTrials(2);
    expect(await h.store.getTrial(s.id, 0)).toMatchObject({
      status: 'queued',
      attempts: 1,
      result: null,
      startedAt: null,
      worker: null,
      progress: null,
      dispatched: false,
    });
    await h.store.markRunning(s.id, 0);
    await expect(h.store.markRunning(s.id, 0)).rejects.toThrow(/is running, not queued/);
    await h.store.markRunning(s.id, 1);
    // Floats that only survive a store that keeps all 64 bits.
    const result = { ...makeResult(0.8123), validLogloss: 0.1 + 0.2, rowsPerSec: 1 / 3, wallSeconds: Math.PI * 1e-7 };
    await h.store.recordResults(
      s.id,
      [
        { number: 0, status: 'completed', result, reward: 0.8 + Number.EPSILON },
        { number: 1, status: 'failed', error: 'out of memory' },
      ],
      { step: 1, state: { theta: [0.25, -1], rng: { i: 3, S: [1, 2] } } },
    );
    const done = (await h.store.getTrial(s.id, 0))!;
    expect(done).toMatchObject({ status: 'completed', reward: 0.8 + Number.EPSILON, cacheHit: false, error: null });
    expect(done.result).toEqual(result);
    expect(done.config).toEqual(makeConfig([4, 8, 0], 100));
    expect(await h.store.getTrial(s.id, 1)).toMatchObject({ status: 'failed', error: 'out of memory', result: null });
    const snapshot = await h.store.latestSnapshot(s.id);
    expect(snapshot).toMatchObject({ step: 1, state: { theta: [0.25, -1], rng: { i: 3, S: [1, 2] } } });
  });

  it('never modifies a completed trial, through the API or raw SQL', async () => {
    const s = await searchWithTrials(1);
    await h.store.markRunning(s.id, 0);
    const first = { number: 0, status: 'completed' as const, result: makeResult(0.7), reward: 0.7 };
    await h.store.recordResults(s.id, [first], { step: 1, state: null });
    const before = await h.store.getTrial(s.id, 0);
    const again = { number: 0, status: 'completed' as const, result: makeResult(0.9), reward: 0.9 };
    const next = { step: 2, state: null };
    await expect(h.store.recordResults(s.id, [again], next)).rejects.toThrow(/completed and cannot be modified/);
    const failed = { number: 0, status: 'failed' as const, error: 'x' };
    await expect(h.store.recordResults(s.id, [failed], next)).rejects.toThrow(/completed/);
    await expect(h.store.markRunning(s.id, 0)).rejects.toThrow(/completed/);
    await expect(h.raw('UPDATE trials SET reward = 1 WHERE number = 0')).rejects.toThrow(/cannot be modified/);
    await expect(h.raw(`UPDATE trials SET status = 'queued' WHERE number = 0`)).rejects.toThrow(/cannot be modified/);
    await expect(h.raw('DELETE FROM trials WHERE number = 0')).rejects.toThrow(/cannot be deleted/);
    expect(await h.store.getTrial(s.id, 0)).toEqual(before);
    expect((await h.store.latestSnapshot(s.id))!.step).toBe(1);
  });

  it('writes results and the snapshot atomically: a failure mid-transaction writes nothing', async () => {
    const s = await searchWithTrials(2);
    await h.store.markRunning(s.id, 0);
    await h.store.markRunning(s.id, 1);
    const good = { number: 0, status: 'completed' as const, result: makeResult(0.7), reward: 0.7 };
    // A later result that cannot be written (no such trial) after one that could.
    const bad = { number: 7, status: 'failed' as const, error: 'x' };
    await expect(h.store.recordResults(s.id, [good, bad], { step: 1, state: {} })).rejects.toThrow(/no trial 7/);
    // Results fine, snapshot unserialisable (BigInt): the results must be undone too.
    await expect(h.store.recordResults(s.id, [good], { step: 1, state: { n: 1n } })).rejects.toThrow(/BigInt/);
    expect((await h.store.getTrial(s.id, 0))!.status).toBe('running');
    expect(await h.store.latestSnapshot(s.id)).toBeUndefined();
    await h.store.recordResults(s.id, [good], { step: 1, state: { n: 1 } });
    expect((await h.store.getTrial(s.id, 0))!.status).toBe('completed');
    expect(await h.store.latestSnapshot(s.id)).toMatchObject({ step: 1, state: { n: 1 } });
    // A snapshot alone (no result) is a valid observation too.
    await h.store.recordResults(s.id, [], { step: 2, state: { n: 2 } });
    expect(await h.store.latestSnapshot(s.id)).toMatchObject({ step: 2, state: { n: 2 } });
  });

  it('keeps snapshot history; the newest wins', async () => {
    const s = await searchWithTrials(2);
    await h.store.recordResults(s.id, [{ number: 0, status: 'failed', error: 'a' }], { step: 1, state: 'one' });
    clock.advance(5);
    await h.store.recordResults(s.id, [{ number: 1, status: 'failed', error: 'b' }], { step: 2, state: 'two' });
    expect(await h.store.latestSnapshot(s.id)).toEqual({ step: 2, state: 'two', createdAt: clock.now() });
    expect(await h.raw('SELECT count(*) AS n FROM controller_snapshots')).toEqual([{ n: 2 }]);
    await expect(h.raw('DELETE FROM controller_snapshots')).rejects.toThrow(/append-only/);
  });

  it('keeps one checkpoint per search, replaced whole; another process reads it byte for byte', async () => {
    const a = await h.store.createSearch(makeSearch('a'));
    const b = await h.store.createSearch(makeSearch('b'));
    expect(await h.store.latestCheckpoint(a.id)).toBeUndefined();
    const big = new Uint8Array(3 << 20).map((_, i) => (i * 31) & 255);
    await h.store.saveCheckpoint(a.id, { step: 10, payload: big.subarray(5, 1000) });
    await h.store.saveCheckpoint(b.id, { step: 3, payload: new Uint8Array([1, 2, 3]) });
    clock.advance(7);
    await h.store.saveCheckpoint(a.id, { step: 20, payload: big });
    const read = (await (await h.another()).latestCheckpoint(a.id))!;
    expect(read.step).toBe(20);
    expect(read.createdAt).toBe(clock.now());
    expect(Buffer.compare(Buffer.from(read.payload), Buffer.from(big))).toBe(0);
    expect(await h.raw('SELECT count(*) AS n FROM checkpoints')).toEqual([{ n: 2 }]);
    await h.store.deleteCheckpoint(a.id);
    expect(await h.store.latestCheckpoint(a.id)).toBeUndefined();
    expect((await h.store.latestCheckpoint(b.id))!.payload).toEqual(new Uint8Array([1, 2, 3]));
    await expectUsageError(h.store.saveCheckpoint(999, { step: 1, payload: new Uint8Array(1) }), /999/);
  });

  it('numbers trials uniquely per search; a clashing batch enqueues nothing', async () => {
    const s = await searchWithTrials(2);
    const t = (number: number) => ({ number, config: makeConfig([2]), seed: number });
    await expect(h.store.enqueueTrials(s.id, [t(2), t(1)])).rejects.toThrow(/already has a trial 1/);
    expect(await h.store.getTrial(s.id, 2)).toBeUndefined();
    const other = await h.store.createSearch(makeSearch('other'));
    await h.store.enqueueTrials(other.id, [t(0), t(1)]);
    expect((await h.store.listTrials(other.id)).map((x) => x.number)).toEqual([0, 1]);
    await expectUsageError(h.store.enqueueTrials(999, [t(0)]), /no search '999'/);
  });

  it('lists trials by number, or by reward with unfinished trials last, from a number on', async () => {
    const s = await searchWithTrials(5);
    const rewards = [0.5, 0.9, 0.7];
    await h.store.recordResults(
      s.id,
      rewards.map((reward, number) => ({ number, status: 'completed' as const, result: makeResult(reward), reward })),
      { step: 1, state: null },
    );
    const four = { number: 4, status: 'completed' as const, result: makeResult(0.9), reward: 0.9 };
    await h.store.recordResults(s.id, [four], { step: 2, state: null });
    const numbers = async (o: Parameters<typeof h.store.listTrials>[1]) =>
      (await h.store.listTrials(s.id, o)).map((t) => t.number);
    expect(await numbers({ orderBy: 'reward' })).toEqual([1, 4, 2, 0, 3]);
    expect(await numbers({ orderBy: 'reward', limit: 2 })).toEqual([1, 4]);
    expect(await numbers({ status: 'queued' })).toEqual([3]);
    expect(await numbers({ status: ['queued', 'completed'] })).toEqual([0, 1, 2, 3, 4]);
    expect(await numbers({ fromNumber: 2 })).toEqual([2, 3, 4]);
    expect(await numbers({ fromNumber: 2, status: 'completed', orderBy: 'reward', limit: 1 })).toEqual([4]);
  });

  it('finds an earlier identical trial by config key (the seed does not count)', async () => {
    const s = await h.store.createSearch(makeSearch('cache'));
    await h.store.enqueueTrials(s.id, [
      { number: 0, config: makeConfig([8, 4], 1), seed: 1 },
      { number: 1, config: makeConfig([8, 2], 2), seed: 2 },
    ]);
    const key = configKey(makeConfig([8, 4], 99));
    expect(await h.store.findCompletedByConfigKey(s.id, key)).toBeUndefined();
    const done = { number: 0, status: 'completed' as const, result: makeResult(0.7), reward: 0.7 };
    await h.store.recordResults(s.id, [done], { step: 1, state: null });
    expect((await h.store.findCompletedByConfigKey(s.id, key))?.number).toBe(0);
    expect(await h.store.findCompletedByConfigKey(s.id, configKey(makeConfig([8, 2])))).toBeUndefined();
  });

  it('keeps an append-only event log in order', async () => {
    const s = await h.store.createSearch(makeSearch('log'));
    const a = await h.store.appendEvent(s.id, 'paused', { by: 'user' });
    const b = await h.store.appendEvent(s.id, 'resumed');
    expect(b).toBeGreaterThan(a);
    const kinds = (await h.store.events(s.id)).map((e) => [e.kind, e.payload]);
    expect(kinds).toEqual([
      ['search_created', { name: 'log', seed: 42, trialsBudget: 10 }],
      ['paused', { by: 'user' }],
      ['resumed', null],
    ]);
    expect((await h.store.events(s.id, { afterId: a })).map((e) => e.kind)).toEqual(['resumed']);
    expect((await h.store.events(s.id, { limit: 1 })).map((e) => e.kind)).toEqual(['search_created']);
    await expect(h.raw(`UPDATE events SET kind = 'x'`)).rejects.toThrow(/append-only/);
    await expect(h.raw('DELETE FROM events')).rejects.toThrow(/append-only/);
    expect(await h.store.events(s.id)).toHaveLength(3);
  });
});
