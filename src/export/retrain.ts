/**
 * The final retrain of an exported trial: its config and seed, trained on train + valid for as many epochs as its best
 * epoch in the search, then evaluated once on the test split — the only place embnas ever reads the test split — and
 * saved as a model folder (see saved-model.ts).
 *
 * The data is loaded exactly as a resume loads it: from the space text stored with the search, relative paths
 * resolved against the folder of the space file.
 */
import path from 'node:path';
import type { EncodedDataset, EncodedField } from '../data/encoded-dataset.js';
import { hasTestSplit } from '../data/role-paths.js';
import { dataChange, storedFingerprint, type DataFingerprint } from '../data/fingerprint.js';
import { loadDataset } from '../data/load-dataset.js';
import { train, type BackendChoice, type ModelWeights } from '../engine/index.js';
import type { BackendName } from '../engine/trial-config.js';
import { UsageError } from '../errors.js';
import type { DataSpec } from '../space/data-schema.js';
import { parseSpace } from '../space/load-space.js';
import type { SearchRecord, TrialRecord, TrialStore } from '../store/trial-store.js';
import { checkModelDir, writeSavedModel, type VocabKind } from './saved-model.js';

export interface RetrainOptions {
  /** Trial number; default: the best completed trial by reward. */
  trial?: number;
  /** Folder of the saved model; default `<search>-trial<N>-model` in the working folder. */
  modelDir?: string;
  backend?: BackendChoice;
  /** Caps batches per epoch (quick runs and tests). */
  maxBatchesPerEpoch?: number;
  /** Data cache folder (default: loadDataset's). */
  cacheDir?: string;
  /** Progress lines (loading, training). */
  log?: (line: string) => void;
}

export interface RetrainOutcome {
  search: SearchRecord;
  trial: TrialRecord;
  /** Epochs trained on train + valid: the trial's best epoch count in the search. */
  epochs: number;
  trainRows: number;
  test: { auc: number; logloss: number; rows: number };
  /** The trial's validation AUC in the search (trained on train alone). */
  searchValidAuc: number;
  memoryBytes: number;
  modelDir: string;
  backend: BackendName;
  seconds: number;
  /** The engine's test-set logits, in row order (to check the saved model against). */
  testLogits: Float32Array;
}

export async function retrainTrial(store: TrialStore, search: string | number, opts: RetrainOptions = {}): Promise<RetrainOutcome> {
  const started = performance.now();
  const s = store.getSearch(search);
  const trial = chooseTrial(store, s, opts.trial);
  const modelDir = opts.modelDir ?? `${s.name.replace(/[^A-Za-z0-9_.-]/g, '_')}-trial${trial.number}-model`;
  checkModelDir(modelDir); // before the (long) training, not after it
  const { space } = parseSpace(s.spaceText, s.spacePath);
  if (!hasTestSplit(space.data)) {
    throw new UsageError(
      `search '${s.name}' has no test split (data.split.test is 0, or data.path names no test files, in ${s.spacePath})`,
      'run a search whose space sets data.split.test > 0 or data.path.test',
    );
  }
  opts.log?.(`loading the data of search '${s.name}' (${s.spacePath})`);
  const { dataset, fingerprint } = await loadDataset(space.data, path.dirname(s.spacePath), { cacheDir: opts.cacheDir });
  checkSameData(store, s, dataset, fingerprint);

  const { train: trainSplit, valid, test } = dataset.splits;
  const epochs = trial.result!.bestEpoch + 1;
  const trainRows = valid.end - valid.start + trainSplit.end - trainSplit.start;
  opts.log?.(`retraining trial ${trial.number} for ${epochs} epoch(s) on train + valid (${trainRows} rows)`);
  let trained: { weights: ModelWeights; evalLogits: Float32Array } | undefined;
  const result = await train(trial.config, dataset, {
    backend: opts.backend,
    maxBatchesPerEpoch: opts.maxBatchesPerEpoch,
    trainRanges: [trainSplit, valid],
    evalRange: test,
    fixedEpochs: epochs,
    onTrained: (t) => (trained = t),
  });
  const testMetrics = { auc: result.validAuc, logloss: result.validLogloss, rows: test.end - test.start };
  writeSavedModel(modelDir, {
    search: { id: s.id, name: s.name, spaceHash: s.spaceHash },
    trial: trial.number,
    config: trial.config,
    fields: dataset.fields,
    vocab: dataset.fields.map((f) => vocabLines(space.data, f)),
    weights: trained!.weights,
    metrics: { testAuc: testMetrics.auc, testLogloss: testMetrics.logloss, testRows: testMetrics.rows, searchValidAuc: trial.result!.validAuc },
    training: { splits: ['train', 'valid'], rows: trainRows, epochs, backend: result.backend },
  });
  return {
    search: s, trial, epochs, trainRows, test: testMetrics,
    searchValidAuc: trial.result!.validAuc,
    memoryBytes: result.inferenceBytes,
    modelDir, backend: result.backend,
    seconds: (performance.now() - started) / 1000,
    testLogits: trained!.evalLogits,
  };
}

function chooseTrial(store: TrialStore, s: SearchRecord, number: number | undefined): TrialRecord {
  const completed = store.listTrials(s.id, { status: 'completed', orderBy: 'reward' });
  if (completed.length === 0) throw new UsageError(`search '${s.name}' has no completed trial yet`, `run it further with \`embnas resume ${s.name}\``);
  if (number === undefined) return completed[0];
  const t = completed.find((x) => x.number === number);
  if (!t) throw new UsageError(`--trial ${number}: search '${s.name}' has no completed trial ${number}`, 'see `embnas show` for trial numbers');
  return t;
}

/** The trial's table sizes were those of the data the search read; a changed file would silently shift every id. */
function checkSameData(store: TrialStore, s: SearchRecord, dataset: EncodedDataset, fingerprint: DataFingerprint): void {
  const events = store.events(s.id);
  const stored = storedFingerprint(events);
  const change = stored === null ? null : dataChange(stored, fingerprint);
  if (change !== null) {
    throw new UsageError(`the data of search '${s.name}' changed since it ran: ${change}`, `restore the data ${dataset.source} as it was, or run a new search`);
  }
  const ev = events.filter((e) => e.kind === 'dataset').at(-1);
  const then = (ev?.payload as { fields?: { name: string; rows: number }[] } | undefined)?.fields;
  if (then === undefined) return;
  const now = dataset.fields;
  const changed = then.length !== now.length ? null : then.findIndex((f, i) => f.name !== now[i].name || f.rows !== now[i].rows);
  if (changed === -1) return;
  const what =
    changed === null
      ? `${now.length} fields now, ${then.length} when it ran`
      : `field '${now[changed].name}' has ${now[changed].rows} rows now, '${then[changed].name}' had ${then[changed].rows} when it ran`;
  throw new UsageError(`the data of search '${s.name}' changed since it ran (${what})`, `restore the data ${dataset.source} as it was, or run a new search`);
}

/**
 * A field's vocabulary lines. The readers store some values as compact keys: Criteo's hex ids become numbers (turned
 * back into lowercase hex here) and numeric columns (Criteo's I1..I13, csv `numeric`) their log2 bucket.
 */
export function vocabLines(spec: DataSpec, field: EncodedField): { values: readonly string[]; kind: VocabKind } {
  if ((spec.format === 'criteo' && /^I\d+$/.test(field.name)) || (spec.format === 'csv' && spec.numeric?.includes(field.name))) {
    return { values: field.values, kind: 'log2-bucket' };
  }
  if (spec.format === 'criteo') return { values: field.values.map(criteoHexOf), kind: 'value' };
  return { values: field.values, kind: 'value' };
}

const TWO_POW_31 = 2 ** 31;

/**
 * Inverse of the Criteo reader's hex key (src/data/readers/buckets.ts hexKeyOf): 8-digit ids are their signed 32-bit
 * value; an id of d ≠ 8 digits is value + Σ_{k<d} 16^k + 2^31.
 */
export function criteoHexOf(key: string): string {
  const k = Number(key);
  if (k >= -TWO_POW_31 && k < TWO_POW_31) return (k >>> 0).toString(16).padStart(8, '0');
  const v = k - TWO_POW_31;
  let digits = 1;
  let offset = 1; // Σ_{k<digits} 16^k
  while (v >= offset + 16 ** digits) {
    offset += 16 ** digits;
    digits++;
  }
  return (v - offset).toString(16).padStart(digits, '0');
}
