/**
 * The TrialStore contract (src/store/trial-store.ts), checked promise by promise against a file-backed store and an
 * in-memory one. "Another process" is a second store on the same database: a second connection to the file, or a
 * second store object on the same in-memory connection.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUsageError } from '../../src/errors.js';
import { configKey } from '../../src/store/config-key.js';
import { LATEST_SCHEMA_VERSION, migrate } from '../../src/store/migrations.js';
import { RUN_ID } from '../../src/store/ownership.js';
import { openStore, SqliteTrialStore, type OpenStoreOptions } from '../../src/store/sqlite-store.js';
import { deadPid, makeConfig, makeResult, makeSearch, manualClock, tempDir } from './fixtures.js';

interface Harness {
  store: SqliteTrialStore;
  /** A store as a second process would see the same database. */
  another(options?: OpenStoreOptions): SqliteTrialStore;
  cleanup(): void;
}

function fileHarness(options: OpenStoreOptions): Harness {
  const { dir, cleanup } = tempDir();
  const file = path.join(dir, 'trials.db');
  const opened = [openStore(file, options)];
  return {
    store: opened[0],
    another: (o = options) => opened[opened.push(openStore(file, o)) - 1],
    cleanup: () => {
      opened.forEach((s) => s.close());
      cleanup();
    },
  };
}

function memoryHarness(options: OpenStoreOptions): Harness {
  const store = openStore(':memory:', options);
  return {
    store,
    another: (o = options) => new SqliteTrialStore(store.db, ':memory:', o),
    cleanup: () => store.close(),
  };
}

function expectUsageError(fn: () => unknown, pattern: RegExp): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(isUsageError(thrown), `expected a UsageError, got ${String(thrown)}`).toBe(true);
  expect((thrown as Error & { toLine(): string }).toLine()).toMatch(pattern);
}

describe.each([
  ['file-backed', fileHarness],
  ['in-memory', memoryHarness],
] as const)('TrialStore contract (%s)', (kind, makeHarness) => {
  let h: Harness;
  let clock: ReturnType<typeof manualClock>;
  const pid = process.pid;

  beforeEach(() => {
    clock = manualClock();
    h = makeHarness({ now: clock.now, host: 'here' });
  });
  afterEach(() => {
    // Every test leaves a database that SQLite itself finds sound.
    expect(h.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(h.store.db.pragma('foreign_key_check')).toEqual([]);
    h.cleanup();
  });

  function searchWithTrials(n: number, name = 's') {
    const search = h.store.createSearch(makeSearch(name));
    h.store.enqueueTrials(
      search.id,
      Array.from({ length: n }, (_, i) => ({ number: i, config: makeConfig([4, 8, i % 3], 100 + i), seed: 100 + i })),
    );
    return search;
  }

  it('sets the connection pragmas', () => {
    const db = h.store.db;
    expect(db.pragma('journal_mode', { simple: true })).toBe(kind === 'file-backed' ? 'wal' : 'memory');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
  });

  it('migrates once: opening again changes nothing and keeps the data', () => {
    const search = searchWithTrials(2);
    const schema = () => h.store.db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all();
    const before = schema();
    expect(migrate(h.store.db, h.store.file)).toEqual([]);
    const again = h.another();
    expect(again.getSearch(search.id).name).toBe('s');
    expect(again.listTrials(search.id).map((t) => t.number)).toEqual([0, 1]);
    expect(schema()).toEqual(before);
  });

  it('refuses a database written by a newer schema', () => {
    h.store.db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    expectUsageError(
      () => migrate(h.store.db, h.store.file),
      new RegExp(`was written by a newer embnas \\(schema ${LATEST_SCHEMA_VERSION + 1}.*upgrade embnas`),
    );
    h.store.db.pragma(`user_version = ${LATEST_SCHEMA_VERSION}`);
  });

  it('creates, finds and lists searches; refuses duplicates and unknown names', () => {
    const a = h.store.createSearch(makeSearch('alpha', 20));
    expect(a).toMatchObject({ name: 'alpha', status: 'running', trialsBudget: 20, owner: null, finishedAt: null });
    expect(h.store.getSearch(String(a.id)).name).toBe('alpha');
    expect(h.store.getSearch(a.id).name).toBe('alpha');
    expect(h.store.getSearch('alpha').id).toBe(a.id);
    expectUsageError(() => h.store.createSearch(makeSearch('alpha')), /already exists.*embnas resume alpha.*--name/);
    expectUsageError(() => h.store.createSearch(makeSearch('123')), /only digits.*--name/);
    // A 'started' payload is written with the row, never apart from it.
    const b = h.store.createSearch({ ...makeSearch('beta'), started: { controller: 'tpe', mode: 'oneshot' } });
    expect(
      h.store
        .events(b.id)
        .filter((e) => e.kind === 'started')
        .map((e) => e.payload),
    ).toEqual([{ controller: 'tpe', mode: 'oneshot' }]);
    expectUsageError(() => h.store.getSearch('nope'), /no search 'nope'.*embnas list/);
    expectUsageError(() => h.store.getSearch('99'), /no search '99'/);
    h.store.setBudget(a.id, 50);
    h.store.setStatus(a.id, 'finished');
    expect(h.store.getSearch(a.id)).toMatchObject({ trialsBudget: 50, status: 'finished', finishedAt: clock.now() });
    expectUsageError(() => h.store.setBudget(a.id, -1), /trials budget/);
  });

  it('restarts a search that has nothing yet in place, and refuses once it has a trial', () => {
    const a = h.store.createSearch(makeSearch('alpha', 20));
    h.store.setStatus(a.id, 'failed');
    const again = h.store.restartSearch(a.id, {
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
    expect(h.store.events(a.id).map((e) => e.kind)).toContain('search_restarted');
    const b = searchWithTrials(1, 'beta');
    expect(() => h.store.restartSearch(b.id, makeSearch('beta', 3))).toThrow(/cannot be restarted: it has trials/);
    expect(h.store.getSearch(b.id).trialsBudget).toBe(10);
    const c = h.store.createSearch(makeSearch('gamma'));
    h.store.saveCheckpoint(c.id, { step: 1, payload: new Uint8Array([1]) });
    expect(() => h.store.restartSearch(c.id, makeSearch('gamma', 3))).toThrow(/checkpoints/);
  });

  it('summarises every search with counts and bests', () => {
    const s = searchWithTrials(5, 'counted');
    h.store.createSearch(makeSearch('empty'));
    h.store.markRunning(s.id, 0);
    h.store.markRunning(s.id, 1);
    h.store.markRunning(s.id, 2);
    h.store.recordResults(
      s.id,
      [
        { number: 0, status: 'completed', result: makeResult(0.71), reward: 0.69 },
        { number: 1, status: 'completed', result: makeResult(0.75), reward: 0.6 },
        { number: 3, status: 'completed', result: makeResult(0.71), reward: 0.69, cacheHit: true },
      ],
      { step: 1, state: {} },
    );
    const [counted, empty] = h.store.listSearches();
    expect(counted.counts).toEqual({ queued: 1, running: 1, completed: 3, failed: 0, interrupted: 0 });
    expect(counted).toMatchObject({ name: 'counted', bestReward: 0.69, bestAuc: 0.75, cacheHits: 1 });
    expect(counted.lastTrialNumber).toBe(4);
    expect(empty).toMatchObject({ name: 'empty', bestReward: null, lastTrialNumber: null });
    expect(empty.counts.completed).toBe(0);
    expect(h.store.getSummary('counted')).toEqual(counted);
  });

  it('walks the lifecycle and round-trips results exactly', () => {
    const s = searchWithTrials(2);
    expect(h.store.getTrial(s.id, 0)).toMatchObject({ status: 'queued', attempts: 1, result: null, startedAt: null });
    h.store.markRunning(s.id, 0);
    expect(() => h.store.markRunning(s.id, 0)).toThrow(/is running, not queued/);
    h.store.markRunning(s.id, 1);
    const result = makeResult(0.8123);
    h.store.recordResults(
      s.id,
      [
        { number: 0, status: 'completed', result, reward: 0.8 },
        { number: 1, status: 'failed', error: 'out of memory' },
      ],
      { step: 1, state: { theta: [0.25, -1], rng: { i: 3, S: [1, 2] } } },
    );
    const done = h.store.getTrial(s.id, 0)!;
    expect(done).toMatchObject({ status: 'completed', reward: 0.8, cacheHit: false, error: null });
    expect(done.result).toEqual(result);
    expect(done.config).toEqual(makeConfig([4, 8, 0], 100));
    expect(h.store.getTrial(s.id, 1)).toMatchObject({ status: 'failed', error: 'out of memory', result: null });
    const snapshot = h.store.latestSnapshot(s.id);
    expect(snapshot).toMatchObject({ step: 1, state: { theta: [0.25, -1], rng: { i: 3, S: [1, 2] } } });
  });

  it('never modifies a completed trial, through the API or raw SQL', () => {
    const s = searchWithTrials(1);
    h.store.markRunning(s.id, 0);
    h.store.recordResults(s.id, [{ number: 0, status: 'completed', result: makeResult(0.7), reward: 0.7 }], {
      step: 1,
      state: null,
    });
    const before = h.store.getTrial(s.id, 0);
    const again = { number: 0, status: 'completed' as const, result: makeResult(0.9), reward: 0.9 };
    const next = { step: 2, state: null };
    expect(() => h.store.recordResults(s.id, [again], next)).toThrow(/completed and cannot be modified/);
    expect(() => h.store.recordResults(s.id, [{ number: 0, status: 'failed', error: 'x' }], next)).toThrow(/completed/);
    expect(() => h.store.markRunning(s.id, 0)).toThrow(/completed/);
    const raw = (sql: string) => () => h.store.db.prepare(sql).run();
    expect(raw('UPDATE trials SET reward = 1 WHERE number = 0')).toThrow(/cannot be modified/);
    expect(raw(`UPDATE trials SET status = 'queued' WHERE number = 0`)).toThrow(/cannot be modified/);
    expect(raw('DELETE FROM trials WHERE number = 0')).toThrow(/cannot be deleted/);
    expect(h.store.getTrial(s.id, 0)).toEqual(before);
    expect(h.store.latestSnapshot(s.id)!.step).toBe(1);
  });

  it('writes results and the snapshot atomically: a failure mid-transaction writes nothing', () => {
    const s = searchWithTrials(2);
    h.store.markRunning(s.id, 0);
    h.store.markRunning(s.id, 1);
    const good = { number: 0, status: 'completed' as const, result: makeResult(0.7), reward: 0.7 };
    // A later result that cannot be written (no such trial) after one that could.
    expect(() =>
      h.store.recordResults(s.id, [good, { number: 7, status: 'failed', error: 'x' }], { step: 1, state: {} }),
    ).toThrow(/no trial 7/);
    // Results fine, snapshot unserialisable (BigInt): the results must be undone too.
    expect(() => h.store.recordResults(s.id, [good], { step: 1, state: { n: 1n } })).toThrow(/BigInt/);
    expect(h.store.getTrial(s.id, 0)!.status).toBe('running');
    expect(h.store.latestSnapshot(s.id)).toBeUndefined();
    h.store.recordResults(s.id, [good], { step: 1, state: { n: 1 } });
    expect(h.store.getTrial(s.id, 0)!.status).toBe('completed');
    expect(h.store.latestSnapshot(s.id)).toMatchObject({ step: 1, state: { n: 1 } });
  });

  it('keeps snapshot history; the newest wins', () => {
    const s = searchWithTrials(2);
    h.store.recordResults(s.id, [{ number: 0, status: 'failed', error: 'a' }], { step: 1, state: 'one' });
    clock.advance(5);
    h.store.recordResults(s.id, [{ number: 1, status: 'failed', error: 'b' }], { step: 2, state: 'two' });
    expect(h.store.latestSnapshot(s.id)).toEqual({ step: 2, state: 'two', createdAt: clock.now() });
    expect(h.store.db.prepare('SELECT count(*) AS n FROM controller_snapshots').get()).toEqual({ n: 2 });
    expect(() => h.store.db.prepare('DELETE FROM controller_snapshots').run()).toThrow(/append-only/);
  });

  it('keeps one checkpoint per search, replaced whole; another process reads it byte for byte', () => {
    const a = h.store.createSearch(makeSearch('a'));
    const b = h.store.createSearch(makeSearch('b'));
    expect(h.store.latestCheckpoint(a.id)).toBeUndefined();
    const big = new Uint8Array(3 << 20).map((_, i) => (i * 31) & 255);
    h.store.saveCheckpoint(a.id, { step: 10, payload: big.subarray(5, 1000) });
    h.store.saveCheckpoint(b.id, { step: 3, payload: new Uint8Array([1, 2, 3]) });
    clock.advance(7);
    h.store.saveCheckpoint(a.id, { step: 20, payload: big });
    const read = h.another().latestCheckpoint(a.id)!;
    expect(read.step).toBe(20);
    expect(read.createdAt).toBe(clock.now());
    expect(Buffer.compare(Buffer.from(read.payload), Buffer.from(big))).toBe(0);
    expect(h.store.db.prepare('SELECT count(*) AS n FROM checkpoints').get()).toEqual({ n: 2 });
    h.store.deleteCheckpoint(a.id);
    expect(h.store.latestCheckpoint(a.id)).toBeUndefined();
    expect(h.store.latestCheckpoint(b.id)!.payload).toEqual(new Uint8Array([1, 2, 3]));
    expectUsageError(() => h.store.saveCheckpoint(999, { step: 1, payload: new Uint8Array(1) }), /999/);
  });

  it('numbers trials uniquely per search; a clashing batch enqueues nothing', () => {
    const s = searchWithTrials(2);
    const t = (number: number) => ({ number, config: makeConfig([2]), seed: number });
    expect(() => h.store.enqueueTrials(s.id, [t(2), t(1)])).toThrow(/already has a trial 1/);
    expect(h.store.getTrial(s.id, 2)).toBeUndefined();
    const other = h.store.createSearch(makeSearch('other'));
    h.store.enqueueTrials(other.id, [t(0), t(1)]);
    expect(h.store.listTrials(other.id).map((x) => x.number)).toEqual([0, 1]);
    expectUsageError(() => h.store.enqueueTrials(999, [t(0)]), /no search '999'/);
  });

  it('lists trials by number, or by reward with unfinished trials last', () => {
    const s = searchWithTrials(5);
    const rewards = [0.5, 0.9, 0.7];
    h.store.recordResults(
      s.id,
      rewards.map((reward, number) => ({ number, status: 'completed' as const, result: makeResult(reward), reward })),
      { step: 1, state: null },
    );
    h.store.recordResults(s.id, [{ number: 4, status: 'completed', result: makeResult(0.9), reward: 0.9 }], {
      step: 2,
      state: null,
    });
    expect(h.store.listTrials(s.id, { orderBy: 'reward' }).map((t) => t.number)).toEqual([1, 4, 2, 0, 3]);
    expect(h.store.listTrials(s.id, { orderBy: 'reward', limit: 2 }).map((t) => t.number)).toEqual([1, 4]);
    expect(h.store.listTrials(s.id, { status: 'queued' }).map((t) => t.number)).toEqual([3]);
    expect(h.store.listTrials(s.id, { status: ['queued', 'completed'] }).map((t) => t.number)).toEqual([0, 1, 2, 3, 4]);
  });

  it('finds an earlier identical trial by config key (the seed does not count)', () => {
    const s = h.store.createSearch(makeSearch('cache'));
    h.store.enqueueTrials(s.id, [
      { number: 0, config: makeConfig([8, 4], 1), seed: 1 },
      { number: 1, config: makeConfig([8, 2], 2), seed: 2 },
    ]);
    const key = configKey(makeConfig([8, 4], 99));
    expect(h.store.findCompletedByConfigKey(s.id, key)).toBeUndefined();
    h.store.recordResults(s.id, [{ number: 0, status: 'completed', result: makeResult(0.7), reward: 0.7 }], {
      step: 1,
      state: null,
    });
    expect(h.store.findCompletedByConfigKey(s.id, key)?.number).toBe(0);
    expect(h.store.findCompletedByConfigKey(s.id, configKey(makeConfig([8, 2])))).toBeUndefined();
  });

  it('refuses a search owned by a live process, and takes over from a dead pid', () => {
    const s = h.store.createSearch(makeSearch('owned'));
    h.store.acquire(s.id, { pid, host: 'here' });
    h.store.acquire(s.id, { pid, host: 'here' }); // owned by self
    expect(h.store.getSearch(s.id).owner).toMatchObject({ pid, host: 'here', alive: true });
    const rival = h.another();
    expectUsageError(
      () => rival.acquire(s.id, { pid: process.ppid, host: 'here' }),
      new RegExp(`search 'owned' is being run by pid ${pid} on host here.*stop it first or wait`),
    );
    const gone = deadPid();
    h.store.db.prepare('UPDATE searches SET owner_pid = ? WHERE id = ?').run(gone, s.id);
    expect(h.store.getSearch(s.id).owner!.alive).toBe(false);
    rival.acquire(s.id, { pid: process.ppid, host: 'here' });
    const taken = rival
      .events(s.id)
      .filter((e) => e.kind === 'owner_acquired')
      .at(-1);
    expect(taken!.payload).toEqual({
      pid: process.ppid,
      host: 'here',
      takenOverFrom: { pid: gone, host: 'here', run: RUN_ID },
    });
    // The first store notices at its next heartbeat and stops.
    expectUsageError(() => h.store.heartbeat(s.id), /was taken over by pid \d+ on host here/);
    rival.release(s.id);
    expect(h.store.getSearch(s.id).owner).toBeNull();
    h.store.acquire(s.id, { pid, host: 'here' });
  });

  it('trusts the heartbeat of an owner on another host until it is stale', () => {
    const s = h.store.createSearch(makeSearch('remote'));
    const remote = h.another({ now: clock.now, host: 'far' });
    remote.acquire(s.id, { pid: 4242, host: 'far' });
    clock.advance(20_000);
    remote.heartbeat(s.id);
    clock.advance(29_000);
    expectUsageError(() => h.store.acquire(s.id, { pid, host: 'here' }), /being run by pid 4242 on host far/);
    clock.advance(2_000);
    h.store.acquire(s.id, { pid, host: 'here' });
    expect(h.store.getSearch(s.id).owner).toMatchObject({ pid, host: 'here' });
  });

  it('11. a stale heartbeat means the owner is gone whatever process has its pid; a fresh one refuses in one line', () => {
    const s = h.store.createSearch(makeSearch('stale'));
    const other = h.another();
    other.acquire(s.id, { pid: process.ppid, host: 'here' }); // a pid that stays alive on this host
    clock.advance(h.store.staleAfterMs);
    expect(h.store.getSearch(s.id).owner!.alive).toBe(true);
    expectUsageError(
      () => h.store.acquire(s.id, { pid, host: 'here' }),
      /^search 'stale' is being run by pid \d+ on host here \(last heartbeat 30 s ago\) — stop it first or wait: a run whose heartbeat is 30 s old counts as gone \(EMBNAS_HEARTBEAT_TIMEOUT_S\)$/,
    );
    clock.advance(1);
    expect(h.store.getSearch(s.id).owner!.alive).toBe(false);
    expect(h.store.listSearches()[0].owner!.alive).toBe(false);
    h.store.acquire(s.id, { pid, host: 'here' });
    const taken = h.store
      .events(s.id)
      .filter((e) => e.kind === 'owner_acquired')
      .at(-1)!.payload as { takenOverFrom: unknown };
    expect(taken.takenOverFrom).toEqual({ pid: process.ppid, host: 'here' });
    expect(h.store.getSearch(s.id).owner).toMatchObject({ pid, host: 'here', run: RUN_ID, alive: true });
    // This process's pid under another run id, with a fresh heartbeat: an earlier process that had this pid.
    h.store.db
      .prepare(`UPDATE searches SET owner_run = 'an-earlier-run', heartbeat_at = ? WHERE id = ?`)
      .run(clock.now(), s.id);
    expect(h.store.getSearch(s.id).owner).toMatchObject({ pid, run: 'an-earlier-run', alive: false });
    h.another().acquire(s.id, { pid, host: 'here' });
    expect(h.store.getSearch(s.id).owner).toMatchObject({ run: RUN_ID, alive: true });
    // A run on another host with a fresh heartbeat is alive, and names its run in the refusal.
    const far = h.another({ now: clock.now, host: 'far' });
    h.store.db
      .prepare(
        `UPDATE searches SET owner_host = 'far', owner_pid = 7, owner_run = 'f00dcafe-1', heartbeat_at = ? WHERE id = ?`,
      )
      .run(clock.now(), s.id);
    expectUsageError(
      () => h.store.acquire(s.id, { pid, host: 'here' }),
      /being run by pid 7 on host far, run f00dcafe \(last heartbeat 0 s ago\)/,
    );
    expect(far.getSearch(s.id).owner!.alive).toBe(true);
  });

  it('re-queues trials left running by a dead owner, keeping number, config and seed', () => {
    const s = searchWithTrials(4);
    const crashed = h.another();
    crashed.acquire(s.id, { pid: deadPid(), host: 'here' });
    for (const n of [0, 1, 2]) crashed.markRunning(s.id, n);
    crashed.recordResults(s.id, [{ number: 0, status: 'completed', result: makeResult(0.7), reward: 0.7 }], {
      step: 1,
      state: null,
    });
    const before = h.store.listTrials(s.id);

    h.store.acquire(s.id, { pid, host: 'here' });
    const requeued = h.store.recoverInterrupted(s.id);
    expect(requeued.map((t) => [t.number, t.status, t.attempts])).toEqual([
      [1, 'queued', 2],
      [2, 'queued', 2],
    ]);
    for (const t of requeued) {
      expect(t.config).toEqual(before[t.number].config);
      expect(t.seed).toBe(before[t.number].seed);
      expect(t.startedAt).toBeNull();
    }
    expect(h.store.getTrial(s.id, 0)).toEqual(before[0]);
    expect(h.store.getTrial(s.id, 3)).toEqual(before[3]);
    expect(h.store.events(s.id).at(-1)).toMatchObject({ kind: 'trials_requeued', payload: { numbers: [1, 2] } });
    expect(h.store.recoverInterrupted(s.id)).toEqual([]);
  });

  it('does not recover a search that a live process is running', () => {
    const s = searchWithTrials(1);
    const runner = h.another();
    runner.acquire(s.id, { pid: process.ppid, host: 'here' });
    runner.markRunning(s.id, 0);
    expectUsageError(() => h.store.recoverInterrupted(s.id), /being run by pid/);
    expect(h.store.getTrial(s.id, 0)!.status).toBe('running');
  });

  it('keeps an append-only event log in order', () => {
    const s = h.store.createSearch(makeSearch('log'));
    const a = h.store.appendEvent(s.id, 'paused', { by: 'user' });
    const b = h.store.appendEvent(s.id, 'resumed');
    expect(b).toBeGreaterThan(a);
    const kinds = h.store.events(s.id).map((e) => [e.kind, e.payload]);
    expect(kinds).toEqual([
      ['search_created', { name: 'log', seed: 42, trialsBudget: 10 }],
      ['paused', { by: 'user' }],
      ['resumed', null],
    ]);
    expect(h.store.events(s.id, { afterId: a }).map((e) => e.kind)).toEqual(['resumed']);
    expect(() => h.store.db.prepare(`UPDATE events SET kind = 'x'`).run()).toThrow(/append-only/);
    expect(() => h.store.db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    expect(h.store.events(s.id)).toHaveLength(3);
  });
});
