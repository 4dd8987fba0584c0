/**
 * Checks a trial config against its dataset before any allocation, so a user's mistake becomes one UsageError line
 * (naming the key path or the data row) instead of a NaN result or a crash deep in tfjs.
 */
import type { EncodedDataset, SplitRange } from '../data/encoded-dataset.js';
import { UsageError } from '../errors.js';
import { checkTechniques } from '../techniques/index.js';
import type { TrialConfig } from './trial-config.js';

const isPosInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v > 0;
const isNonNegInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isNonNegNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function fail(message: string, hint: string): never {
  throw new UsageError(message, hint);
}

export function validateConfig(config: TrialConfig, dataset: EncodedDataset): void {
  const names = dataset.fields.map((f) => f.name);
  if (!Array.isArray(config.fields) || config.fields.length !== names.length) {
    fail(
      `trial config has ${config.fields?.length ?? 0} fields but dataset ${dataset.source} has ${names.length} (${names.join(', ')})`,
      'give one entry in fields per dataset field, in the same order',
    );
  }
  config.fields.forEach((f, i) => {
    if (f.name !== names[i]) {
      fail(
        `fields[${i}].name is '${f.name}' but field ${i} of dataset ${dataset.source} is '${names[i]}'`,
        `list the fields in the dataset's order: ${names.join(', ')}`,
      );
    }
    if (!isNonNegInt(f.dim))
      fail(`fields[${i}].dim (${f.name}) is ${f.dim}`, 'use a non-negative integer (0 drops the field)');
    if (!isNonNegNumber(f.normAlpha))
      fail(`fields[${i}].normAlpha (${f.name}) is ${f.normAlpha}`, 'use a number ≥ 0 (0 turns the decay off)');
    if (f.maxNorm !== undefined && !(Number.isFinite(f.maxNorm) && f.maxNorm > 0)) {
      fail(`fields[${i}].maxNorm (${f.name}) is ${f.maxNorm}`, 'use a positive number or leave it out');
    }
    // Each embedding technique's keys, then the techniques a field may not combine (src/techniques/, check, conflicts).
    checkTechniques(f, {
      key: (key) => `fields[${i}].${key} (${f.name})`,
      field: `fields[${i}] (${f.name})`,
      fail,
    });
  });
  config.tower.forEach((size, i) => {
    if (!isPosInt(size)) fail(`tower[${i}] is ${size}`, 'hidden layer sizes must be positive integers');
  });
  if (config.optimizer !== 'adam' && config.optimizer !== 'adagrad') {
    fail(`optimizer is '${String(config.optimizer)}'`, "use 'adam' or 'adagrad'");
  }
  if (!(Number.isFinite(config.lr) && config.lr > 0))
    fail(`lr is ${config.lr}`, 'use a positive learning rate such as 0.001');
  if (!isPosInt(config.batchSize)) fail(`batchSize is ${config.batchSize}`, 'use a positive integer such as 2048');
  if (!isPosInt(config.epochs)) fail(`epochs is ${config.epochs}`, 'use a positive integer');
  if (!isNonNegInt(config.patience)) fail(`patience is ${config.patience}`, 'use a non-negative integer');
  if (!Number.isFinite(config.seed)) fail(`seed is ${config.seed}`, 'use an integer seed');
}

/** Labels must be 0/1 and ids inside their field's table, over the splits the engine reads (train and valid). */
function checkRows(dataset: EncodedDataset, split: SplitRange, splitName: string): void {
  const { ids, labels, fields } = dataset;
  const numFields = fields.length;
  for (let r = split.start; r < split.end; r++) {
    const y = labels[r];
    if (y !== 0 && y !== 1) {
      fail(
        `label of row ${r} (${splitName} split) of ${dataset.source} is ${y}`,
        'labels must be 0 or 1: check the label column',
      );
    }
    const base = r * numFields;
    for (let f = 0; f < numFields; f++) {
      const id = ids[base + f];
      if (!(id >= 0 && id < fields[f].rows)) {
        throw new Error(
          `id ${id} of field '${fields[f].name}' at row ${r} of ${dataset.source} is outside [0, ${fields[f].rows})`,
        );
      }
    }
  }
}

/** Datasets already checked: a worker trains many trials on the same (immutable) dataset object. */
const checked = new WeakSet<EncodedDataset>();

export function validateDataset(dataset: EncodedDataset): void {
  if (checked.has(dataset)) return;
  const { train, valid } = dataset.splits;
  if (train.end <= train.start)
    fail(`the train split of ${dataset.source} is empty`, 'use more data or a smaller valid/test share');
  if (valid.end <= valid.start)
    fail(`the valid split of ${dataset.source} is empty`, 'give the valid split a positive share');
  if (dataset.ids.length < dataset.numRows * dataset.fields.length || dataset.labels.length < dataset.numRows) {
    throw new Error(`dataset ${dataset.source} has ${dataset.numRows} rows but shorter ids/labels arrays`);
  }
  checkRows(dataset, train, 'train');
  checkRows(dataset, valid, 'valid');
  let positives = 0;
  for (let r = valid.start; r < valid.end; r++) positives += dataset.labels[r];
  const n = valid.end - valid.start;
  if (positives === 0 || positives === n) {
    fail(
      `the valid split of ${dataset.source} has only ${positives === 0 ? 'negative' : 'positive'} labels (${n} rows): AUC is undefined`,
      'use a larger valid share or another split seed',
    );
  }
  checked.add(dataset);
}

/** A range's name in messages: the split it is, or its rows. */
function rangeName(dataset: EncodedDataset, range: SplitRange): string {
  const named = Object.entries(dataset.splits).find(([, s]) => s.start === range.start && s.end === range.end);
  return named ? `the ${named[0]} split` : `rows ${range.start}..${range.end}`;
}

/**
 * Row ranges other than the train and valid splits that a caller trains on or evaluates (a final retrain on
 * train + valid, evaluated on test): inside the dataset, with valid rows, and an evaluation range holding both classes.
 */
export function validateRanges(
  dataset: EncodedDataset,
  trainRanges: readonly SplitRange[],
  evalRange: SplitRange,
): void {
  const { train, valid } = dataset.splits;
  const same = (a: SplitRange, b: SplitRange) => a.start === b.start && a.end === b.end;
  for (const range of [...trainRanges, evalRange]) {
    if (!(range.start >= 0 && range.start <= range.end && range.end <= dataset.numRows)) {
      throw new Error(
        `row range ${range.start}..${range.end} is outside the ${dataset.numRows} rows of ${dataset.source}`,
      );
    }
    // The train and valid splits were checked by validateDataset.
    if (!same(range, train) && !same(range, valid))
      checkRows(dataset, range, rangeName(dataset, range).replace(/^the | split$/g, ''));
  }
  if (trainRanges.every((r) => r.end === r.start))
    fail(`nothing to train on in ${dataset.source}: the training rows are empty`, 'use more data');
  const n = evalRange.end - evalRange.start;
  let positives = 0;
  for (let r = evalRange.start; r < evalRange.end; r++) positives += dataset.labels[r];
  if (positives === 0 || positives === n) {
    const what = n === 0 ? 'is empty' : `has only ${positives === 0 ? 'negative' : 'positive'} labels (${n} rows)`;
    fail(
      `${rangeName(dataset, evalRange)} of ${dataset.source} ${what}: AUC is undefined`,
      'give the split a larger share, or use another split seed',
    );
  }
}
