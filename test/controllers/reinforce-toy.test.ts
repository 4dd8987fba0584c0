/**
 * Reinforce on the noisy toy objective against random search with the same seeds and noise, in the default batch of
 * 4: within 40 observations its best and its late proposals must be clearly better. An update with the wrong sign, or
 * none, leaves it at random's level or below.
 */
import { describe, expect, it } from 'vitest';
import type { Controller } from '../../src/controllers/controller.js';
import { RandomController } from '../../src/controllers/random.js';
import { ReinforceController } from '../../src/controllers/reinforce.js';
import { TOY_CHOICES, mean, noisyToySearch } from './toy-objective.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const OBSERVATIONS = 40;
const BATCH = 4;

const search = (c: Controller, seed: number) => noisyToySearch(c, seed, OBSERVATIONS, BATCH);

describe('reinforce on the toy objective', () => {
  it('beats random search within 40 observations, in its best and in its last batches', () => {
    const best = { reinforce: [] as number[], random: [] as number[] };
    const late = { reinforce: [] as number[], random: [] as number[] };
    for (const seed of SEEDS) {
      for (const [kind, c] of [
        ['reinforce', new ReinforceController(TOY_CHOICES, { seed })],
        ['random', new RandomController(TOY_CHOICES, { seed })],
      ] as const) {
        const rewards = search(c, seed);
        best[kind].push(Math.max(...rewards));
        late[kind].push(mean(rewards.slice(-8)));
      }
    }
    // Measured over these 8 seeds (0 is perfect): best seen −0.88 against random's −2.38, last 8 proposals −3.4
    // against −7.8. With the update's sign flipped: −5.1 and −12.6; with zero advantages exactly random's numbers.
    expect(mean(best.reinforce)).toBeGreaterThan(mean(best.random) + 0.5);
    expect(mean(late.reinforce)).toBeGreaterThan(mean(late.random) + 2);
  });
});
