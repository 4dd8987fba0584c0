/**
 * Exports of multi-size trials: keep / blocks per feature (JSON/YAML), keep_ and blocks_ columns (CSV), searched
 * parameters (Optuna), and saved models that keep the blocks, weigh exactly the trial's memory and predict what the
 * engine predicted — in TypeScript and with the numpy snippet of docs/export.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initBackend, train, type TrainedModel } from '../../src/engine/index.js';
import type { FieldConfig, TrialConfig, TrialResult } from '../../src/engine/trial-config.js';
import { trialsCsv } from '../../src/export/csv.js';
import { exportTrial } from '../../src/export/exported-trial.js';
import { optunaStudyRows } from '../../src/export/optuna/study-rows.js';
import { loadSavedModel, predict, writeSavedModel } from '../../src/export/saved-model.js';
import { openStore } from '../../src/store/index.js';
import { configFor, plantedDataset } from '../engine/fixtures.js';

const result: TrialResult = {
  epochs: [{ epoch: 1, trainLoss: 0.6, validAuc: 0.7, validLogloss: 0.5, seconds: 1 }],
  bestEpoch: 0, validAuc: 0.7, validLogloss: 0.5, rowsTrained: 10, wallSeconds: 1, rowsPerSec: 10,
  backend: 'cpu', inferenceBytes: 100, trainingBytes: 300,
};

type Sizes = Pick<FieldConfig, 'keep' | 'blocks'>;

function searchWith(features: string, trials: Sizes[][]) {
  const store = openStore(':memory:');
  const text = `data: { format: synthetic }\nfeatures: { dims: [2, 4], ${features} }\nreward: { budgetMB: 1 }\n`;
  const s = store.createSearch({ name: 's', spacePath: 'space.yaml', spaceText: text, spaceHash: 'h', seed: 1, trialsBudget: 9 });
  const config = (sizes: Sizes[]): TrialConfig => ({
    ...configFor(plantedDataset({ rows: 20 })),
    fields: ['u', 'v'].map((name, i) => ({ name, dim: 4, normAlpha: 0, ...sizes[i] })),
  });
  store.enqueueTrials(s.id, trials.map((sizes, number) => ({ number, config: config(sizes), seed: number })));
  trials.forEach((_, number) => {
    store.markRunning(s.id, number);
    store.recordResults(s.id, [{ number, status: 'completed', result, reward: 0.7 }], { step: number, state: {} });
  });
  return { store, search: store.getSearch(s.id), trials: store.listTrials(s.id, { orderBy: 'number' }) };
}

const blocks = { fractions: [0.5, 0.5], dims: [4, 1] };

describe('exports with multi-size fields', () => {
  it('JSON/YAML, CSV and Optuna carry the cut and the block dims', () => {
    const { store, search, trials } = searchWith('blocks: [0.5, 0.5], blockDims: [0, 1, 2], vocabKeep: [1, 0.5]', [[{ keep: 0.5, blocks }, { blocks: { fractions: [0.5, 0.5], dims: [4, 4] } }]]);
    expect(exportTrial(store, search, trials[0]).features.map((f) => [f.keep, f.blocks?.dims])).toEqual([[0.5, [4, 1]], [undefined, [4, 4]]]);
    const csv = trialsCsv(trials).split('\n');
    expect(csv[0].split(',').slice(-4)).toEqual(['keep_u', 'keep_v', 'blocks_u', 'blocks_v']);
    expect(csv[1].split(',').slice(-4)).toEqual(['0.5', '1', '4/1', '4/4']);
    const params = optunaStudyRows(search, trials).trials[0].params;
    expect(params.map((p) => `${p.name}=${p.value}`)).toEqual(['dim_u=1', 'alpha_u=0', 'keep_u=1', 'block1_u=1', 'dim_v=1', 'alpha_v=0', 'keep_v=0', 'block1_v=3']);
    // the clamped dim (4, the field's dim) is among the choices: blockDims ∪ dims
    expect(JSON.parse(params[7].distributionJson).attributes.choices).toEqual([0, 1, 2, 4]);
  });

  it('saved model: blocks and projections, exactly the trial memory, predicting what the engine predicted', async () => {
    await initBackend('wasm');
    const data = plantedDataset({ rows: 2000, informative: 2, noise: 1, cardinality: 30, seed: 8 });
    const config = configFor(data, { epochs: 2, tower: [8, 4] });
    config.fields[0] = { ...config.fields[0], dim: 4, blocks: { fractions: [0.2, 0.3, 0.5], dims: [4, 2, 0] } };
    config.fields[1] = { ...config.fields[1], dim: 0 };
    config.fields[2] = { ...config.fields[2], dim: 3, keep: 0.4 };
    let trained: TrainedModel | undefined;
    const { test } = data.splits;
    const r = await train(config, data, { evalRange: test, onTrained: (t) => (trained = t) });
    const dir = mkdtempSync(path.join(tmpdir(), 'embnas-blocks-'));
    try {
      const modelDir = path.join(dir, 'model');
      writeSavedModel(modelDir, {
        search: { id: 1, name: 's', spaceHash: 'h' }, trial: 0, config, fields: data.fields, weights: trained!.weights,
        metrics: { testAuc: r.validAuc, testLogloss: r.validLogloss, testRows: test.end - test.start, searchValidAuc: null },
        training: { splits: ['train'], rows: 1600, epochs: 2, backend: r.backend },
      });
      const saved = loadSavedModel(modelDir);
      expect(saved.meta.format).toBe('embnas.model/2');
      const [f0, , f2] = saved.meta.features;
      expect(f0.tensor).toBeNull();
      expect(f0.blocks!.map((b) => [b.start, b.end, b.dim, b.projection !== null])).toEqual([[0, 6, 4, false], [6, 15, 2, true], [30, 32, 4, false]]);
      expect(f2.blocks!.map((b) => [b.start, b.end, b.dim])).toEqual([[0, 12, 3], [30, 32, 3]]);
      expect(statSync(path.join(modelDir, 'weights.bin')).size).toBe(r.inferenceBytes);
      let worst = 0;
      for (let row = test.start; row < test.end; row++) {
        const logit = predict(saved, data.ids.subarray(row * 3, row * 3 + 3));
        worst = Math.max(worst, Math.abs(logit - trained!.evalLogits[row - test.start]));
      }
      expect(worst).toBeLessThan(1e-5);
      await numpySnippetAgrees(dir, modelDir, data.ids.subarray(test.start * 3, test.end * 3), trained!.evalLogits);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Runs the numpy code of docs/export.md on the folder, when python3 with numpy is there (it is optional). */
async function numpySnippetAgrees(dir: string, modelDir: string, ids: Int32Array, expected: Float32Array): Promise<void> {
  const python = '/usr/bin/python3';
  if (!existsSync(python) || spawnSync(python, ['-c', 'import numpy']).status !== 0) {
    console.log('numpy check skipped: /usr/bin/python3 with numpy is absent');
    return;
  }
  const doc = readFileSync(path.resolve('docs/export.md'), 'utf8');
  const blocks = doc.split('```python\n').slice(1).map((b) => b.slice(0, b.indexOf('```')));
  const code = blocks.find((b) => b.includes('def logits('))!;
  writeFileSync(path.join(dir, 'ids.json'), JSON.stringify(Array.from(ids)));
  const script = `${code}\nimport json, sys\nmeta, t, vocab = load(sys.argv[1])\nids = np.array(json.load(open(sys.argv[2]))).reshape(-1, len(meta["features"]))\nprint(json.dumps(logits(meta, t, ids).tolist()))\n`;
  const out = spawnSync(python, ['-c', script, modelDir, path.join(dir, 'ids.json')], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`numpy snippet failed: ${out.stderr}`);
  const got = JSON.parse(out.stdout) as number[];
  expect(got).toHaveLength(expected.length);
  expect(Math.max(...got.map((g, i) => Math.abs(g - expected[i])))).toBeLessThan(1e-4);
}
