/**
 * Store overhead must stay negligible next to training (target ≤ 1 ms per trial). This drives 10,000 trials through
 * the full lifecycle on a file-backed store — one transaction each for enqueue, start, and results + controller
 * snapshot, as a search with one worker does — prints the measured cost, and asserts only generous bounds so a busy
 * machine does not make it flaky. The trials are written in beforeAll, so each test also passes when run alone.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteTrialStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeConfig, makeResult, makeSearch, tempDir } from './fixtures.js';

const TRIALS = 10_000;
/** A Criteo-sized config: 26 categorical fields. */
const DIMS = Array.from({ length: 26 }, (_, i) => [0, 2, 4, 8, 16, 32][i % 6]);
/** Roughly what a REINFORCE controller keeps: logits per field and choice, a baseline, seedrandom's ARC4 state. */
const SNAPSHOT_STATE = {
  logits: DIMS.map(() => Array.from({ length: 10 }, (_, j) => j * 0.01)),
  baseline: 0.71,
  rng: { i: 17, j: 200, S: Array.from({ length: 256 }, (_, k) => k) },
};

/** Wall time, and this process's CPU time (user + system): the latter hardly moves when the machine is busy. */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000 };
}

describe('store performance (10,000 trials, file-backed)', () => {
  let store: SqliteTrialStore;
  let cleanup: () => void;
  let searchId: number;
  /** Wall and CPU milliseconds of the whole lifecycle of the TRIALS trials. */
  let lifecycle: { ms: number; cpuMs: number };

  beforeAll(async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    store = openSqliteStore(path.join(tmp.dir, 'trials.db'));
    searchId = (await store.createSearch(makeSearch('perf', TRIALS))).id;
    lifecycle = await timed(async () => {
      for (let n = 0; n < TRIALS; n++) {
        await store.enqueueTrials(searchId, [{ number: n, config: makeConfig(DIMS, n), seed: n }]);
        await store.markRunning(searchId, n);
        const auc = 0.6 + ((n * 7919) % 1000) / 5000;
        await store.recordResults(
          searchId,
          [{ number: n, status: 'completed', result: makeResult(auc, 1000 + n), reward: auc - 0.01 }],
          { step: n + 1, state: SNAPSHOT_STATE },
        );
      }
    });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    cleanup?.();
  });

  it('costs well under a few milliseconds per trial (enqueue + start + results with snapshot)', async () => {
    const { ms, cpuMs } = lifecycle;
    const perTrial = ms / TRIALS;
    console.log(
      `store: ${TRIALS} trials in ${ms.toFixed(0)} ms = ${perTrial.toFixed(3)} ms per trial ` +
        `(CPU ${(cpuMs / TRIALS).toFixed(3)} ms per trial)`,
    );
    expect((await store.getSummary(searchId)).counts.completed).toBe(TRIALS);
    expect(perTrial).toBeLessThan(5);
  });

  it('lists searches and the top 10 by reward well under a second', async () => {
    const list = await timed(() => store.listSearches());
    const top = await timed(() => store.listTrials(searchId, { orderBy: 'reward', limit: 10 }));
    const queued = await timed(() => store.listTrials(searchId, { status: 'queued' }));
    console.log(
      `store: listSearches ${list.ms.toFixed(2)} ms, top 10 by reward ${top.ms.toFixed(2)} ms, ` +
        `queued trials ${queued.ms.toFixed(2)} ms`,
    );
    expect(queued.value).toEqual([]);
    expect(queued.ms).toBeLessThan(1000);
    expect(list.value[0].counts.completed).toBe(TRIALS);
    const rewards = top.value.map((t) => t.reward!);
    expect(rewards).toHaveLength(10);
    expect(rewards).toEqual([...rewards].sort((a, b) => b - a));
    expect(rewards[0]).toBe(list.value[0].bestReward);
    expect(list.ms).toBeLessThan(1000);
    expect(top.ms).toBeLessThan(1000);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
