/**
 * Seeded mini-batch order over the train split: a fresh Fisher–Yates shuffle of the train rows every epoch, drawn
 * from the trial's seed so the same trial visits the same batches in the same order.
 */
import seedrandom from 'seedrandom';
import type { SplitRange } from '../data/encoded-dataset.js';

export class BatchOrder {
  /** Row indices of the trained rows in the current epoch's order. */
  readonly rows: Int32Array;
  private readonly rng: seedrandom.PRNG;

  /** `train`: the train split, or several row ranges (a final retrain on train + valid) shuffled together. */
  constructor(train: SplitRange | readonly SplitRange[], seed: number) {
    const ranges: readonly SplitRange[] = 'start' in train ? [train] : train;
    this.rows = new Int32Array(ranges.reduce((n, r) => n + (r.end - r.start), 0));
    let i = 0;
    for (const r of ranges) for (let row = r.start; row < r.end; row++) this.rows[i++] = row;
    this.rng = seedrandom.alea(`embnas-shuffle:${seed}`);
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
