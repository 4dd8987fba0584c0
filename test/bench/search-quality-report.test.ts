// The search-quality page judges searches against the synthetic truth and averages them per controller and trial count;
// a wrong verdict or a mixed-up group would publish a wrong comparison without any run failing.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of bench/, without types
import { plantedChecks, summaryLines } from '../../bench/search-quality-report.mjs';

const planted = {
  spec: {
    informative: [
      { name: 'user', vocab: 100, dim: 8 },
      { name: 'hour', vocab: 24, dim: 1 },
    ],
    noise: [{ name: 'noise', vocab: 9 }],
  },
  features: { dims: [0, 2, 4, 8, 16], fields: { noise: { dims: [1, 2] } } },
};

describe('search-quality report', () => {
  it('judges dims against the smallest candidate that holds each latent rank', () => {
    expect(plantedChecks({ user: 4, hour: 4, noise: 1 }, planted)).toMatchObject({
      noiseSmallest: true,
      informativeWithinOne: true,
    });
    const off = plantedChecks({ user: 2, hour: 0, noise: 2 }, planted);
    expect(off).toMatchObject({ noiseSmallest: false, noiseMissed: ['noise'], informativeWithinOne: false });
    expect(off.informativeMissed).toEqual(['user', 'hour']); // two candidates below 8; a dropped informative field
  });

  it('averages per (controller, trials) and counts the planted hits', () => {
    const rec = (controller: string, trials: number, seed: number, reward: number, hit: boolean) => ({
      dataset: 'synthetic',
      controller,
      trials,
      seed,
      reward,
      testAuc: reward + 0.01,
      validAuc: reward,
      memoryBytes: 1e5,
      wallSeconds: 10,
      dims: { user: 8 },
      noiseSmallest: hit,
      noiseMissed: hit ? [] : ['noise'],
      informativeWithinOne: true,
      informativeMissed: [],
    });
    const records = [
      rec('tpe', 40, 100, 0.8, true),
      rec('tpe', 40, 101, 0.7, false),
      rec('random', 40, 100, 0.75, true),
    ];
    const lines: string[] = summaryLines({
      records,
      skipped: [{ dataset: 'adult', missing: '/x/adult/adult.data' }],
      command: 'c',
      date: 'd',
    });
    expect(lines).toContain('- adult: skipped, its data is absent (adult/adult.data).');
    expect(lines).toContain('| tpe | 40 | 0.7500 ± 0.0707 | 0.7600 ± 0.0707 | 0.7500 | 0.100 | 10 | 1/2 | 2/2 |');
    expect(lines).toContain('| random | 40 | 0.7500 ± 0.0000 | 0.7600 ± 0.0000 | 0.7500 | 0.100 | 10 | 1/1 | 1/1 |');
  });
});
