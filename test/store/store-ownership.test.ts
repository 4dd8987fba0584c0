/**
 * The TrialStore contract's ownership promises (6 and 11) and the owner's recovery at resume (2, 18), against every
 * store (store-harness.ts). "Another process" is a second store on the same database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RUN_ID } from '../../src/store/ownership.js';
import { deadPid, makeResult, makeSearch, manualClock, searchWithTrials as trialsIn } from './fixtures.js';
import { expectUsageError, storeKinds, type Harness } from './store-harness.js';

describe.each(storeKinds())('TrialStore ownership (%s)', (_kind, open) => {
  let h: Harness;
  let clock: ReturnType<typeof manualClock>;
  const pid = process.pid;

  beforeEach(async () => {
    clock = manualClock();
    h = await open({ now: clock.now, host: 'here' });
  });
  afterEach(async () => {
    await h.cleanup();
  });

  const searchWithTrials = (n: number, name?: string) => trialsIn(h.store, n, name);

  const lastAcquired = async (searchId: number) =>
    (await h.store.events(searchId)).filter((e) => e.kind === 'owner_acquired').at(-1)!.payload;

  it('6. refuses a search owned by a live process, and takes over from a dead pid', async () => {
    const s = await h.store.createSearch(makeSearch('owned'));
    await h.store.acquire(s.id, { pid, host: 'here' });
    await h.store.acquire(s.id, { pid, host: 'here' }); // owned by self
    expect((await h.store.getSearch(s.id)).owner).toMatchObject({ pid, host: 'here', alive: true });
    const rival = await h.another();
    await expectUsageError(
      rival.acquire(s.id, { pid: process.ppid, host: 'here' }),
      new RegExp(`search 'owned' is being run by pid ${pid} on host here.*stop it first or wait`),
    );
    const gone = deadPid();
    await h.raw('UPDATE searches SET owner_pid = ? WHERE id = ?', [gone, s.id]);
    expect((await h.store.getSearch(s.id)).owner!.alive).toBe(false);
    await rival.acquire(s.id, { pid: process.ppid, host: 'here' });
    expect(await lastAcquired(s.id)).toEqual({
      pid: process.ppid,
      host: 'here',
      takenOverFrom: { pid: gone, host: 'here', run: RUN_ID },
    });
    // The first store notices at its next heartbeat and stops.
    await expectUsageError(h.store.heartbeat(s.id), /was taken over by pid \d+ on host here/);
    await rival.release(s.id);
    expect((await h.store.getSearch(s.id)).owner).toBeNull();
    await h.store.acquire(s.id, { pid, host: 'here' });
  });

  it('6. trusts the heartbeat of an owner on another host until it is stale', async () => {
    const s = await h.store.createSearch(makeSearch('remote'));
    const remote = await h.another({ now: clock.now, host: 'far' });
    await remote.acquire(s.id, { pid: 4242, host: 'far' });
    clock.advance(20_000);
    await remote.heartbeat(s.id);
    clock.advance(29_000);
    await expectUsageError(h.store.acquire(s.id, { pid, host: 'here' }), /being run by pid 4242 on host far/);
    clock.advance(2_000);
    await h.store.acquire(s.id, { pid, host: 'here' });
    expect((await h.store.getSearch(s.id)).owner).toMatchObject({ pid, host: 'here' });
  });

  it('11. a stale heartbeat means the owner is gone whatever process has its pid; a fresh one refuses in one line', async () => {
    const s = await h.store.createSearch(makeSearch('stale'));
    const other = await h.another();
    await other.acquire(s.id, { pid: process.ppid, host: 'here' }); // a pid that stays alive on this host
    clock.advance(h.store.staleAfterMs);
    expect((await h.store.getSearch(s.id)).owner!.alive).toBe(true);
    await expectUsageError(
      h.store.acquire(s.id, { pid, host: 'here' }),
      /^search 'stale' is being run by pid \d+ on host here \(last heartbeat 30 s ago\) — stop it first or wait: a run whose heartbeat is 30 s old counts as gone \(EMBNAS_HEARTBEAT_TIMEOUT_S\)$/,
    );
    clock.advance(1);
    expect((await h.store.getSearch(s.id)).owner!.alive).toBe(false);
    expect((await h.store.listSearches())[0].owner!.alive).toBe(false);
    await h.store.acquire(s.id, { pid, host: 'here' });
    expect(((await lastAcquired(s.id)) as { takenOverFrom: unknown }).takenOverFrom).toEqual({
      pid: process.ppid,
      host: 'here',
    });
    expect((await h.store.getSearch(s.id)).owner).toMatchObject({ pid, host: 'here', run: RUN_ID, alive: true });
    // This process's pid under another run id, with a fresh heartbeat: an earlier process that had this pid.
    await h.raw(`UPDATE searches SET owner_run = 'an-earlier-run', heartbeat_at = ? WHERE id = ?`, [clock.now(), s.id]);
    expect((await h.store.getSearch(s.id)).owner).toMatchObject({ pid, run: 'an-earlier-run', alive: false });
    await (await h.another()).acquire(s.id, { pid, host: 'here' });
    expect((await h.store.getSearch(s.id)).owner).toMatchObject({ run: RUN_ID, alive: true });
    // A run on another host with a fresh heartbeat is alive, and names its run in the refusal.
    const far = await h.another({ now: clock.now, host: 'far' });
    await h.raw(
      `UPDATE searches SET owner_host = 'far', owner_pid = 7, owner_run = 'f00dcafe-1', heartbeat_at = ? WHERE id = ?`,
      [clock.now(), s.id],
    );
    await expectUsageError(
      h.store.acquire(s.id, { pid, host: 'here' }),
      /being run by pid 7 on host far, run f00dcafe \(last heartbeat 0 s ago\)/,
    );
    expect((await far.getSearch(s.id)).owner!.alive).toBe(true);
  });

  it('2. re-queues trials left running by a dead owner, keeping number, config and seed', async () => {
    const s = await searchWithTrials(4);
    const crashed = await h.another();
    await crashed.acquire(s.id, { pid: deadPid(), host: 'here' });
    for (const n of [0, 1, 2]) await crashed.markRunning(s.id, n);
    const done = { number: 0, status: 'completed' as const, result: makeResult(0.7), reward: 0.7 };
    await crashed.recordResults(s.id, [done], { step: 1, state: null });
    const before = await h.store.listTrials(s.id);

    await h.store.acquire(s.id, { pid, host: 'here' });
    const requeued = await h.store.recoverInterrupted(s.id);
    expect(requeued.map((t) => [t.number, t.status, t.attempts, t.dispatched])).toEqual([
      [1, 'queued', 2, false],
      [2, 'queued', 2, false],
    ]);
    for (const t of requeued) {
      expect(t.config).toEqual(before[t.number].config);
      expect(t.seed).toBe(before[t.number].seed);
      expect(t.startedAt).toBeNull();
    }
    expect(await h.store.getTrial(s.id, 0)).toEqual(before[0]);
    expect(await h.store.getTrial(s.id, 3)).toEqual(before[3]);
    expect((await h.store.events(s.id)).at(-1)).toMatchObject({
      kind: 'trials_requeued',
      payload: { numbers: [1, 2] },
    });
    expect(await h.store.recoverInterrupted(s.id)).toEqual([]);
  });

  it('6. does not recover a search that a live process is running', async () => {
    const s = await searchWithTrials(1);
    const runner = await h.another();
    await runner.acquire(s.id, { pid: process.ppid, host: 'here' });
    await runner.markRunning(s.id, 0);
    await expectUsageError(h.store.recoverInterrupted(s.id), /being run by pid/);
    expect((await h.store.getTrial(s.id, 0))!.status).toBe('running');
  });
});
