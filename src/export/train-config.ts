/**
 * `embnas train`: one configuration (trial-file.ts, config-from-file.ts) trained on the train split of a space's data
 * and evaluated on its valid split, with early stopping as in a search. With `test`, it is then retrained on train +
 * valid for its best epoch count and evaluated once on the test split, exactly as `embnas export --retrain` does
 * (retrain-and-save.ts), and saved as a model folder when `modelDir` is given.
 */
import { basename } from 'node:path';
import { loadDataset } from '../data/load-dataset.js';
import { train, type BackendChoice } from '../engine/index.js';
import type { BackendName, TrialConfig } from '../engine/trial-config.js';
import { validateConfig } from '../engine/validate.js';
import { isUsageError, UsageError } from '../errors.js';
import { checkConfigLimits } from '../search/config-limits.js';
import { loadDataSpace } from '../space/load-space.js';
import { configFromFile } from './config-from-file.js';
import { retrainAndSave } from './retrain-and-save.js';
import { checkModelDir } from './saved-model/index.js';
import { readTrialFile, type ReadTrialFile } from './trial-file.js';

export interface TrainConfigOptions {
  space: string;
  config: string;
  /** Which trial of a list (an `export --pareto` file), 0-based. */
  index?: number;
  seed?: number;
  /** Also retrain on train + valid and report the test split's metrics. */
  test?: boolean;
  /** Save the model retrained for `test` here (needs `test`). */
  modelDir?: string;
  backend?: BackendChoice;
  maxBatchesPerEpoch?: number;
  cacheDir?: string;
  log?: (line: string) => void;
}

export interface TrainConfigOutcome {
  config: TrialConfig;
  valid: { auc: number; logloss: number; rows: number };
  /** 1-based epoch whose validation AUC is reported, and epochs trained. */
  bestEpoch: number;
  epochsTrained: number;
  trainRows: number;
  memoryBytes: number;
  trainingBytes: number;
  backend: BackendName;
  test?: { auc: number; logloss: number; rows: number; epochs: number; trainRows: number };
  modelDir?: string;
  seconds: number;
}

export async function trainConfigFile(opts: TrainConfigOptions): Promise<TrainConfigOutcome> {
  const started = performance.now();
  if (opts.modelDir !== undefined && !opts.test) {
    throw new UsageError(
      '--model-dir saves the model retrained on train + valid for --test',
      'add --test, or drop --model-dir',
    );
  }
  const read = readTrialFile(opts.config, opts.index); // before the (long) data load
  const loaded = loadDataSpace(opts.space);
  if (opts.test && loaded.space.data.split.test === 0) {
    throw new UsageError(
      `--test: ${opts.space} has no test split (data.split.test is 0)`,
      'set data.split.test > 0, or drop --test',
    );
  }
  if (opts.modelDir !== undefined) checkModelDir(opts.modelDir);
  opts.log?.(`loading the data of ${opts.space}`);
  const { dataset } = await loadDataset(loaded.space.data, loaded.baseDir, { cacheDir: opts.cacheDir });
  const config = configFromFile(opts.config, read, dataset, loaded.space.model, opts.seed);
  try {
    validateConfig(config, dataset); // the engine's checks of the technique keys, named after the file
  } catch (e) {
    throw isUsageError(e) ? new UsageError(`${opts.config}: ${e.message}`, e.hint) : e;
  }
  // The limits of a search (an edited dim of 10⁹ must not reach the engine): each refusal names the key in the file.
  checkConfigLimits(
    config,
    dataset.fields.map((f) => f.rows),
    { label: opts.config, dimKey: (name) => dimKey(opts.config, read, name) },
  );
  const { train: trainSplit, valid } = dataset.splits;
  opts.log?.(`training on the train split (${trainSplit.end - trainSplit.start} rows), evaluating on valid`);
  const result = await train(config, dataset, { backend: opts.backend, maxBatchesPerEpoch: opts.maxBatchesPerEpoch });
  const outcome: TrainConfigOutcome = {
    config,
    valid: { auc: result.validAuc, logloss: result.validLogloss, rows: valid.end - valid.start },
    bestEpoch: result.bestEpoch + 1,
    epochsTrained: result.epochs.length,
    trainRows: trainSplit.end - trainSplit.start,
    memoryBytes: result.inferenceBytes,
    trainingBytes: result.trainingBytes,
    backend: result.backend,
    seconds: 0,
  };
  if (opts.test) {
    const { search, trial } = read.doc;
    const r = await retrainAndSave({
      config,
      dataset,
      spec: loaded.space.data,
      epochs: outcome.bestEpoch,
      modelDir: opts.modelDir,
      // A hand-written file names no search: the saved model then names the space, with id and trial 0.
      search: {
        id: search?.id ?? 0,
        name: search?.name ?? loaded.space.name ?? basename(opts.config),
        spaceHash: loaded.hash,
      },
      trial: trial ?? 0,
      searchValidAuc: result.validAuc,
      backend: opts.backend,
      maxBatchesPerEpoch: opts.maxBatchesPerEpoch,
      log: opts.log,
    });
    outcome.test = { ...r.test, epochs: outcome.bestEpoch, trainRows: r.trainRows };
    if (opts.modelDir !== undefined) outcome.modelDir = opts.modelDir;
  }
  outcome.seconds = (performance.now() - started) / 1000;
  return outcome;
}

/** `best.yaml:21: features[0].dim`: where the file sets a field's dim. */
function dimKey(file: string, read: ReadTrialFile, name: string): string {
  const i = read.doc.features.findIndex((f) => f.name === name);
  const line = read.lineOf(['features', i, 'dim']);
  return `${file}${line ? `:${line}` : ''}: features[${i}].dim`;
}
