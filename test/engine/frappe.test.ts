/**
 * Real-data check on frappe (both libFM files, 80/10/10 random split): the engine must reach the validation AUC a
 * PyTorch model of the same shape reaches (0.94–0.95). Skips when the shared datasets folder is absent (fails in CI:
 * test/require.ts).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load-dataset.js';
import { train } from '../../src/engine/index.js';
import type { TrialConfig } from '../../src/engine/trial-config.js';
import { DataSchema } from '../../src/space/data-schema.js';
import { requireOrSkip, SHARED_DATA_INSTALL, SHARED_DATASETS, sharedDataPresent } from '../require.js';

const frappeDir = path.join(SHARED_DATASETS, 'frappe');
const exists = requireOrSkip(
  sharedDataPresent('frappe/frappe.validation.libfm', 'frappe/frappe.test.libfm'),
  'the frappe dataset (../shared/datasets/frappe)',
  SHARED_DATA_INSTALL,
);

const FIELDS = ['user', 'item', 'daytime', 'weekday', 'isweekend', 'homework', 'cost', 'weather', 'country', 'city'];

describe.skipIf(!exists)('frappe', () => {
  it('reaches validation AUC ≥ 0.93 with dims 16 and tower [256, 128]', async () => {
    const spec = DataSchema.parse({
      format: 'libfm',
      path: ['frappe.validation.libfm', 'frappe.test.libfm'],
      fields: FIELDS,
      split: { valid: 0.1, test: 0.1, seed: 7, by: 'random' },
      minCount: 1,
      onBadRow: 'error',
      cache: false,
    });
    const { dataset } = await loadDataset(spec, frappeDir);
    expect(dataset.numRows).toBe(86_582);
    const config: TrialConfig = {
      fields: FIELDS.map((name) => ({ name, dim: 16, normAlpha: 0 })),
      tower: [256, 128],
      optimizer: 'adam',
      lr: 0.01,
      batchSize: 512,
      epochs: 6,
      patience: 3,
      seed: 1,
    };
    const result = await train(config, dataset);
    const perEpoch = result.epochs.map(
      (e) =>
        `${e.epoch}: auc ${e.validAuc.toFixed(4)} logloss ${e.validLogloss.toFixed(4)} (${e.seconds.toFixed(1)} s)`,
    );
    console.log(`frappe: ${perEpoch.join('; ')}; ${Math.round(result.rowsPerSec)} rows/s on ${result.backend}`);
    expect(result.validAuc).toBeGreaterThanOrEqual(0.93);
    // Six real epochs: ~20 s alone, several times that when the suite's other files share the cores.
  }, 180_000);
});
