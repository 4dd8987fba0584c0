/**
 * The driver of a distributed search killed with SIGKILL while workers train: the workers finish what was dispatched
 * and wait; `embnas resume` (from any machine: here another process) takes the search over and finishes it, the
 * workers serving it on. Every trial is completed exactly once and the results are those of one uninterrupted
 * process on SQLite with the same seed.
 */
import { describe, expect, it } from 'vitest';
import { requireOrSkip } from '../require.js';
import { PG_INSTALL, PG_PRESENT, PG_WHAT } from '../store/postgres-server.js';
import { embnas, embnasAsync } from './cli.js';
import { exited, fleetSetup, oneProcess, outcome, sleep, trials } from './fleet.js';

const TRIALS = 16;
const SPACE = `name: resumed
data:
  format: synthetic
  synthetic: { rows: 12000, seed: 5 }
  split: { valid: 0.2, test: 0.1, seed: 2 }
  cache: false
features:
  dims: [0, 2, 4, 8]
  normBudgets: [0, 1.0e-3]
model: { tower: [16], optimizer: adam, lr: 0.005, batchSize: 256, epochs: 2 }
reward: { form: hinge, budgetMB: 0.05, lambda: 0.05 }
search: { controller: reinforce, trials: ${TRIALS}, seed: 7, batch: 4, reinforce: { warmup: 4 } }
`;
const ENV = { EMBNAS_HEARTBEAT_TIMEOUT_S: '3' };

if (requireOrSkip(PG_PRESENT, PG_WHAT, PG_INSTALL)) {
  describe('a distributed search whose driver is killed', () => {
    const { dir, space, db: url } = fleetSetup('distributed-resume', SPACE);

    it('is resumed by another process while the workers go on, and ends as one uninterrupted process would', async () => {
      const db = url();
      const common = ['--db', db, '--backend', 'wasm'];
      const workers = [0, 1].map(() => embnasAsync(['worker', ...common, '--search', 'resumed'], ENV));
      const workerExits = workers.map(exited);
      const driver = embnasAsync(['run', space, ...common, '--workers', '0', '--no-tui'], ENV);
      const driverExit = exited(driver);
      // Killed once the second batch is under way.
      for (let i = 0; i < 1200; i++) {
        if ((await trials(db)).some((t) => t.number >= 4 && t.status !== 'queued')) break;
        await sleep(25);
      }
      driver.kill('SIGKILL');
      expect((await driverExit).signal).toBe('SIGKILL');
      const before = await trials(db);
      expect(before.filter((t) => t.status === 'completed').length).toBeLessThan(TRIALS);

      const resumed = embnas(['resume', 'resumed', ...common, '--workers', '0', '--no-tui'], ENV);
      expect(resumed.code, resumed.stderr).toBe(0);
      for (const w of await Promise.all(workerExits)) expect(w.code, w.stderr).toBe(0);

      const stored = await trials(db);
      expect(stored.map((t) => [t.number, t.status])).toEqual(
        Array.from({ length: TRIALS }, (_, n) => [n, 'completed']),
      );
      expect(stored.map(outcome)).toEqual((await oneProcess(dir, space)).map(outcome));
    }, 300_000);
  });
}
