import { describe, expect, it } from 'vitest';
import { encodeReader } from '../../src/data/encode-reader.js';
import { Encoder } from '../../src/data/encoder.js';
import { finalizeRows } from '../../src/data/finalize-rows.js';
import { buildVocabulary } from '../../src/data/vocabulary.js';
import { planSplit, VALID, TEST, TRAIN } from '../../src/data/split.js';
import { isUsageError } from '../../src/errors.js';
import { indexReader } from './helpers.js';

const split = (over: Partial<{ valid: number; test: number; seed: number; by: 'random' | 'file' }> = {}) => ({
  valid: 0.2,
  test: 0.1,
  seed: 3,
  by: 'random' as const,
  ...over,
});

/**
 * The original row index of each encoded row (field "row" holds key i). The encoder's vocabulary is counted on the
 * training rows only, so a held-out row's unique key reads the OOV row; to follow every row, these tests build the
 * vocabulary over all rows and apply the split themselves, as encodeReader does.
 */
async function rowOrder(n: number, s: ReturnType<typeof split>) {
  const encoder = new Encoder(1);
  await indexReader(n).read(encoder);
  const rows = encoder.finish();
  const plan = planSplit(n, s);
  const vocab = buildVocabulary(['row'], rows, 1);
  finalizeRows(rows, vocab, plan);
  const values = vocab.fields[0].values;
  return {
    dataset: { splits: plan.ranges, labels: rows.labels },
    order: Array.from(rows.ids, (id) => Number(values[id])),
  };
}

describe('split', () => {
  it('is deterministic for a seed and differs between seeds', async () => {
    const a = await rowOrder(1000, split({ seed: 3 }));
    const b = await rowOrder(1000, split({ seed: 3 }));
    const c = await rowOrder(1000, split({ seed: 4 }));
    expect(a.order).toEqual(b.order);
    expect(a.order).not.toEqual(c.order);
  });

  it('moves rows into contiguous train | valid | test ranges, labels with them, file order kept inside', async () => {
    const { dataset, order } = await rowOrder(1000, split());
    expect(dataset.splits).toEqual({
      train: { start: 0, end: 700 },
      valid: { start: 700, end: 900 },
      test: { start: 900, end: 1000 },
    });
    expect([...order].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i)); // a permutation
    for (const { start, end } of Object.values(dataset.splits)) {
      const part = order.slice(start, end);
      expect(part).toEqual([...part].sort((x, y) => x - y));
    }
    let labelsFollow = true;
    order.forEach((orig, r) => (labelsFollow &&= dataset.labels[r] === orig % 2));
    expect(labelsFollow).toBe(true);
    // a random split actually mixes: the valid rows are not just the tail
    expect(Math.min(...order.slice(700, 900))).toBeLessThan(500);
  });

  it('by: file keeps the file order, valid then test at the end', async () => {
    const { dataset, order } = await rowOrder(100, split({ by: 'file', valid: 0.1, test: 0.05 }));
    expect(order).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(dataset.splits.valid).toEqual({ start: 85, end: 95 });
    expect(dataset.splits.test).toEqual({ start: 95, end: 100 });
  });

  it('assigns exact split sizes', () => {
    const plan = planSplit(1001, split());
    const count = (k: number) => plan.assign.filter((a) => a === k).length;
    expect([count(TRAIN), count(VALID), count(TEST)]).toEqual([701, 200, 100]);
    expect(plan.inOrder).toBe(false);
    expect(planSplit(1001, split({ by: 'file' })).inOrder).toBe(true);
  });

  it('allows an empty test split but not an empty valid split', () => {
    expect(planSplit(50, split({ test: 0 })).ranges.test).toEqual({ start: 50, end: 50 });
    let err: unknown;
    try {
      planSplit(4, split({ valid: 0.1 }));
    } catch (e) {
      err = e;
    }
    expect(isUsageError(err)).toBe(true);
    expect((err as Error).message).toMatch(/data\.split\.valid.*4 rows/);
    expect(() => planSplit(10, split({ valid: 0.6, test: 0.5 }))).toThrow(/no training rows/);
  });

  it('keeps ids and labels on SharedArrayBuffers', async () => {
    const { dataset } = await encodeReader(indexReader(300), { minCount: 1, split: split() }, 'test');
    expect(dataset.ids.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(dataset.labels.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(dataset.ids.length).toBe(300);
    expect(dataset.labels.length).toBe(300);
  });

  it('passes a single-class validation split through (the engine reports it)', async () => {
    const { dataset } = await rowOrder(10, split({ by: 'file', valid: 0.1, test: 0 }));
    expect(dataset.splits.valid).toEqual({ start: 9, end: 10 });
  });
});
