/**
 * TPE on the toy objective with noise, against random search with the same seeds: it has to find the target dims
 * of most fields that matter within 100 observations and spend its late proposals on far better configurations.
 */
import { describe, expect, it } from 'vitest';
import type { Controller } from '../../src/controllers/controller.js';
import { RandomController } from '../../src/controllers/random.js';
import { TpeController } from '../../src/controllers/tpe.js';
import { TARGETS, TOY_CHOICES, mean, noisyToySearch } from './toy-objective.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const OBSERVATIONS = 100;
const BATCH = 2;

const search = (c: Controller, seed: number) => noisyToySearch(c, seed, OBSERVATIONS, BATCH);

const lastMean = (rewards: number[]) => mean(rewards.slice(-20));

describe('tpe on the toy objective', () => {
  it('finds most target dims within 100 observations and beats random search by far', () => {
    const found: number[] = [];
    const tpeLate: number[] = [];
    const randomLate: number[] = [];
    const tpeBest: number[] = [];
    const randomBest: number[] = [];
    for (const seed of SEEDS) {
      const tpe = new TpeController(TOY_CHOICES, { seed });
      const rewards = search(tpe, seed);
      tpeLate.push(lastMean(rewards));
      tpeBest.push(Math.max(...rewards));
      const mode = (dims: { value: number; prob: number }[]) => dims.reduce((a, b) => (b.prob > a.prob ? b : a)).value;
      found.push(tpe.policy().filter((f) => f.field in TARGETS && mode(f.dims) === TARGETS[f.field]).length);
      const random = search(new RandomController(TOY_CHOICES, { seed }), seed);
      randomLate.push(lastMean(random));
      randomBest.push(Math.max(...random));
    }
    // Measured over these 8 seeds: l's favourite dim is the target for 3.0 of the 4 fields on average; the last 20
    // proposals score −2.6 against random's −7.7 (0 is perfect); the best seen −0.75 against −1.4.
    expect(mean(found)).toBeGreaterThan(2.5);
    expect(mean(tpeLate)).toBeGreaterThan(mean(randomLate) + 3);
    expect(mean(tpeBest)).toBeGreaterThan(mean(randomBest));
  });
});
