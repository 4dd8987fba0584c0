/**
 * The weight-sharing supernet of a one-shot search: every field's table at its largest candidate dim (masked-table.ts)
 * and one tower whose input is the concatenation of those widest slices. A configuration (per field a dim, 0 = off,
 * and a norm α) is applied per mini-batch as a mask: each field contributes its first `dim` columns and zeros after
 * them, so the tower computes exactly what a stand-alone model with those columns as its tables would feed its first
 * layer, and only the active columns are trained.
 *
 * The tower's first-layer rows of masked inputs get zero gradients, but tfjs's Adam still moves them by their
 * momentum for a few steps after they were last active; the embedding tables, updated here in TypeScript, do not.
 */
import seedrandom from 'seedrandom';
import type { BatchSource } from '../model.js';
import { createTower, type Tower } from '../tower.js';
import type { OptimizerName } from '../trial-config.js';
import { MaskedTable } from './masked-table.js';

/** What the supernet is built for: per field its rows' largest dim (and optional cap), the model-wide settings. */
export interface SupernetSpec {
  fields: { name: string; maxDim: number; maxNorm?: number }[];
  tower: number[];
  optimizer: OptimizerName;
  lr: number;
  /** Initialisation seed of the tables and the tower. */
  seed: number;
}

/** One sampled configuration, in field order: dim ≤ the field's maxDim (0 = off) and the norm budget α. */
export type SubnetConfig = readonly { dim: number; normAlpha: number }[];

export class Supernet {
  /** Per field; undefined for a field whose largest dim is 0. */
  readonly tables: (MaskedTable | undefined)[];
  readonly offsets: number[];
  readonly width: number;
  readonly tower: Tower;
  step = 0;
  private readonly x: Float32Array;
  private readonly y: Float32Array;
  private readonly batchIds: Int32Array[];

  constructor(
    readonly spec: SupernetSpec,
    fieldRows: readonly number[],
    readonly maxBatch: number,
  ) {
    if (fieldRows.length !== spec.fields.length)
      throw new Error(`${spec.fields.length} fields but ${fieldRows.length} row counts`);
    const rng = seedrandom.alea(`embnas-init:${spec.seed}`);
    let offset = 0;
    this.offsets = [];
    this.tables = spec.fields.map((f, i) => {
      this.offsets.push(offset);
      offset += f.maxDim;
      return f.maxDim > 0
        ? new MaskedTable(fieldRows[i], f.maxDim, spec.optimizer, spec.lr, maxBatch, rng, f.maxNorm)
        : undefined;
    });
    this.width = offset;
    this.x = new Float32Array(maxBatch * this.width);
    this.y = new Float32Array(maxBatch);
    this.batchIds = spec.fields.map(() => new Int32Array(maxBatch));
    this.tower = createTower(this.width, spec.tower, spec.optimizer, spec.lr, rng);
  }

  /** Fills the masked tower input and labels with rows order[start..start+count), or start..start+count when order is null. */
  load(sub: SubnetConfig, src: BatchSource, order: Int32Array | null, start: number, count: number): Float32Array {
    this.check(sub);
    if (count > this.maxBatch)
      throw new Error(`batch of ${count} rows exceeds the supernet's maxBatch ${this.maxBatch}`);
    const { ids, labels, numFields } = src;
    for (let b = 0; b < count; b++) {
      const r = order ? order[start + b] : start + b;
      this.y[b] = labels[r];
      for (let f = 0; f < this.tables.length; f++) this.batchIds[f][b] = ids[r * numFields + f];
    }
    this.tables.forEach((t, f) => t?.gather(this.batchIds[f], count, sub[f].dim, this.x, this.width, this.offsets[f]));
    return this.x;
  }

  /** One training step of configuration `sub` on a batch; returns the batch's mean loss. */
  trainBatch(sub: SubnetConfig, src: BatchSource, order: Int32Array | null, start: number, count: number): number {
    this.load(sub, src, order, start, count);
    const { loss, dx } = this.tower.trainStep(this.x, this.y, count);
    const step = ++this.step;
    this.tables.forEach((t, f) => {
      if (!t || sub[f].dim === 0) return; // a field switched off: no gradient, no update, no decay
      t.backward(this.batchIds[f], count, dx, this.width, this.offsets[f]);
      t.step(step, sub[f].dim, sub[f].normAlpha);
    });
    return loss;
  }

  /** Logits of configuration `sub` for the contiguous rows [start, end), in chunks of maxBatch. */
  predict(sub: SubnetConfig, src: BatchSource, start: number, end: number): Float32Array {
    const out = new Float32Array(end - start);
    for (let s = start; s < end; s += this.maxBatch) {
      const count = Math.min(this.maxBatch, end - s);
      this.load(sub, src, null, s, count);
      out.set(this.tower.predict(this.x, count), s - start);
    }
    return out;
  }

  dispose(): void {
    this.tower.dispose();
  }

  private check(sub: SubnetConfig): void {
    if (sub.length !== this.spec.fields.length)
      throw new Error(`configuration has ${sub.length} fields, the supernet ${this.spec.fields.length}`);
    sub.forEach((s, f) => {
      const max = this.spec.fields[f].maxDim;
      if (!(Number.isInteger(s.dim) && s.dim >= 0 && s.dim <= max)) {
        throw new Error(`field ${this.spec.fields[f].name}: dim ${s.dim} is outside the supernet's 0..${max}`);
      }
    });
  }
}
