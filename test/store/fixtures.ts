/**
 * Small builders shared by the store tests: a config, a result, a search (with queued trials), and a pid that is
 * certainly dead.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TrialConfig, TrialResult } from '../../src/engine/trial-config.js';
import type { NewSearch, SearchRecord, TrialStore } from '../../src/store/trial-store.js';

export function makeConfig(dims: number[], seed = 1): TrialConfig {
  return {
    fields: dims.map((dim, i) => ({ name: `f${i}`, dim, normAlpha: i % 2 ? 1e-3 : 0 })),
    tower: [64, 32],
    optimizer: 'adam',
    lr: 0.001,
    batchSize: 1024,
    epochs: 2,
    patience: 1,
    seed,
  };
}

export function makeResult(validAuc: number, inferenceBytes = 4096): TrialResult {
  return {
    epochs: [
      { epoch: 0, trainLoss: 0.52, validAuc: validAuc - 0.01, validLogloss: 0.47, seconds: 1.5 },
      { epoch: 1, trainLoss: 0.49, validAuc, validLogloss: 0.45, seconds: 1.25 },
    ],
    bestEpoch: 1,
    validAuc,
    validLogloss: 0.45,
    rowsTrained: 20_000,
    wallSeconds: 2.75,
    rowsPerSec: 7272.5,
    backend: 'wasm',
    inferenceBytes,
    trainingBytes: inferenceBytes * 3,
  };
}

export function makeSearch(name: string, trialsBudget = 10): NewSearch {
  return {
    name,
    spacePath: 'search-spaces/synthetic.yaml',
    spaceText: 'name: synthetic\n',
    spaceHash: 'abc123',
    seed: 42,
    trialsBudget,
  };
}

/** A new search named `name` with trials 0…n−1 queued (distinct configs and seeds), those in `dispatch` dispatched. */
export async function searchWithTrials(
  store: TrialStore,
  n: number,
  name = 's',
  dispatch: number[] = [],
): Promise<SearchRecord> {
  const search = await store.createSearch(makeSearch(name));
  await store.enqueueTrials(
    search.id,
    Array.from({ length: n }, (_, i) => ({ number: i, config: makeConfig([4, 8, i % 3], 100 + i), seed: 100 + i })),
  );
  if (dispatch.length) await store.dispatchTrials(search.id, dispatch);
  return search;
}

/** The pid of a child that has already exited (and been reaped): no process has it right after. */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (typeof child.pid !== 'number' || child.status !== 0) throw new Error('could not spawn a short-lived child');
  return child.pid;
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'embnas-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}
