/**
 * Small in-memory datasets for engine tests, built directly as EncodedDatasets (no reader involved).
 *
 * `plantedDataset`: the label depends only on the first `informative` fields (each value of such a field carries a
 * hidden weight; logit = Σ weights), the remaining `noise` fields are independent of it.
 */
import seedrandom from 'seedrandom';
import { sharedFloat32, sharedInt32, type EncodedDataset, type EncodedField } from '../../src/data/encoded-dataset.js';
import type { TrialConfig } from '../../src/engine/trial-config.js';

export interface PlantedOptions {
  rows?: number;
  informative?: number;
  noise?: number;
  /** Distinct values per field. */
  cardinality?: number;
  /** Scale of the hidden per-value weights (larger = cleaner signal). */
  signal?: number;
  /** Added to every row's logit: a negative bias makes positives rare. */
  bias?: number;
  seed?: number;
}

function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

export function plantedDataset(opts: PlantedOptions = {}): EncodedDataset {
  const { rows = 6000, informative = 2, noise = 2, cardinality = 20, signal = 1.5, bias = 0, seed = 1 } = opts;
  const rng = seedrandom(`fixture:${seed}`);
  const numFields = informative + noise;
  const hidden = Array.from({ length: informative }, () =>
    Array.from({ length: cardinality }, () => gaussian(rng) * signal),
  );
  const ids = sharedInt32(rows * numFields);
  const labels = sharedFloat32(rows);
  for (let r = 0; r < rows; r++) {
    let logit = bias;
    for (let f = 0; f < numFields; f++) {
      const id = Math.floor(rng() * cardinality);
      ids[r * numFields + f] = id;
      if (f < informative) logit += hidden[f][id];
    }
    labels[r] = rng() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  const fields: EncodedField[] = [];
  for (let f = 0; f < numFields; f++) {
    const counts = new Int32Array(cardinality + 2);
    for (let r = 0; r < rows; r++) counts[ids[r * numFields + f]]++;
    fields.push({
      name: f < informative ? `signal${f}` : `noise${f - informative}`,
      rows: cardinality + 2,
      kept: cardinality,
      oovId: cardinality,
      missingId: cardinality + 1,
      keyDigest: 'fixture',
      counts,
      distinct: cardinality,
      values: Array.from({ length: cardinality }, (_, i) => `v${i}`),
    });
  }
  const trainEnd = Math.floor(rows * 0.8);
  const validEnd = Math.floor(rows * 0.9);
  return {
    source: `planted(seed=${seed})`,
    fields,
    numRows: rows,
    ids,
    labels,
    splits: {
      train: { start: 0, end: trainEnd },
      valid: { start: trainEnd, end: validEnd },
      test: { start: validEnd, end: rows },
    },
  };
}

/** A trial config for `dataset` with every field at `dim`; override anything. */
export function configFor(dataset: EncodedDataset, overrides: Partial<TrialConfig> = {}, dim = 4): TrialConfig {
  return {
    fields: dataset.fields.map((f) => ({ name: f.name, dim, normAlpha: 0 })),
    tower: [16],
    optimizer: 'adam',
    lr: 0.01,
    batchSize: 128,
    epochs: 3,
    patience: 2,
    seed: 3,
    ...overrides,
  };
}
