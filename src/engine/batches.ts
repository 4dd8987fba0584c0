/**
 * Seeded mini-batch order over the train split: a fresh Fisher–Yates shuffle of the train rows every epoch, drawn
 * from the trial's seed so the same trial visits the same batches in the same order. Its state (the current order
 * and the generator's) can be captured and restored, so a resumed run draws the shuffles it would have drawn.
 */
import seedrandom from 'seedrandom';
import type { SplitRange } from '../data/encoded-dataset.js';

/** What getState returns: a copy of the current order and alea's state (plain numbers, JSON-safe). */
export interface BatchOrderState {
  rows: Int32Array;
  rng: seedrandom.State.Alea;
}

export class BatchOrder {
  /** Row indices of the trained rows in the current epoch's order. */
  readonly rows: Int32Array;
  // { state: true } only adds prng.state(): the numbers drawn are those of seedrandom.alea(seed) alone.
  private rng: seedrandom.StatefulPRNG<seedrandom.State.Alea>;

  /** `train`: the train split, or several row ranges (a final retrain on train + valid) shuffled together. */
  constructor(train: SplitRange | readonly SplitRange[], seed: number) {
    const ranges: readonly SplitRange[] = 'start' in train ? [train] : train;
    this.rows = new Int32Array(ranges.reduce((n, r) => n + (r.end - r.start), 0));
    let i = 0;
    for (const r of ranges) for (let row = r.start; row < r.end; row++) this.rows[i++] = row;
    this.rng = seedrandom.alea(`embnas-shuffle:${seed}`, { state: true });
  }

  getState(): BatchOrderState {
    return { rows: this.rows.slice(), rng: this.rng.state() };
  }

  /** Continues from a state of getState, taken from a BatchOrder over the same rows (the order is copied in). */
  setState(state: BatchOrderState): void {
    const { rows, rng } = state;
    if (!(rows instanceof Int32Array) || rows.length !== this.rows.length) {
      throw new Error(`batch order state of ${rows?.length} rows for an order of ${this.rows.length}`);
    }
    if (!(['c', 's0', 's1', 's2'] as const).every((k) => Number.isFinite(rng?.[k])))
      throw new Error('batch order state without a valid generator state');
    this.rows.set(rows);
    this.rng = seedrandom.alea('', { state: { c: rng.c, s0: rng.s0, s1: rng.s1, s2: rng.s2 } });
  }

  /** Reshuffles (continuing from the previous epoch's order) and returns the order. */
  shuffle(): Int32Array {
    const { rows, rng } = this;
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      const t = rows[i];
      rows[i] = rows[j];
      rows[j] = t;
    }
    return rows;
  }
}

/** Batches per epoch: ceil(rows / batchSize), optionally capped (quick runs). */
export function batchesPerEpoch(rows: number, batchSize: number, maxBatches?: number): number {
  const all = Math.ceil(rows / batchSize);
  return maxBatches !== undefined && maxBatches > 0 ? Math.min(all, Math.floor(maxBatches)) : all;
}
