/**
 * The clusters of Res-embedding (residual embeddings): which values of a field share a central embedding. Values that
 * co-occur with the same partners (items rated by the same users, apps used in the same contexts) should share one,
 * so the clustering works on co-occurrence profiles read from the rows a trial trains on (the train split in a
 * search: nothing from valid or test leaks into the model).
 *
 * Profile of a value v of field f: for every other field g, the distribution of g's ids over the rows where f = v,
 * folded into at most BUCKETS buckets (a field with that few rows keeps one bucket per id; a larger one is hashed,
 * which keeps distances between distributions unbiased up to a factor 1 − 1/BUCKETS), plus the distribution of the
 * label. Each block sums to 1, so every other field weighs the same whatever its cardinality.
 *
 * Then a frequency-weighted k-means (k-means++ seeding, a few Lloyd iterations) over the profiles. Cost is bounded:
 * only the TOP_VALUES most frequent ids (ids are frequency-ordered) plus the OOV and missing rows are profiled and
 * clustered, over at most MAX_ROWS training rows (an even stride); rarer kept ids get a hashed cluster (the hashing
 * trick, as they have too few rows to place them anyway), and ids never seen in those rows get the OOV row's cluster
 * (or the heaviest cluster when the OOV row is never seen either): their residual stays zero, so they read the
 * "unknown value" centre.
 *
 * The result is a function of (dataset, training rows, field, k) only — the seed of k-means is derived from the
 * field's name and k, not from the trial seed — so it is computed once per worker and reused by every trial
 * (`residualClusters` caches it), and a resumed search or a retrain clusters exactly as before.
 */
import seedrandom from 'seedrandom';
import type { EncodedDataset, SplitRange } from '../data/encoded-dataset.js';

/** Most frequent values clustered by k-means; the rest of a large vocabulary is hashed. */
export const TOP_VALUES = 10_000;
/** Training rows read for the profiles (an even stride over the ranges beyond that). */
export const MAX_ROWS = 1_000_000;
/** Buckets per other field in a profile. */
export const BUCKETS = 32;
/** Lloyd iterations after the k-means++ seeding (stops earlier when no value changes cluster). */
export const ITERATIONS = 10;

const cache = new WeakMap<EncodedDataset, Map<string, Int32Array>>();

/** Cluster of every id of `field` (length rows, values in [0, k)), cached per dataset object. Do not modify it. */
export function residualClusters(
  dataset: EncodedDataset,
  ranges: readonly SplitRange[],
  field: number,
  k: number,
): Int32Array {
  let perDataset = cache.get(dataset);
  if (!perDataset) cache.set(dataset, (perDataset = new Map()));
  const key = `${field}:${k}:${ranges.map((r) => `${r.start}-${r.end}`).join(',')}`;
  let clusters = perDataset.get(key);
  if (!clusters) perDataset.set(key, (clusters = clusterValues(dataset, ranges, field, k)));
  return clusters;
}

/** 32-bit integer mix (murmur3's finaliser) of an id and a salt. */
function mix(id: number, salt: number): number {
  let h = Math.imul(id ^ Math.imul(salt, 0x9e3779b9), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The uncached computation (see the file comment). */
export function clusterValues(
  dataset: EncodedDataset,
  ranges: readonly SplitRange[],
  field: number,
  k: number,
): Int32Array {
  if (!(Number.isInteger(k) && k > 0)) throw new Error(`clusterValues: k is ${k}`);
  const { fields, ids, labels } = dataset;
  const numFields = fields.length;
  const f = fields[field];
  const top = Math.min(f.kept, TOP_VALUES);
  // Slots: ids 0..top-1, then the OOV row, then the missing row.
  const slotOf = (id: number): number => (id < top ? id : id === f.oovId ? top : id === f.missingId ? top + 1 : -1);
  const slots = top + 2;
  const blocks: { field: number; offset: number; width: number }[] = [];
  let width = 0;
  fields.forEach((g, i) => {
    if (i === field) return;
    const w = Math.min(g.rows, BUCKETS);
    blocks.push({ field: i, offset: width, width: w });
    width += w;
  });
  const labelOffset = width;
  width += 2;

  const profiles = new Float64Array(slots * width);
  const weight = new Float64Array(slots);
  const total = ranges.reduce((n, r) => n + (r.end - r.start), 0);
  const stride = Math.max(1, Math.ceil(total / MAX_ROWS));
  let seen = 0;
  for (const range of ranges) {
    for (let r = range.start; r < range.end; r++, seen++) {
      if (seen % stride !== 0) continue;
      const base = r * numFields;
      const s = slotOf(ids[base + field]);
      if (s < 0) continue;
      weight[s]++;
      const p = s * width;
      for (const b of blocks) {
        const id = ids[base + b.field];
        profiles[p + b.offset + (fields[b.field].rows <= BUCKETS ? id : mix(id, b.field) % BUCKETS)]++;
      }
      profiles[p + labelOffset + (labels[r] > 0.5 ? 1 : 0)]++;
    }
  }
  const present: number[] = [];
  for (let s = 0; s < slots; s++) {
    if (weight[s] === 0) continue;
    present.push(s);
    const p = s * width;
    for (let j = 0; j < width; j++) profiles[p + j] /= weight[s];
  }

  const slotCluster = kMeans(profiles, width, weight, present, k, seedrandom.alea(`embnas-res:${f.name}:${k}`));
  const out = new Int32Array(f.rows);
  // Unseen ids read the OOV row's centre, or the heaviest cluster's.
  let unseen = slotCluster[top];
  if (unseen < 0) {
    const mass = new Float64Array(k);
    for (const s of present) mass[slotCluster[s]] += weight[s];
    unseen = mass.indexOf(Math.max(...mass));
  }
  for (let id = 0; id < f.rows; id++) {
    const s = slotOf(id);
    out[id] = s >= 0 ? (slotCluster[s] >= 0 ? slotCluster[s] : unseen) : mix(id, -1 - field) % k;
  }
  return out;
}

/** Weighted k-means of the `present` slots' profiles; the cluster of each slot (−1 for slots not present). */
function kMeans(
  x: Float64Array,
  width: number,
  weight: Float64Array,
  present: number[],
  k: number,
  rng: () => number,
): Int32Array {
  const assign = new Int32Array(weight.length).fill(-1);
  if (present.length === 0) return assign;
  if (present.length <= k) {
    present.forEach((s, c) => (assign[s] = c)); // as many clusters as values: one each
    return assign;
  }
  const centres = new Float64Array(k * width);
  const dist = (s: number, c: number): number => {
    let d = 0;
    for (let j = 0, p = s * width, q = c * width; j < width; j++) {
      const t = x[p + j] - centres[q + j];
      d += t * t;
    }
    return d;
  };
  // k-means++: each next centre drawn with probability ∝ weight · squared distance to the nearest centre so far.
  const nearest = new Float64Array(present.length).fill(Infinity);
  let pick =
    present[
      pickIndex(
        present.map((s) => weight[s]),
        rng,
      )
    ];
  for (let c = 0; c < k; c++) {
    centres.set(x.subarray(pick * width, (pick + 1) * width), c * width);
    if (c + 1 === k) break;
    const scores = present.map((s, i) => {
      nearest[i] = Math.min(nearest[i], dist(s, c));
      return weight[s] * nearest[i];
    });
    pick = present[pickIndex(scores, rng)];
  }
  const sums = new Float64Array(k * width);
  const mass = new Float64Array(k);
  for (let it = 0; it <= ITERATIONS; it++) {
    let changed = 0;
    for (const s of present) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = dist(s, c);
        if (d < bestD) [best, bestD] = [c, d];
      }
      if (assign[s] !== best) [assign[s], changed] = [best, changed + 1];
    }
    if (changed === 0 || it === ITERATIONS) break;
    sums.fill(0);
    mass.fill(0);
    for (const s of present) {
      const c = assign[s];
      mass[c] += weight[s];
      for (let j = 0; j < width; j++) sums[c * width + j] += weight[s] * x[s * width + j];
    }
    // An empty cluster keeps its centre (it may win values back in a later iteration).
    for (let c = 0; c < k; c++)
      if (mass[c] > 0) for (let j = 0; j < width; j++) centres[c * width + j] = sums[c * width + j] / mass[c];
  }
  return assign;
}

/** Index drawn with probability ∝ scores (all ≥ 0); the first positive one when they are all 0. */
function pickIndex(scores: number[], rng: () => number): number {
  const sum = scores.reduce((a, b) => a + b, 0);
  if (!(sum > 0))
    return Math.max(
      0,
      scores.findIndex((v) => v >= 0),
    );
  let u = rng() * sum;
  for (let i = 0; i < scores.length; i++) {
    u -= scores[i];
    if (u < 0 && scores[i] > 0) return i;
  }
  return scores.findLastIndex((v) => v > 0);
}
