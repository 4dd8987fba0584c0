/**
 * A search over several machines, on one: a PostgreSQL database, a driver that only drives (`run --workers 0`) and
 * three `embnas worker` processes standing in for machines. One worker is killed with SIGKILL while it trains a
 * trial; that trial goes back to the queue and another worker trains it. Every trial is completed exactly once, and
 * the results are those of a single process on SQLite with the same seed. Then the database server itself restarts
 * mid-search: the driver and the workers reconnect (the store retries a lost connection) and the search ends as if
 * nothing had happened.
 */
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../../src/store/trial-store.js';
import { requireOrSkip } from '../require.js';
import { freshDatabase, PG_INSTALL, PG_PRESENT, PG_URL_ENV, PG_WHAT } from '../store/postgres-server.js';
import { embnasAsync } from './cli.js';
import { exited, fleetSetup, oneProcess, outcome, sleep, trials } from './fleet.js';

const TRIALS = 12;
// Trials long enough (a few tenths of a second) to kill a worker in the middle of one.
const SPACE = `name: dist
data:
  format: synthetic
  synthetic: { rows: 20000, seed: 3 }
  split: { valid: 0.2, test: 0.1, seed: 1 }
  cache: false
features:
  dims: [0, 2, 4, 8]
  normBudgets: [0, 1.0e-3]
model: { tower: [32], optimizer: adam, lr: 0.005, batchSize: 256, epochs: 2 }
reward: { form: hinge, budgetMB: 0.05, lambda: 0.05 }
search: { controller: reinforce, trials: ${TRIALS}, seed: 11, batch: 4, reinforce: { warmup: 4 } }
`;
// A dead claimant on this host is seen at once (its pid is gone); the driver looks every sixth of this window.
const ENV = { EMBNAS_HEARTBEAT_TIMEOUT_S: '3' };

/** The same search in one process on SQLite (run once, shared by the tests). */
let reference: Promise<TrialRecord[]> | undefined;
const sameSearchInOneProcess = (dir: string, space: string) => (reference ??= oneProcess(dir, space));

if (requireOrSkip(PG_PRESENT, PG_WHAT, PG_INSTALL)) {
  describe('a search trained by worker processes through PostgreSQL', () => {
    const { dir, space, db: url, server } = fleetSetup('distributed', SPACE);

    it('completes every trial exactly once, survives a killed worker, and matches one process on SQLite', async () => {
      const db = url();
      const common = ['--db', db, '--backend', 'wasm'];
      const workers = [0, 1, 2].map(() => embnasAsync(['worker', ...common, '--search', 'dist'], ENV));
      const workerExits = workers.map(exited);
      const driver = embnasAsync(['run', space, ...common, '--workers', '0', '--no-tui'], ENV);
      const driverExit = exited(driver);

      // Kill the first worker while it trains a trial.
      const victim = workers[0].pid!;
      let killedTrial: number | undefined;
      for (let i = 0; i < 600 && killedTrial === undefined; i++) {
        const running = (await trials(db)).find((t) => t.status === 'running' && t.worker?.pid === victim);
        if (running) {
          workers[0].kill('SIGKILL');
          killedTrial = running.number;
        } else await sleep(25);
      }
      expect(killedTrial, 'the first worker never trained a trial').toBeDefined();

      const d = await driverExit;
      expect(d.code, d.stderr).toBe(0);
      const [killed, ...others] = await Promise.all(workerExits);
      expect(killed.signal).toBe('SIGKILL');
      for (const w of others) expect(w.code, w.stderr).toBe(0);

      const stored = await trials(db);
      expect(stored.map((t) => [t.number, t.status])).toEqual(
        Array.from({ length: TRIALS }, (_, n) => [n, 'completed']),
      );
      const retried = stored[killedTrial!];
      expect(retried.attempts).toBe(2);
      expect(retried.worker?.pid).not.toBe(victim);
      const survivors = new Set(others.map((_, i) => workers[i + 1].pid));
      for (const t of stored.filter((x) => !x.cacheHit))
        expect(survivors.has(t.worker!.pid) || t.worker!.pid === victim).toBe(true);

      // The same search in one process on SQLite: the same trials, the same results.
      expect(stored.map(outcome)).toEqual((await sameSearchInOneProcess(dir, space)).map(outcome));
    }, 300_000);

    // A server named by EMBNAS_TEST_PG_URL is someone else's: this test restarts only a cluster it started itself.
    it.skipIf(!!process.env[PG_URL_ENV])(
      `survives a restart of the database server mid-search (skipped when ${PG_URL_ENV} names the server)`,
      async () => {
        const { cluster } = server();
        if (!cluster) throw new Error('no local cluster to restart');
        const fresh = await freshDatabase(server().url);
        const children: ChildProcess[] = [];
        try {
          const db = fresh.url;
          const common = ['--db', db, '--backend', 'wasm'];
          // Claim heartbeats stay fresh across the outage: a trial is not taken from a live worker.
          const env = { EMBNAS_HEARTBEAT_TIMEOUT_S: '30', EMBNAS_DB_RETRY_S: '60' };
          const workers = [0, 1].map(() => embnasAsync(['worker', ...common, '--search', 'dist'], env));
          const workerExits = workers.map(exited);
          const driver = embnasAsync(['run', space, ...common, '--workers', '0', '--no-tui'], env);
          const driverExit = exited(driver);
          children.push(...workers, driver);

          // Mid-search: a trial completed, another being trained.
          let mid = false;
          for (let i = 0; i < 1200 && !mid; i++) {
            const now = await trials(db);
            mid = now.some((t) => t.status === 'completed') && now.some((t) => t.status === 'running');
            if (!mid) await sleep(25);
          }
          expect(mid, 'the search never had a trial completed and one running at once').toBe(true);
          await cluster.stop();
          await sleep(2000);
          await cluster.start();
          const restartedAt = Date.now();

          const d = await driverExit;
          expect(d.code, d.stderr).toBe(0);
          for (const w of await Promise.all(workerExits)) expect(w.code, w.stderr).toBe(0);

          const stored = await trials(db);
          expect(stored.map((t) => [t.number, t.status])).toEqual(
            Array.from({ length: TRIALS }, (_, n) => [n, 'completed']),
          );
          expect(stored.some((t) => t.finishedAt! >= restartedAt)).toBe(true);
          expect(stored.map(outcome)).toEqual((await sameSearchInOneProcess(dir, space)).map(outcome));
        } finally {
          for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
          await fresh.drop();
        }
      },
      300_000,
    );
  });
}
