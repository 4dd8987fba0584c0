/**
 * Exports of multi-size trials: keep / blocks per feature (JSON/YAML), keep_ and blocks_ columns (CSV), searched
 * parameters (Optuna), and saved models that keep the blocks, weigh exactly the trial's memory and predict what the
 * engine predicted — in TypeScript and with the numpy snippet of docs/export.md (that part needs a Python with numpy:
 * skipped without one on a user's clone, a failure in CI, test/require.ts).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/index.js';
import { trialsCsv } from '../../src/export/csv.js';
import { exportTrial } from '../../src/export/exported-trial.js';
import { optunaStudyRows } from '../../src/export/optuna/study-rows.js';
import { configFor, plantedDataset } from '../engine/fixtures.js';
import { pythonWith, requireOrSkip } from '../require.js';
import { savedModelRoundTrip, searchWith } from './technique-fixtures.js';

const PYTHON = pythonWith('numpy');
const hasNumpy = requireOrSkip(
  PYTHON !== undefined,
  'a Python with numpy (the docs/export.md snippet check)',
  'apt-get install python3-numpy, or set PYTHON',
);

const blocks = { fractions: [0.5, 0.5], dims: [4, 1] };

describe('exports with multi-size fields', () => {
  it('JSON/YAML, CSV and Optuna carry the cut and the block dims', async () => {
    const { store, search, trials } = searchWith('blocks: [0.5, 0.5], blockDims: [0, 1, 2], vocabKeep: [1, 0.5]', [
      [{ keep: 0.5, blocks }, { blocks: { fractions: [0.5, 0.5], dims: [4, 4] } }],
    ]);
    expect((await exportTrial(store, search, trials[0])).features.map((f) => [f.keep, f.blocks?.dims])).toEqual([
      [0.5, [4, 1]],
      [undefined, [4, 4]],
    ]);
    const csv = trialsCsv(trials).split('\n');
    expect(csv[0].split(',').slice(-4)).toEqual(['keep_u', 'keep_v', 'blocks_u', 'blocks_v']);
    expect(csv[1].split(',').slice(-4)).toEqual(['0.5', '1', '4/1', '4/4']);
    const params = optunaStudyRows(search, trials).trials[0].params;
    expect(params.map((p) => `${p.name}=${p.value}`)).toEqual([
      'dim_u=1',
      'alpha_u=0',
      'keep_u=1',
      'block1_u=1',
      'dim_v=1',
      'alpha_v=0',
      'keep_v=0',
      'block1_v=3',
    ]);
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
    await savedModelRoundTrip(
      config,
      data,
      async ({ saved, modelDir, trained, weightsBytes, inferenceBytes, worstError }) => {
        expect(saved.meta.format).toBe('embnas.model/2');
        const [f0, , f2] = saved.meta.features;
        expect(f0.tensor).toBeNull();
        expect(f0.blocks!.map((b) => [b.start, b.end, b.dim, b.projection !== null])).toEqual([
          [0, 6, 4, false],
          [6, 15, 2, true],
          [30, 32, 4, false],
        ]);
        expect(f2.blocks!.map((b) => [b.start, b.end, b.dim])).toEqual([
          [0, 12, 3],
          [30, 32, 3],
        ]);
        expect(weightsBytes).toBe(inferenceBytes);
        expect(worstError).toBeLessThan(1e-5);
        const { test } = data.splits;
        if (hasNumpy)
          await numpySnippetAgrees(
            path.dirname(modelDir),
            modelDir,
            data.ids.subarray(test.start * 3, test.end * 3),
            trained.evalLogits,
          );
      },
    );
  });
});

/** Runs the numpy code of docs/export.md on the folder. */
async function numpySnippetAgrees(
  dir: string,
  modelDir: string,
  ids: Int32Array,
  expected: Float32Array,
): Promise<void> {
  const python = PYTHON!;
  const doc = readFileSync(path.resolve('docs/export.md'), 'utf8');
  const blocks = doc
    .split('```python\n')
    .slice(1)
    .map((b) => b.slice(0, b.indexOf('```')));
  const code = blocks.find((b) => b.includes('def logits('))!;
  writeFileSync(path.join(dir, 'ids.json'), JSON.stringify(Array.from(ids)));
  const script = `${code}\nimport json, sys\nmeta, t, vocab = load(sys.argv[1])\nids = np.array(json.load(open(sys.argv[2]))).reshape(-1, len(meta["features"]))\nprint(json.dumps(logits(meta, t, ids).tolist()))\n`;
  const out = spawnSync(python, ['-c', script, modelDir, path.join(dir, 'ids.json')], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`numpy snippet failed: ${out.stderr}`);
  const got = JSON.parse(out.stdout) as number[];
  expect(got).toHaveLength(expected.length);
  expect(Math.max(...got.map((g, i) => Math.abs(g - expected[i])))).toBeLessThan(1e-4);
}
