/** The cache key of a trial config: equal exactly when the configs describe the same model. */
import { describe, expect, it } from 'vitest';
import type { TrialConfig } from '../../src/engine/trial-config.js';
import { configKey } from '../../src/store/config-key.js';

const config = (fields: TrialConfig['fields'], seed = 1): TrialConfig => ({
  fields,
  tower: [8],
  optimizer: 'adam',
  lr: 0.01,
  batchSize: 64,
  epochs: 1,
  patience: 1,
  seed,
});

describe('configKey', () => {
  it('ignores the seed, key order and settings of a dropped field or an unused residual α', () => {
    const a = config([
      { name: 'u', dim: 4, normAlpha: 0 },
      { name: 'v', dim: 0, normAlpha: 0 },
    ]);
    expect(
      configKey(
        config(
          [
            { normAlpha: 0, dim: 4, name: 'u' },
            { name: 'v', dim: 0, normAlpha: 0 },
          ],
          9,
        ),
      ),
    ).toBe(configKey(a));
    expect(
      configKey(
        config([
          { name: 'u', dim: 4, normAlpha: 0 },
          { name: 'v', dim: 0, normAlpha: 1e-3, mletFactor: 2 },
        ]),
      ),
    ).toBe(configKey(a));
    expect(
      configKey(
        config([
          { name: 'u', dim: 4, normAlpha: 0, resClusters: 0, resAlpha: 1e-3 },
          { name: 'v', dim: 0, normAlpha: 0 },
        ]),
      ),
    ).toBe(
      configKey(
        config([
          { name: 'u', dim: 4, normAlpha: 0, resClusters: 0 },
          { name: 'v', dim: 0, normAlpha: 0 },
        ]),
      ),
    );
  });

  it('tells apart every setting that changes a kept field', () => {
    const keys = [
      config([{ name: 'u', dim: 4, normAlpha: 0 }]),
      config([{ name: 'u', dim: 8, normAlpha: 0 }]),
      config([{ name: 'u', dim: 4, normAlpha: 1e-4 }]),
      config([{ name: 'u', dim: 4, normAlpha: 0, mletFactor: 2 }]),
      config([{ name: 'u', dim: 4, normAlpha: 0, resClusters: 8, resAlpha: 1e-4 }]),
      config([{ name: 'u', dim: 4, normAlpha: 0, resClusters: 8, resAlpha: 1e-3 }]),
      config([{ name: 'u', dim: 4, normAlpha: 0, keep: 0.5 }]),
      config([{ name: 'u', dim: 4, normAlpha: 0, blocks: { fractions: [0.5, 0.5], dims: [4, 2] } }]),
      config([{ name: 'u', dim: 4, normAlpha: 0, blocks: { fractions: [0.5, 0.5], dims: [4, 1] } }]),
      { ...config([{ name: 'u', dim: 4, normAlpha: 0 }]), tower: [16] },
    ].map(configKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
