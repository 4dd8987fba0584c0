/**
 * BatchOrder's state: restored mid-sequence it draws the shuffles the original goes on to draw, and making the
 * generator capturable did not change a single shuffle of a seed (stored searches and trials replay them).
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { BatchOrder } from '../../src/engine/batches.js';

const train = { start: 10, end: 517 };

/** Shuffles as BatchOrder drew them before its state was capturable: a plain seedrandom.alea(seed). */
function plainShuffles(seed: number, count: number): Int32Array[] {
  const rows = Int32Array.from({ length: train.end - train.start }, (_, i) => train.start + i);
  const rng = seedrandom.alea(`embnas-shuffle:${seed}`);
  return Array.from({ length: count }, () => {
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    return rows.slice();
  });
}

describe('BatchOrder state', () => {
  it('draws the same shuffles as a plain alea generator of the seed', () => {
    for (const seed of [0, 3, 41]) {
      const order = new BatchOrder(train, seed);
      expect(Array.from({ length: 4 }, () => order.shuffle().slice())).toEqual(plainShuffles(seed, 4));
    }
  });

  it('restored mid-sequence into another order, continues with the same shuffles', () => {
    const order = new BatchOrder(train, 7);
    for (let e = 0; e < 3; e++) order.shuffle();
    const state = order.getState();
    const stored = { rows: state.rows.slice(), rng: JSON.parse(JSON.stringify(state.rng)) };
    const next = Array.from({ length: 3 }, () => order.shuffle().slice());
    expect(state.rows).not.toEqual(order.rows); // getState is a copy
    const resumed = new BatchOrder(train, 8);
    resumed.setState(stored);
    stored.rows.fill(0); // setState copied it in
    expect(resumed.rows).toEqual(state.rows);
    expect(Array.from({ length: 3 }, () => resumed.shuffle().slice())).toEqual(next);
    expect(next).toEqual(plainShuffles(7, 6).slice(3));
  });

  it('refuses the state of an order over other rows', () => {
    const state = new BatchOrder(train, 7).getState();
    expect(() => new BatchOrder({ start: 0, end: 10 }, 7).setState(state)).toThrow(/507 rows for an order of 10/);
    expect(() =>
      new BatchOrder(train, 7).setState({ ...state, rng: { c: 1, s0: 0.5, s1: Number.NaN, s2: 0 } }),
    ).toThrow(/generator state/);
  });
});
