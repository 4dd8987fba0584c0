/**
 * The last step of a retrain, shared by `embnas export --retrain` (retrain.ts) and `embnas train --test`: train a
 * config on train + valid for a fixed number of epochs (no early stopping: nothing is selected on held-out rows),
 * evaluate it once on the test split, and save the model folder (saved-model/) when one is named.
 */
import type { EncodedDataset } from '../data/encoded-dataset.js';
import { train, type BackendChoice, type ModelWeights } from '../engine/index.js';
import type { BackendName, TrialConfig } from '../engine/trial-config.js';
import type { DataSpec } from '../space/data-schema.js';
import { vocabLines } from './vocab-lines.js';
import { writeSavedModel, type SavedModelMeta } from './saved-model/index.js';

export interface RetrainAndSaveInput {
  config: TrialConfig;
  dataset: EncodedDataset;
  /** The data section the dataset was loaded from (how vocabulary lines are spelled). */
  spec: DataSpec;
  epochs: number;
  /** Where to save the model; undefined: not saved. */
  modelDir: string | undefined;
  search: SavedModelMeta['search'];
  trial: number;
  /** The validation AUC the config had when it was chosen (null when unknown). */
  searchValidAuc: number | null;
  backend?: BackendChoice;
  maxBatchesPerEpoch?: number;
  log?: (line: string) => void;
}

export interface RetrainAndSaveResult {
  trainRows: number;
  test: { auc: number; logloss: number; rows: number };
  memoryBytes: number;
  backend: BackendName;
  /** The engine's test-set logits, in row order. */
  testLogits: Float32Array;
}

export async function retrainAndSave(input: RetrainAndSaveInput): Promise<RetrainAndSaveResult> {
  const { dataset, epochs } = input;
  const { train: trainSplit, valid, test } = dataset.splits;
  const trainRows = valid.end - valid.start + trainSplit.end - trainSplit.start;
  input.log?.(`retraining for ${epochs} epoch(s) on train + valid (${trainRows} rows)`);
  let trained: { weights: ModelWeights; evalLogits: Float32Array } | undefined;
  const result = await train(input.config, dataset, {
    backend: input.backend,
    maxBatchesPerEpoch: input.maxBatchesPerEpoch,
    trainRanges: [trainSplit, valid],
    evalRange: test,
    fixedEpochs: epochs,
    onTrained: (t) => (trained = t),
  });
  const testMetrics = { auc: result.validAuc, logloss: result.validLogloss, rows: test.end - test.start };
  if (input.modelDir !== undefined)
    writeSavedModel(input.modelDir, {
      search: input.search,
      trial: input.trial,
      config: input.config,
      fields: dataset.fields,
      vocab: dataset.fields.map((f) => vocabLines(input.spec, f)),
      weights: trained!.weights,
      metrics: {
        testAuc: testMetrics.auc,
        testLogloss: testMetrics.logloss,
        testRows: testMetrics.rows,
        searchValidAuc: input.searchValidAuc,
      },
      training: { splits: ['train', 'valid'], rows: trainRows, epochs, backend: result.backend },
    });
  return {
    trainRows,
    test: testMetrics,
    memoryBytes: result.inferenceBytes,
    backend: result.backend,
    testLogits: trained!.evalLogits,
  };
}
