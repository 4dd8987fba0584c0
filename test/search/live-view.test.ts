/** The live view's short notation of a trial's fields: what the TUI, the plain lines and `show` print. */
import { describe, expect, it } from 'vitest';
import type { TrialConfig } from '../../src/engine/trial-config.js';
import { finishedView, shortConfig } from '../../src/search/live-view.js';

const config: TrialConfig = {
  fields: [
    { name: 'user', dim: 8, normAlpha: 1e-4, blocks: { fractions: [0.2, 0.8], dims: [8, 2] } },
    { name: 'item', dim: 4, normAlpha: 0, mletFactor: 2 },
    { name: 'zip', dim: 4, normAlpha: 0, resClusters: 16, resAlpha: 1e-4 },
    { name: 'age', dim: 2, normAlpha: 0, keep: 0.5 },
    { name: 'city', dim: 0, normAlpha: 1e-3, mletFactor: 4 },
    { name: 'day', dim: 2, normAlpha: 0 },
  ],
  tower: [8],
  optimizer: 'adam',
  lr: 0.01,
  batchSize: 64,
  epochs: 1,
  patience: 1,
  seed: 1,
};

describe('short notation of a config', () => {
  it('marks each technique and leaves plain and dropped fields bare', () => {
    expect(shortConfig(config)).toBe('user:8/α0.0001/b8,2 item:4/m2 zip:4/r16 age:2/k0.5 city:0 day:2');
    const view = finishedView({ number: 3, config, status: 'completed', reward: 0.5, cacheHit: false });
    expect(view.dims.map((d) => d.technique ?? '')).toEqual(['/b8,2', '/m2', '/r16', '/k0.5', '', '']);
  });
});
