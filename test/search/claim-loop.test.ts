/**
 * The trainer side of the trial queue (src/search/claim-loop.ts) and how the driver hears of outcomes trained
 * elsewhere (src/search/trial-outcomes.ts), on a SQLite store shared by several claimants with their own identities
 * (as several `embnas worker` processes would be).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrainProgress } from '../../src/engine/trial-config.js';
import { ClaimLoop, type TrainClaimed } from '../../src/search/claim-loop.js';
import { TrialOutcomes } from '../../src/search/trial-outcomes.js';
import { openSqliteStore, type SqliteTrialStore } from '../../src/store/sqlite/sqlite-store.js';
import type { CompletedOrFailed, TrialWorker } from '../../src/store/trial-store.js';
import { deadPid, makeConfig, makeResult, makeSearch } from '../store/fixtures.js';

const worker = (name: string, pid = process.pid): TrialWorker => ({ host: 'here', pid, run: name });

/** A trainer that finishes each trial after `ms`, or comes back undefined when aborted. */
function trainer(ms: number, log: number[] = []): TrainClaimed {
  return (trial, onProgress, signal) =>
    new Promise((resolve) => {
      log.push(trial.number);
      onProgress({ epoch: 0, epochs: 1, batch: 1, batches: 2, rowsPerSec: 10, loss: 0.5 });
      const timer = setTimeout(
        () => resolve({ number: trial.number, status: 'completed', result: makeResult(0.7), reward: 0.7 }),
        ms,
      );
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
}

describe('ClaimLoop', () => {
  let store: SqliteTrialStore;
  let searchId: number;
  beforeEach(async () => {
    store = openSqliteStore(':memory:', { host: 'here', staleAfterMs: 6000 });
    searchId = (await store.createSearch(makeSearch('q', 20))).id;
    await store.enqueueTrials(
      searchId,
      Array.from({ length: 10 }, (_, number) => ({ number, config: makeConfig([2, 4], number), seed: number })),
    );
  });
  afterEach(() => store.close());

  it('lanes of several claimants train every dispatched trial exactly once, lowest numbers first', async () => {
    const trainedBy = new Map<number, string>();
    const loops = ['a', 'b'].map((name) => {
      const log: number[] = [];
      const loop = new ClaimLoop({
        store,
        searches: () => [searchId],
        worker: worker(name),
        lanes: 2,
        pollMs: 10,
        train: trainer(5, log),
        finished: (o, written) => {
          expect(written).toBe(true);
          expect(trainedBy.has(o.number)).toBe(false);
          trainedBy.set(o.number, name);
        },
      });
      return { loop: loop.start(), log };
    });
    await store.dispatchTrials(searchId, [0, 1, 2, 3, 4, 5, 6, 7]);
    for (let i = 0; i < 200 && trainedBy.size < 8; i++) await new Promise((r) => setTimeout(r, 10));
    await Promise.all(loops.map((l) => l.loop.stop()));
    expect([...trainedBy.keys()].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Undispatched trials (8, 9) are the owner's to open: nobody claimed them.
    expect((await store.listTrials(searchId, { status: 'queued' })).map((t) => t.number)).toEqual([8, 9]);
    const trials = await store.listTrials(searchId, { status: 'completed', orderBy: 'number' });
    expect(trials.map((t) => t.worker?.run)).toEqual(
      [...trainedBy.entries()].sort((x, y) => x[0] - y[0]).map((e) => e[1]),
    );
    for (const { log } of loops) expect(log).toEqual([...log].sort((x, y) => x - y));
  });

  it('a worker that stops hands its trials back to the queue, still dispatched, for another to take', async () => {
    const loop = new ClaimLoop({
      store,
      searches: () => [searchId],
      worker: worker('w'),
      lanes: 2,
      pollMs: 10,
      train: trainer(60_000),
      releaseOnStop: true,
    }).start();
    await store.dispatchTrials(searchId, [0, 1, 2]);
    for (let i = 0; i < 200 && loop.training < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(loop.training).toBe(2);
    await loop.stop();
    const queued = await store.listTrials(searchId, { status: 'queued', orderBy: 'number' });
    expect(queued.filter((t) => t.dispatched).map((t) => [t.number, t.worker, t.attempts])).toEqual([
      [0, null, 1],
      [1, null, 1],
      [2, null, 1],
    ]);
  });

  it('a claimant whose trial was taken from it aborts the training and writes nothing', async () => {
    let aborted = false;
    const progress: TrainProgress[] = [];
    const store6 = openSqliteStore(':memory:', { host: 'here', staleAfterMs: 1000 });
    const id = (await store6.createSearch(makeSearch('lost', 4))).id;
    await store6.enqueueTrials(id, [{ number: 0, config: makeConfig([2]), seed: 0 }]);
    const loop = new ClaimLoop({
      store: store6,
      searches: () => [id],
      worker: worker('slow'),
      lanes: 1,
      pollMs: 10,
      progress: (_, p) => progress.push(p),
      train: async (trial, onProgress, signal) => {
        await trainer(60_000)(trial, onProgress, signal);
        aborted = signal.aborted;
        return { number: trial.number, status: 'completed', result: makeResult(0.9), reward: 0.9 };
      },
    }).start();
    await store6.dispatchTrials(id, [0]);
    for (let i = 0; i < 200 && loop.training < 1; i++) await new Promise((r) => setTimeout(r, 5));
    // Another claimant finishes it first (the slow one had been presumed dead and its trial re-queued).
    store6.db.prepare(`UPDATE trials SET worker_run = 'other' WHERE number = 0`).run();
    for (let i = 0; i < 400 && !aborted; i++) await new Promise((r) => setTimeout(r, 5));
    await loop.stop();
    store6.close();
    expect(aborted).toBe(true);
    expect(progress).toHaveLength(1);
  });
});

describe('TrialOutcomes', () => {
  it("settles a trial another process trained, and re-queues a dead claimant's trial", async () => {
    const store = openSqliteStore(':memory:', { host: 'here', staleAfterMs: 1000 });
    const id = (await store.createSearch(makeSearch('o', 4))).id;
    await store.enqueueTrials(
      id,
      [0, 1].map((number) => ({ number, config: makeConfig([2], number), seed: number })),
    );
    await store.dispatchTrials(id, [0, 1]);
    const requeued: number[][] = [];
    const started: string[] = [];
    const outcomes = new TrialOutcomes(
      store,
      id,
      worker('driver'),
      { requeued: (n) => requeued.push(n), remoteStarted: (t, where) => started.push(`${t.number}@${where}`) },
      10,
    );
    const first = outcomes.outcome(0);
    const second = outcomes.outcome(1);
    const remote = worker('remote', process.ppid);
    const dead = worker('dead', deadPid());
    await store.claimTrial(remote, { searchId: id });
    await store.claimTrial(dead, { searchId: id });
    const done: CompletedOrFailed = { number: 0, status: 'completed', result: makeResult(0.8), reward: 0.75 };
    for (let i = 0; i < 100 && started.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(started).toContain(`0@here:${process.ppid}`);
    expect(await store.completeClaimed(id, remote, done)).toBe(true);
    expect(await first).toMatchObject({ number: 0, status: 'completed', reward: 0.75 });
    for (let i = 0; i < 300 && requeued.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(requeued).toEqual([[1]]);
    expect((await store.getTrial(id, 1))?.status).toBe('queued');
    outcomes.cancel();
    expect(await second).toBeUndefined();
    store.close();
  });
});
