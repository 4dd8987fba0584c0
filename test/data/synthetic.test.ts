import { describe, expect, it } from 'vitest';
import { encodeReader } from '../../src/data/encode-reader.js';
import type { EncodedDataset } from '../../src/data/encoded-dataset.js';
import { SyntheticReader } from '../../src/data/synthetic.js';
import { buildSyntheticModel, rawSignal } from '../../src/data/synthetic-model.js';
import { aucOf } from '../../src/data/synthetic-truth.js';
import { isUsageError } from '../../src/errors.js';
import { SyntheticSchema } from '../../src/space/data-schema.js';

const SPLIT = { valid: 0.15, test: 0.15, seed: 7, by: 'random' as const };

async function generate(over: Record<string, unknown> = {}, fields?: string[]) {
  const reader = new SyntheticReader(SyntheticSchema.parse({ rows: 40_000, ...over }), fields);
  const { dataset, plan } = await encodeReader(reader, { minCount: 2, split: SPLIT }, 'synthetic');
  return { dataset, truth: reader.truth(plan.assign) };
}

/** Valid AUC of one field's smoothed per-value positive rate, estimated on train: its univariate association. */
function univariateAuc(d: EncodedDataset, field: number): number {
  const F = d.fields.length;
  const rows = d.fields[field].rows;
  const pos = new Float64Array(rows);
  const cnt = new Float64Array(rows);
  let base = 0;
  for (let r = d.splits.train.start; r < d.splits.train.end; r++) {
    const id = d.ids[r * F + field];
    pos[id] += d.labels[r];
    cnt[id]++;
    base += d.labels[r];
  }
  base /= d.splits.train.end;
  const score = new Float64Array(d.numRows);
  for (let r = d.splits.valid.start; r < d.splits.valid.end; r++) {
    const id = d.ids[r * F + field];
    score[r] = (pos[id] + 20 * base) / (cnt[id] + 20);
  }
  return aucOf(score, d.labels, (r) => r >= d.splits.valid.start && r < d.splits.valid.end);
}

describe('synthetic data', () => {
  it('is identical for the same seed and different for another seed', async () => {
    const a = await generate({ rows: 5000, seed: 11 });
    const b = await generate({ rows: 5000, seed: 11 });
    const c = await generate({ rows: 5000, seed: 12 });
    expect(
      Buffer.from(a.dataset.ids.buffer, 0, a.dataset.ids.byteLength).equals(
        Buffer.from(b.dataset.ids.buffer, 0, b.dataset.ids.byteLength),
      ),
    ).toBe(true);
    expect(Array.from(a.dataset.labels)).toEqual(Array.from(b.dataset.labels));
    expect(a.truth).toEqual(b.truth);
    expect(Array.from(a.dataset.ids)).not.toEqual(Array.from(c.dataset.ids));
    expect(Array.from(a.dataset.labels)).not.toEqual(Array.from(c.dataset.labels));
  });

  it('plants informative and noise fields, a realistic label rate and a reachable ceiling', async () => {
    const { dataset, truth } = await generate();
    expect(truth.positiveRate).toBeGreaterThan(0.2);
    expect(truth.positiveRate).toBeLessThan(0.35);
    expect(truth.bayesValidAuc).toBeGreaterThan(0.75);
    expect(truth.bayesValidAuc).toBeLessThan(0.95);
    expect(truth.fields.map((f) => [f.name, f.kind, f.trueDim, f.vocab])).toEqual([
      ['user', 'informative', 8, 2000],
      ['item', 'informative', 8, 1000],
      ['category', 'informative', 4, 50],
      ['hour', 'informative', 2, 24],
      ['noise_a', 'noise', 0, 500],
      ['noise_b', 'noise', 0, 20],
    ]);
    const auc = Object.fromEntries(dataset.fields.map((f, i) => [f.name, univariateAuc(dataset, i)]));
    for (const name of ['noise_a', 'noise_b']) expect(Math.abs(auc[name] - 0.5)).toBeLessThan(0.03);
    for (const name of ['user', 'item', 'category', 'hour']) expect(auc[name]).toBeGreaterThan(0.56);
  });

  it('follows a Zipf law and the missing rate', async () => {
    const { dataset } = await generate({ rows: 20_000, missingRate: 0.05 });
    const hour = dataset.fields[3];
    const n = dataset.splits.train.end; // counts are of the training rows
    expect(hour.counts[hour.missingId] / n).toBeGreaterThan(0.04);
    expect(hour.counts[hour.missingId] / n).toBeLessThan(0.06);
    // rank 1 vs rank 2 of Zipf(1.1): ratio 2^1.1 ≈ 2.14
    expect(hour.counts[0] / hour.counts[1]).toBeGreaterThan(1.8);
    expect(hour.counts[0] / hour.counts[1]).toBeLessThan(2.5);
  });

  it('scales the interaction terms by interactionWeight and nothing else', () => {
    const model = (w: number) => buildSyntheticModel(SyntheticSchema.parse({ interactionWeight: w }));
    const [m0, m1, m3] = [model(0), model(1), model(3)];
    const values = Int32Array.from([5, 7, 2, 1, 0, 0]); // user, item, category, hour, noise_a, noise_b
    const mains = m0.fields.reduce((s, f, i) => s + (f.main ? f.main[values[i]] : 0), 0);
    expect(rawSignal(m0, values)).toBeCloseTo(mains, 12);
    const pair = rawSignal(m1, values) - mains;
    expect(Math.abs(pair)).toBeGreaterThan(1e-6);
    expect(rawSignal(m3, values) - mains).toBeCloseTo(3 * pair, 9);
  });

  it('emits only data.fields, in that order', async () => {
    const { dataset, truth } = await generate({ rows: 2000 }, ['noise_b', 'user']);
    expect(dataset.fields.map((f) => f.name)).toEqual(['noise_b', 'user']);
    expect(truth.fields.filter((f) => f.observed).map((f) => f.name)).toEqual(['user', 'noise_b']);
  });

  it('names the key of a bad synthetic section', () => {
    const cases: [Record<string, unknown>, string[] | undefined, RegExp][] = [
      [{ interactions: [['user', 'noise_a']] }, undefined, /interactions\[0\].*noise_a/],
      [{ noise: [{ name: 'user', vocab: 3 }] }, undefined, /noise\[0\]\.name.*duplicate/],
      [{}, ['user', 'nope'], /data\.fields\[1\].*nope/],
    ];
    for (const [over, fields, message] of cases) {
      let err: unknown;
      try {
        new SyntheticReader(SyntheticSchema.parse(over), fields);
      } catch (e) {
        err = e;
      }
      expect(isUsageError(err)).toBe(true);
      expect((err as Error).message).toMatch(message);
    }
  });
});
