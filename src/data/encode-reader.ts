/**
 * Reader → EncodedDataset, without the cache: intern, build the vocabulary, then remap and split in one pass.
 * The rows are written once into shared memory and never copied, so the peak is close to the encoded size.
 */
import { UsageError } from '../errors.js';
import type { EncodedDataset } from './encoded-dataset.js';
import type { ReadStats, Reader } from './row-sink.js';
import { Encoder } from './encoder.js';
import { buildVocabulary } from './vocabulary.js';
import { planRoles, planSplit, type SplitPlan, type SplitSpec } from './split.js';
import { RoleReader } from './role-reader.js';
import { finalizeRows } from './finalize-rows.js';
import { countTrainingRows } from './training-counts.js';

export interface EncodeSettings {
  minCount: number;
  split: SplitSpec;
}

export interface EncodedRead {
  dataset: EncodedDataset;
  stats: ReadStats;
  /** The split of each row in read order (see split.ts), for callers that kept per-row data of their own. */
  plan: SplitPlan;
}

/** Reads every row of `reader` and encodes it. `source` names the input in messages ("data/train.txt"). */
export async function encodeReader(
  reader: Reader,
  settings: EncodeSettings,
  source: string,
  onProgress?: (rows: number) => void,
): Promise<EncodedRead> {
  const fields = reader.fields;
  if (fields.length === 0) throw new UsageError(`${source}: no fields to encode`, 'list the fields in data.fields');
  const { rows, stats } = await intern(reader, onProgress);
  if (rows.numRows === 0) {
    throw new UsageError(`${source}: no rows were read`, 'check data.path and data.format (and skipped rows)');
  }
  // Files given by role are their own split; otherwise the fractions of data.split draw it.
  const plan =
    reader instanceof RoleReader
      ? planRoles(reader.rowsPerRole(), (role) => reader.shownFiles(role))
      : planSplit(rows.numRows, settings.split);
  // Counted on the training rows only: values first seen in valid or test read the OOV row.
  countTrainingRows(rows, plan);
  // The vocabulary lets go of each field's table as it goes, before the last pass over every row.
  const vocab = buildVocabulary(fields, rows, settings.minCount);
  finalizeRows(rows, vocab, plan);
  const dataset: EncodedDataset = {
    source,
    fields: vocab.fields,
    numRows: rows.numRows,
    ids: rows.ids,
    labels: rows.labels,
    splits: plan.ranges,
  };
  return { dataset, stats, plan };
}

/** Kept apart so the encoder (and its per-field Maps) is unreachable as soon as the rows are handed over. */
async function intern(reader: Reader, onProgress?: (rows: number) => void) {
  const encoder = new Encoder(reader.fields.length, { onProgress });
  const stats = await reader.read(encoder);
  return { rows: encoder.finish(), stats };
}
