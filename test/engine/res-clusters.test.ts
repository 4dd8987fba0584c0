/**
 * Res-embedding's clusters: values that co-occur with the same partners share a cluster, only the training rows are
 * read, unseen values join the OOV row's cluster, and the result is deterministic and cached per dataset.
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { sharedFloat32, sharedInt32, type EncodedDataset } from '../../src/data/encoded-dataset.js';
import { clusterValues, residualClusters } from '../../src/engine/res-clusters.js';

/**
 * Fields item (kept 9: ids 0..8, OOV 9, missing 10) and user (kept 8, OOV 8, missing 9). Train rows (the first 400):
 * items 0..3 with users 0..3, items 4..7 and the OOV row with users 4..7; item 8 appears in the valid rows only,
 * where every item meets random users (`validMix`), which must not change the clusters.
 */
function cooccurrence(seed: string, validMix = true): EncodedDataset {
  const rng = seedrandom(seed);
  const rows = 500;
  const ids = sharedInt32(rows * 2);
  const labels = sharedFloat32(rows);
  const pick = (n: number) => Math.floor(rng() * n);
  for (let r = 0; r < rows; r++) {
    const train = r < 400;
    const item = train ? [0, 1, 2, 3, 4, 5, 6, 7, 9][pick(9)] : pick(9);
    const group = item < 4 ? 0 : 4;
    ids[2 * r] = item;
    ids[2 * r + 1] = train || !validMix ? group + pick(4) : pick(8);
    labels[r] = rng() < 0.5 ? 1 : 0;
  }
  const field = (name: string, kept: number) => ({
    name,
    rows: kept + 2,
    kept,
    oovId: kept,
    missingId: kept + 1,
    keyDigest: 'fixture',
    counts: new Int32Array(kept + 2),
    distinct: kept,
    values: [],
  });
  return {
    source: `cooccurrence(${seed})`,
    fields: [field('item', 9), field('user', 8)],
    numRows: rows,
    ids,
    labels,
    splits: { train: { start: 0, end: 400 }, valid: { start: 400, end: 500 }, test: { start: 500, end: 500 } },
  };
}

describe('Res-embedding clusters', () => {
  it('group values that co-occur with the same partners', () => {
    const data = cooccurrence('a');
    const c = clusterValues(data, [data.splits.train], 0, 2);
    expect(c).toHaveLength(11);
    expect(new Set([c[0], c[1], c[2], c[3]]).size).toBe(1);
    expect(new Set([c[4], c[5], c[6], c[7], c[9]]).size).toBe(1);
    expect(c[0]).not.toBe(c[4]);
    // item 8 (valid rows only) and the missing row (never seen) read the OOV row's centre
    expect(c[8]).toBe(c[9]);
    expect(c[10]).toBe(c[9]);
    // the other way round: users by the items they meet
    const u = clusterValues(data, [data.splits.train], 1, 2);
    expect(new Set([u[0], u[1], u[2], u[3]]).size).toBe(1);
    expect(new Set([u[4], u[5], u[6], u[7]]).size).toBe(1);
    expect(u[0]).not.toBe(u[4]);
  });

  it('read the training rows only', () => {
    const mixed = cooccurrence('b', true);
    const clean = cooccurrence('b', false);
    expect(Array.from(clusterValues(mixed, [mixed.splits.train], 0, 3))).toEqual(
      Array.from(clusterValues(clean, [clean.splits.train], 0, 3)),
    );
  });

  it('are deterministic, cached per dataset, field, k and rows, and give every value its own cluster when k ≥ values', () => {
    const data = cooccurrence('c');
    const once = clusterValues(data, [data.splits.train], 0, 3);
    expect(Array.from(clusterValues(data, [data.splits.train], 0, 3))).toEqual(Array.from(once));
    expect(Array.from(clusterValues(cooccurrence('c'), [data.splits.train], 0, 3))).toEqual(Array.from(once));
    const cached = residualClusters(data, [data.splits.train], 0, 3);
    expect(Array.from(cached)).toEqual(Array.from(once));
    expect(residualClusters(data, [data.splits.train], 0, 3)).toBe(cached);
    expect(residualClusters(data, [data.splits.train], 0, 2)).not.toBe(cached);
    expect(residualClusters(data, [data.splits.train, data.splits.valid], 0, 3)).not.toBe(cached);
    const own = clusterValues(data, [data.splits.train], 0, 16);
    expect(new Set([0, 1, 2, 3, 4, 5, 6, 7, 9].map((id) => own[id])).size).toBe(9);
    expect(Math.max(...own)).toBeLessThan(16);
  });
});
