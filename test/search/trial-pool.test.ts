/** The real worker pool (piscina + the compiled worker): trials train in threads and failures come back as reasons. */
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load-dataset.js';
import { compiledModule } from '../../src/paths.js';
import { TrialPool, WORKER_EXEC_ARGV } from '../../src/search/trial-pool.js';
import { trialConfig } from '../../src/search/trial-plan.js';
import { parseSpace } from '../../src/space/load-space.js';

const { space } = parseSpace(
  `data: { format: synthetic, synthetic: { rows: 4000, seed: 2 }, cache: false }
model: { tower: [8], batchSize: 256, epochs: 1 }
reward: { budgetMB: 1 }`,
  'pool.yaml',
);
const { dataset } = await loadDataset(space.data, '.');
const pool = new TrialPool(dataset, { workers: 2 });
const proposal = { fields: dataset.fields.map((f) => ({ name: f.name, dim: 4, normAlpha: 0 })) };

afterAll(() => pool.close());

describe('TrialPool', () => {
  it('trains the same config to the same result in any worker, with progress', async () => {
    const progress: number[] = [];
    const config = trialConfig(proposal, space, 7);
    const [a, b] = await Promise.all([pool.run(config, (p) => progress.push(p.batch)), pool.run(config, () => {})]);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.result.validAuc).toBeGreaterThan(0.5);
    expect(b.result.validAuc).toBe(a.result.validAuc);
    const curve = (r: typeof a.result) => r.epochs.map(({ seconds: _s, ...e }) => e);
    expect(curve(b.result)).toEqual(curve(a.result));
    expect(progress.length).toBeGreaterThan(0);
  });

  it('returns a trial the engine rejects as a failure with its reason, and keeps going', async () => {
    const bad = trialConfig({ fields: [{ name: 'nope', dim: 4, normAlpha: 0 }] }, space, 1);
    const out = await pool.run(bad, () => {});
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.aborted).toBe(false);
      expect(out.error).toMatch(/field/);
    }
    const again = await pool.run(trialConfig(proposal, space, 8), () => {});
    expect(again.ok).toBe(true);
  });

  it('aborts a running trial when the search stops', async () => {
    const slow = { ...trialConfig(proposal, space, 9), epochs: 50, patience: 50 };
    const abort = new AbortController();
    const running = pool.run(slow, () => abort.abort(), abort.signal);
    const out = await running;
    expect(out).toMatchObject({ ok: false, aborted: true });
  });
});

describe('TrialPool data hand-over', () => {
  it('never formats the value strings, which only the main thread needs', async () => {
    let reads = 0;
    const fields = dataset.fields.map((f) => {
      const copy = { ...f };
      Object.defineProperty(copy, 'values', {
        enumerable: true,
        get: () => {
          reads++;
          return f.values;
        },
      });
      return copy;
    });
    const other = new TrialPool({ ...dataset, fields }, { workers: 1 });
    const out = await other.run(trialConfig(proposal, space, 3), () => {});
    await other.close();
    expect(out.ok).toBe(true);
    expect(reads).toBe(0);
  });

  it('starts its workers where require() cannot load the worker module: piscina then imports it, which a stop interrupts cleanly', async () => {
    // On a Node where require() loads ES modules, piscina's require() of the worker module runs it synchronously, and a
    // pool closed in the middle of it aborted the whole process. Under the pool's flags that require() refuses at once.
    const code = `try { require(${JSON.stringify(compiledModule('search/worker.js'))}); require('node:worker_threads').parentPort.postMessage('loaded') }
      catch (e) { require('node:worker_threads').parentPort.postMessage(e.code) }`;
    const worker = new Worker(code, { eval: true, execArgv: WORKER_EXEC_ARGV });
    const answer = await new Promise((resolve) => worker.once('message', resolve));
    await worker.terminate();
    expect(answer).toBe('ERR_REQUIRE_ESM');
  });
});
