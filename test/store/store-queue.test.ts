/**
 * The workers' queue (promises 12–18 of src/store/trial-store.ts) against every store (store-harness.ts): dispatch,
 * claims (two claimers racing on two connections never share a trial; each claim leaves its own token), claim
 * heartbeats, claimed outcomes, release, the sweep of dead claimants' trials, and the owner's recovery that leaves a
 * live worker's trial alone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RUN_ID } from '../../src/store/ownership.js';
import type { TrialWorker } from '../../src/store/trial-store.js';
import { deadPid, makeResult, manualClock, searchWithTrials as trialsIn } from './fixtures.js';
import { storeKinds, type Harness } from './store-harness.js';

/** A worker on another machine (alive while its claim heartbeat is fresh), and two more of other runs. */
const FAR: TrialWorker = { host: 'far', pid: 7, run: 'far-run' };
const FAR2: TrialWorker = { host: 'far', pid: 8, run: 'far-run-2' };
/** This process's own run. */
const OWN: TrialWorker = { host: 'here', pid: process.pid, run: RUN_ID };

describe.each(storeKinds())('TrialStore queue (%s)', (_kind, open) => {
  let h: Harness;
  let clock: ReturnType<typeof manualClock>;

  beforeEach(async () => {
    clock = manualClock();
    h = await open({ now: clock.now, host: 'here' });
  });
  afterEach(async () => {
    await h.cleanup();
  });

  const searchWithTrials = (n: number, name?: string, dispatch?: number[]) => trialsIn(h.store, n, name, dispatch);

  const numbersOf = (trials: { number: number }[]) => trials.map((t) => t.number);
  /** The claim tokens of a search's trials, by number (a column the API does not show). */
  const tokensOf = (searchId: number) =>
    h.raw('SELECT number, claim_token FROM trials WHERE search_id = ? ORDER BY number', [searchId]);

  it('12. enqueued trials wait for dispatch; dispatch takes only queued trials, all or none', async () => {
    const s = await searchWithTrials(4);
    expect(await h.store.claimTrial(FAR)).toBeUndefined();
    await h.store.dispatchTrials(s.id, [1, 0]);
    expect((await h.store.listTrials(s.id)).map((t) => t.dispatched)).toEqual([true, true, false, false]);
    await h.store.markRunning(s.id, 3, OWN);
    expect(await h.store.getTrial(s.id, 3)).toMatchObject({ status: 'running', worker: OWN, dispatched: false });
    await expect(h.store.dispatchTrials(s.id, [2, 3])).rejects.toThrow(/trial 3 of search \d+ is running, not queued/);
    await expect(h.store.dispatchTrials(s.id, [9])).rejects.toThrow(/has no trial 9/);
    expect((await h.store.getTrial(s.id, 2))!.dispatched).toBe(false);
  });

  it('13. claims the lowest dispatched trial, of running searches by search id, or of the search asked for', async () => {
    const a = await searchWithTrials(3, 'a', [2]);
    const b = await searchWithTrials(2, 'b', [1, 0]);
    const c = await searchWithTrials(1, 'c', [0]);
    await h.store.setStatus(c.id, 'stopped');
    clock.advance(5);
    const first = await h.store.claimTrial(FAR);
    expect(first).toMatchObject({ searchId: a.id, number: 2, status: 'running', worker: FAR, dispatched: true });
    expect(first!.startedAt).toBe(clock.now());
    expect(first!.progress).toBeNull();
    const next = [await h.store.claimTrial(FAR2), await h.store.claimTrial(FAR)];
    expect(next.map((t) => [t!.searchId, t!.number])).toEqual([
      [b.id, 0],
      [b.id, 1],
    ]);
    expect(await h.store.claimTrial(FAR)).toBeUndefined();
    expect(await h.store.claimTrial(FAR, { searchId: c.id })).toMatchObject({ searchId: c.id, number: 0 });
    expect(await h.store.claimTrial(FAR, { searchId: a.id })).toBeUndefined();
  });

  it('13. two claimers on two connections racing for 40 trials get each exactly once, and all of them', async () => {
    const s = await searchWithTrials(
      40,
      'race',
      Array.from({ length: 40 }, (_, i) => i),
    );
    const other = await h.another();
    const claims = Array.from({ length: 50 }, () => [h.store.claimTrial(FAR), other.claimTrial(FAR2)]).flat();
    const got = await Promise.all(claims);
    const taken = got.filter((t) => t !== undefined);
    expect(taken).toHaveLength(40);
    expect(new Set(taken.map((t) => t.number)).size).toBe(40);
    const stored = await h.store.listTrials(s.id);
    expect(stored.every((t) => t.status === 'running')).toBe(true);
    // Each trial's stored claimant is the worker whose call returned it.
    const byNumber = new Map(taken.map((t) => [t.number, t.worker!.run]));
    expect(stored.map((t) => t.worker!.run)).toEqual(stored.map((t) => byNumber.get(t.number)));
    // Each claim wrote a token of its own call (what a retried claim looks for, promise 19).
    const tokens = (await tokensOf(s.id)).map((r) => r.claim_token);
    expect(tokens.every((t) => typeof t === 'string' && t.length > 0)).toBe(true);
    expect(new Set(tokens).size).toBe(40);
  });

  it('14. a claim heartbeat refreshes the claim and keeps progress; false once the trial is not the worker’s', async () => {
    const s = await searchWithTrials(1, 's', [0]);
    await h.store.claimTrial(FAR);
    clock.advance(20_000);
    expect(await h.store.trialHeartbeat(s.id, 0, FAR, { epoch: 1, auc: 0.7 })).toBe(true);
    clock.advance(20_000);
    expect(await h.store.trialHeartbeat(s.id, 0, FAR)).toBe(true);
    expect((await h.store.getTrial(s.id, 0))!.progress).toEqual({ epoch: 1, auc: 0.7 });
    // 40 s after the claim, 20 s after the last beat: alive, so the sweep leaves it.
    expect(await h.store.requeueStale(s.id)).toEqual([]);
    expect(await h.store.trialHeartbeat(s.id, 0, FAR2, { epoch: 9 })).toBe(false);
    clock.advance(h.store.staleAfterMs + 1);
    expect(numbersOf(await h.store.requeueStale(s.id))).toEqual([0]);
    expect(await h.store.trialHeartbeat(s.id, 0, FAR, { epoch: 2 })).toBe(false);
    expect(await h.store.getTrial(s.id, 0)).toMatchObject({ status: 'queued', progress: null, worker: null });
  });

  it('15. a claimed outcome is written only while the trial runs under that worker', async () => {
    const s = await searchWithTrials(2, 's', [0, 1]);
    await h.store.claimTrial(FAR);
    await h.store.claimTrial(FAR2);
    const result = { ...makeResult(0.81), validLogloss: 0.1 + 0.2 };
    const outcome = { number: 0, status: 'completed' as const, result, reward: 0.8 };
    expect(await h.store.completeClaimed(s.id, FAR2, outcome)).toBe(false);
    expect((await h.store.getTrial(s.id, 0))!.status).toBe('running');
    clock.advance(3);
    expect(await h.store.completeClaimed(s.id, FAR, outcome)).toBe(true);
    const done = (await h.store.getTrial(s.id, 0))!;
    expect(done).toMatchObject({ status: 'completed', reward: 0.8, worker: FAR, finishedAt: clock.now() });
    expect(done.result).toEqual(result);
    expect(await h.store.completeClaimed(s.id, FAR, { ...outcome, reward: 0.9 })).toBe(false);
    expect(await h.store.getTrial(s.id, 0)).toEqual(done);
    expect(await h.store.completeClaimed(s.id, FAR2, { number: 1, status: 'failed', error: 'NaN loss' })).toBe(true);
    expect(await h.store.getTrial(s.id, 1)).toMatchObject({ status: 'failed', error: 'NaN loss', worker: FAR2 });
  });

  it('16. a released claim goes back to the queue, still dispatched, same attempt', async () => {
    const s = await searchWithTrials(1, 's', [0]);
    await h.store.claimTrial(FAR);
    const [{ claim_token: first }] = await tokensOf(s.id);
    await h.store.trialHeartbeat(s.id, 0, FAR, { epoch: 1 });
    expect(await h.store.releaseClaim(s.id, 0, FAR2)).toBe(false);
    expect(await tokensOf(s.id)).toEqual([{ number: 0, claim_token: first }]);
    expect(await h.store.releaseClaim(s.id, 0, FAR)).toBe(true);
    expect(await tokensOf(s.id)).toEqual([{ number: 0, claim_token: null }]);
    expect(await h.store.getTrial(s.id, 0)).toMatchObject({
      status: 'queued',
      dispatched: true,
      worker: null,
      progress: null,
      startedAt: null,
      attempts: 1,
    });
    expect(await h.store.releaseClaim(s.id, 0, FAR)).toBe(false);
    expect(await h.store.claimTrial(FAR2)).toMatchObject({ number: 0, worker: FAR2 });
    const [{ claim_token: second }] = await tokensOf(s.id);
    expect([typeof second, second === first]).toEqual(['string', false]);
  });

  it('17. the sweep re-queues dead claimants’ trials (still dispatched), never this run’s nor undispatched ones', async () => {
    const s = await searchWithTrials(6, 's', [0, 1, 2, 3]);
    const gone: TrialWorker = { host: 'here', pid: deadPid(), run: 'gone-run' };
    const parent: TrialWorker = { host: 'here', pid: process.ppid, run: 'parent-run' };
    for (const w of [FAR, gone, OWN, parent]) await h.store.claimTrial(w);
    await h.store.markRunning(s.id, 4, gone); // trained by the owner, not dispatched: recovery's, not the sweep's
    await h.store.trialHeartbeat(s.id, 1, gone, { epoch: 3 });
    const swept = await h.store.requeueStale(s.id);
    expect(swept.map((t) => [t.number, t.status, t.attempts, t.dispatched, t.worker, t.progress])).toEqual([
      [1, 'queued', 2, true, null, null],
    ]);
    expect((await h.store.events(s.id)).at(-1)).toMatchObject({
      kind: 'trials_requeued',
      payload: { numbers: [1], reason: 'claimant gone' },
    });
    clock.advance(h.store.staleAfterMs + 1);
    expect(numbersOf(await h.store.requeueStale(s.id))).toEqual([0, 3]);
    expect(await h.store.requeueStale(s.id)).toEqual([]);
    const left = await h.store.listTrials(s.id, { status: 'running' });
    expect(left.map((t) => [t.number, t.worker])).toEqual([
      [2, OWN],
      [4, gone],
    ]);
    expect(numbersOf(await h.store.listTrials(s.id, { status: 'queued' }))).toEqual([0, 1, 3, 5]);
    // Back in the queue, a trial keeps no claim token; the live claim keeps its own.
    const tokens = new Map((await tokensOf(s.id)).map((r) => [r.number, r.claim_token]));
    expect([0, 1, 3].map((n) => tokens.get(n))).toEqual([null, null, null]);
    expect(typeof tokens.get(2)).toBe('string');
  });

  it('18. the owner re-queues, not dispatched, what dead claimants, its own run or nobody left; live workers keep theirs', async () => {
    const s = await searchWithTrials(5, 's', [0, 1, 2]);
    const gone: TrialWorker = { host: 'here', pid: deadPid(), run: 'gone-run' };
    for (const w of [FAR, gone, OWN]) await h.store.claimTrial(w);
    await h.store.markRunning(s.id, 3);
    await h.store.acquire(s.id, { pid: process.pid, host: 'here' });
    const recovered = await h.store.recoverInterrupted(s.id);
    expect(recovered.map((t) => [t.number, t.status, t.attempts, t.dispatched, t.worker])).toEqual([
      [1, 'queued', 2, false, null],
      [2, 'queued', 2, false, null],
      [3, 'queued', 2, false, null],
    ]);
    expect(await h.store.getTrial(s.id, 0)).toMatchObject({ status: 'running', worker: FAR, dispatched: true });
    expect(await h.store.claimTrial(FAR2)).toBeUndefined();
    clock.advance(h.store.staleAfterMs + 1);
    expect(numbersOf(await h.store.recoverInterrupted(s.id))).toEqual([0]);
    expect((await h.store.getTrial(s.id, 0))!.dispatched).toBe(false);
  });
});
