/**
 * From a configuration file (trial-file.ts) and the dataset it is trained on to a complete TrialConfig. Per field
 * everything comes from the file, matched to the data's fields by name (the order of the file does not matter; every
 * field of the data must be listed once, and nothing else). Model-wide settings come from the space's `model:`
 * unless the file's `model:` sets them (an exported trial does: what it was trained with). The seed: --seed, else
 * the file's model.seed, else 0.
 */
import type { EncodedDataset } from '../data/encoded-dataset.js';
import type { FieldConfig, TrialConfig } from '../engine/trial-config.js';
import { UsageError } from '../errors.js';
import type { ModelSpec } from '../space/schema.js';
import type { ReadTrialFile, TrialFileFeature } from './trial-file.js';

export function configFromFile(
  file: string,
  read: ReadTrialFile,
  dataset: EncodedDataset,
  model: ModelSpec,
  seed?: number,
): TrialConfig {
  const at = (keys: (string | number)[]) => {
    const line = read.lineOf(keys);
    return `${file}${line ? `:${line}` : ''}`;
  };
  const names = dataset.fields.map((f) => f.name);
  const listed = new Map<string, number>();
  read.doc.features.forEach((f, i) => {
    if (!names.includes(f.name)) {
      throw new UsageError(
        `${at(['features', i])}: features[${i}]: '${f.name}' is not a field of the data`,
        `the data's fields are: ${names.join(', ')}`,
      );
    }
    const first = listed.get(f.name);
    if (first !== undefined)
      throw new UsageError(
        `${at(['features', i])}: features[${i}]: '${f.name}' is listed twice (also features[${first}])`,
        'list each field once',
      );
    listed.set(f.name, i);
  });
  const missing = names.find((n) => !listed.has(n));
  if (missing !== undefined) {
    throw new UsageError(
      `${at(['features'])}: features: the data's field '${missing}' is missing`,
      `add an entry for it (dim: 0 drops it); the data's fields are: ${names.join(', ')}`,
    );
  }
  const m = read.doc.model ?? {};
  return {
    fields: names.map((name) => fieldConfig(read.doc.features[listed.get(name)!])),
    tower: [...(m.tower ?? model.tower)],
    optimizer: m.optimizer ?? model.optimizer,
    lr: m.lr ?? model.lr,
    batchSize: m.batchSize ?? model.batchSize,
    epochs: m.epochs ?? model.epochs,
    patience: m.patience ?? model.patience,
    seed: seed ?? m.seed ?? 0,
  };
}

/** The training keys of one feature entry (rows and kept are the data's, not the file's). */
function fieldConfig(f: TrialFileFeature): FieldConfig {
  const { rows: _rows, kept: _kept, ...config } = f;
  return config;
}
