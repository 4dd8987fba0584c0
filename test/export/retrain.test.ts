/**
 * The final retrain of a trial: trained on train + valid for the trial's best epoch count, evaluated on test, saved.
 * The saved folder, read back and run through the pure-TS forward pass, must reproduce the engine's own test
 * predictions: that proves the format holds everything the model is.
 */
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load-dataset.js';
import type { EncodedDataset } from '../../src/data/encoded-dataset.js';
import { loglossFromLogits, rocAuc, train } from '../../src/engine/index.js';
import type { TrialConfig, TrialResult } from '../../src/engine/trial-config.js';
import { isUsageError } from '../../src/errors.js';
import { retrainTrial, type RetrainOutcome } from '../../src/export/retrain.js';
import { encodeRow, loadSavedModel, predict } from '../../src/export/saved-model/index.js';
import { hashText, parseSpace } from '../../src/space/load-space.js';
import { openSqliteStore } from '../../src/store/index.js';
import type { SearchRecord } from '../../src/store/trial-store.js';
import type { SqliteTrialStore } from '../../src/store/sqlite/sqlite-store.js';

const spaceText = (
  split = '{ valid: 0.2, test: 0.15, seed: 1 }',
  data = 'format: synthetic\n  synthetic: { rows: 6000, seed: 3 }',
) => `name: syn
data:
  ${data}
  split: ${split}
  minCount: 2
  cache: false
features: { dims: [0, 2, 4, 8], normBudgets: [0, 1.0e-3] }
model: { tower: [16, 8], optimizer: adam, lr: 0.005, batchSize: 256, epochs: 3, patience: 1 }
reward: { form: hinge, budgetMB: 0.02, lambda: 0.05 }
search: { controller: random, trials: 4, seed: 11 }
`;

// user, item, category, hour, noise_a, noise_b: two fields dropped, one with a norm budget.
const DIMS = [8, 4, 0, 2, 0, 2];

function configOf(dataset: EncodedDataset): TrialConfig {
  return {
    fields: dataset.fields.map((f, i) => ({ name: f.name, dim: DIMS[i], normAlpha: i === 1 ? 1e-3 : 0 })),
    tower: [16, 8],
    optimizer: 'adam',
    lr: 0.005,
    batchSize: 256,
    epochs: 3,
    patience: 1,
    seed: 1234,
  };
}

function newSearch(store: SqliteTrialStore, dir: string, name: string, text: string): SearchRecord {
  const spacePath = path.join(dir, `${name}.yaml`);
  writeFileSync(spacePath, text);
  return store.core.createSearch({
    name,
    spacePath,
    spaceText: text,
    spaceHash: hashText(text),
    seed: 11,
    trialsBudget: 4,
  });
}

function complete(
  store: SqliteTrialStore,
  s: SearchRecord,
  number: number,
  config: TrialConfig,
  result: TrialResult,
  reward = result.validAuc,
): void {
  store.core.enqueueTrials(s.id, [{ number, config, seed: config.seed }]);
  store.core.markRunning(s.id, number);
  store.core.recordResults(s.id, [{ number, status: 'completed', result, reward }]);
}

let dir: string;
let store: SqliteTrialStore;
let search: SearchRecord;
let dataset: EncodedDataset;
let searched: TrialResult;
let outcome: RetrainOutcome;
/** The progress lines of the retrain in beforeAll: what a retrain that loads data and trains reports. */
const retrainLog: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'embnas-retrain-'));
  store = openSqliteStore(':memory:');
  search = newSearch(store, dir, 'syn', spaceText());
  dataset = (await loadDataset(parseSpace(spaceText(), 'syn').space.data, dir)).dataset;
  store.core.appendEvent(search.id, 'dataset', {
    fields: dataset.fields.map((f) => ({ name: f.name, rows: f.rows, kept: f.kept })),
  });
  // What the search did: train on train, select on valid.
  searched = await train(configOf(dataset), dataset);
  complete(store, search, 0, configOf(dataset), searched);
  outcome = await retrainTrial(store, 'syn', {
    modelDir: path.join(dir, 'model'),
    log: (line) => retrainLog.push(line),
  });
}, 60_000);

describe('retrainTrial', () => {
  it('trains the best trial on train + valid for its best epoch count and reports test metrics', () => {
    const { train: tr, valid, test } = dataset.splits;
    expect(outcome.trial.number).toBe(0);
    expect(outcome.epochs).toBe(searched.bestEpoch + 1);
    expect(outcome.trainRows).toBe(tr.end - tr.start + valid.end - valid.start);
    expect(outcome.test.rows).toBe(test.end - test.start);
    expect(outcome.testLogits).toHaveLength(outcome.test.rows);
    const labels = dataset.labels.subarray(test.start, test.end);
    expect(outcome.test.auc).toBe(rocAuc(outcome.testLogits, labels));
    expect(outcome.test.logloss).toBeCloseTo(loglossFromLogits(outcome.testLogits, labels), 10);
    // The synthetic data has planted signal: a real model, not a coin.
    expect(outcome.test.auc).toBeGreaterThan(0.6);
    expect(outcome.test.auc).toBeLessThanOrEqual(1);
    expect(outcome.searchValidAuc).toBe(searched.validAuc);
    expect(outcome.memoryBytes).toBe(searched.inferenceBytes);
    console.log(
      `retrain: test AUC ${outcome.test.auc.toFixed(4)} (valid AUC in the search ${searched.validAuc.toFixed(4)}), ${outcome.epochs} epoch(s)`,
    );
  });

  it('saves a model whose weights alone reproduce the engine test predictions', () => {
    const saved = loadSavedModel(outcome.modelDir);
    const { test } = dataset.splits;
    const n = dataset.fields.length;
    let maxDiff = 0;
    const logits = new Float64Array(test.end - test.start);
    for (let r = test.start; r < test.end; r++) {
      const z = predict(saved, dataset.ids.subarray(r * n, (r + 1) * n));
      logits[r - test.start] = z;
      maxDiff = Math.max(maxDiff, Math.abs(z - outcome.testLogits[r - test.start]));
    }
    console.log(`saved model vs engine: max |Δlogit| ${maxDiff.toExponential(2)} over ${logits.length} test rows`);
    expect(maxDiff).toBeLessThan(1e-5);
    expect(rocAuc(logits, dataset.labels.subarray(test.start, test.end))).toBeCloseTo(outcome.test.auc, 4);
    expect(saved.meta.metrics.testAuc).toBe(outcome.test.auc);
    expect(saved.meta.trial).toBe(0);
    expect(saved.meta.config).toEqual(configOf(dataset));
    expect(saved.meta.training).toMatchObject({
      splits: ['train', 'valid'],
      rows: outcome.trainRows,
      epochs: outcome.epochs,
    });
  });

  it('stores no table for a dropped field; weights.bin is exactly the inference footprint', () => {
    const saved = loadSavedModel(outcome.modelDir);
    const names = saved.meta.tensors.map((t) => t.name);
    expect(names.filter((t) => t.startsWith('embedding.'))).toEqual([
      'embedding.user',
      'embedding.item',
      'embedding.hour',
      'embedding.noise_b',
    ]);
    expect(saved.meta.features.filter((f) => f.dim === 0).map((f) => [f.name, f.tensor, f.vocabFile])).toEqual([
      ['category', null, null],
      ['noise_a', null, null],
    ]);
    expect(saved.meta.tower.map((l) => [l.in, l.out, l.activation])).toEqual([
      [16, 16, 'relu'],
      [16, 8, 'relu'],
      [8, 1, 'linear'],
    ]);
    expect(statSync(path.join(outcome.modelDir, 'weights.bin')).size).toBe(outcome.memoryBytes);
  });

  it('writes vocabularies that line up with the dataset ids', () => {
    const saved = loadSavedModel(outcome.modelDir);
    dataset.fields.forEach((f, i) => {
      const meta = saved.meta.features[i];
      expect([meta.rows, meta.kept, meta.oovId, meta.missingId]).toEqual([f.rows, f.kept, f.oovId, f.missingId]);
      if (DIMS[i] > 0) expect(saved.vocab.get(f.name)).toEqual(f.values);
    });
    // Raw values of test rows, mapped back to ids through the files, give the dataset's ids (kept fields).
    const n = dataset.fields.length;
    const { test } = dataset.splits;
    let missing = 0;
    for (let r = test.start; r < test.end; r++) {
      const ids = dataset.ids.subarray(r * n, (r + 1) * n);
      const raw = dataset.fields.map((f, i) =>
        ids[i] < f.kept ? f.values[ids[i]] : ids[i] === f.missingId ? null : 'never seen',
      );
      missing += raw.filter((v) => v === null).length;
      const encoded = encodeRow(saved, raw);
      dataset.fields.forEach((f, i) => {
        if (DIMS[i] > 0) expect(encoded[i]).toBe(ids[i]);
      });
    }
    expect(missing).toBeGreaterThan(0); // the synthetic data has missing cells: the missing id is exercised
  });
});

describe('retrainTrial refuses', () => {
  async function usage(run: () => Promise<unknown>): Promise<string> {
    try {
      await run();
    } catch (e) {
      expect(isUsageError(e), String(e)).toBe(true);
      return (e as Error).message;
    }
    throw new Error('expected a UsageError');
  }

  it('a search without a completed trial, or an unknown trial', async () => {
    newSearch(store, dir, 'empty', spaceText());
    expect(await usage(() => retrainTrial(store, 'empty'))).toMatch(/search 'empty' has no completed trial yet/);
    expect(await usage(() => retrainTrial(store, 'syn', { trial: 7 }))).toMatch(
      /--trial 7: search 'syn' has no completed trial 7/,
    );
  });

  it('a model folder that exists and is not empty, before any training', async () => {
    const taken = path.join(dir, 'taken');
    mkdirSync(taken);
    writeFileSync(path.join(taken, 'x'), '');
    // A retrain reports loading the data and every training step (beforeAll's did: the check below can fail); a
    // refused one must report none of them, so nothing was loaded or trained before the refusal.
    expect(retrainLog.some((l) => l.startsWith('loading the data'))).toBe(true);
    expect(retrainLog.some((l) => l.startsWith('retraining for'))).toBe(true);
    const reported: string[] = [];
    const log = (line: string) => reported.push(line);
    expect(await usage(() => retrainTrial(store, 'syn', { modelDir: taken, log }))).toMatch(
      /model folder .*taken: exists and is not empty/,
    );
    expect(await usage(() => retrainTrial(store, 'syn', { modelDir: path.join(taken, 'x'), log }))).toMatch(
      /is a file/,
    );
    expect(reported).toEqual([]);
    expect(readdirSync(taken)).toEqual(['x']);
  });

  it('a search without a test split, with its data missing, or whose data changed', async () => {
    const config = configOf(dataset);
    const noTest = newSearch(store, dir, 'notest', spaceText('{ valid: 0.2, test: 0, seed: 1 }'));
    complete(store, noTest, 0, config, searched);
    expect(await usage(() => retrainTrial(store, 'notest', { modelDir: path.join(dir, 'm1') }))).toMatch(
      /no test split \(data\.split\.test is 0/,
    );

    const gone = newSearch(store, dir, 'gone', spaceText(undefined, 'format: csv\n  path: clicks.csv\n  label: click'));
    complete(store, gone, 0, config, searched);
    expect(await usage(() => retrainTrial(store, 'gone', { modelDir: path.join(dir, 'm2') }))).toMatch(/clicks\.csv/);

    const changed = newSearch(store, dir, 'changed', spaceText());
    store.core.appendEvent(changed.id, 'dataset', {
      fields: dataset.fields.map((f, i) => ({ name: f.name, rows: f.rows + (i === 1 ? 5 : 0) })),
    });
    complete(store, changed, 0, config, searched);
    expect(await usage(() => retrainTrial(store, 'changed', { modelDir: path.join(dir, 'm3') }))).toMatch(
      /data of search 'changed' changed since it ran \(field 'item' has \d+ rows now, 'item' had \d+ when it ran\)/,
    );
  });
});
