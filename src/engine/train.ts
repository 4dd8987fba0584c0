/**
 * train(): one trial from config to TrialResult. Seeded shuffled mini-batches over the train split, validation on
 * the valid split after every epoch (exact ROC-AUC and log loss), early stop on validation AUC. The test split is
 * never read here unless a caller asks for it explicitly (the final retrain of an exported trial: `trainRanges`,
 * `evalRange`, `fixedEpochs`). Runs in the calling thread (a piscina worker in a search); the dataset's arrays may
 * be shared.
 */
import type { EncodedDataset, SplitRange } from '../data/encoded-dataset.js';
import { UsageError } from '../errors.js';
import { initBackend, type BackendChoice } from './backend.js';
import { BatchOrder, batchesPerEpoch } from './batches.js';
import { inferenceBytes, trainingBytes } from './memory.js';
import { loglossFromLogits, rocAuc } from './metrics.js';
import { CtrModel, type BatchSource, type ModelWeights } from './model.js';
import { residualClusters } from './res-clusters.js';
import type { EpochMetrics, TrainProgress, TrialConfig, TrialResult } from './trial-config.js';
import { validateConfig, validateDataset, validateRanges } from './validate.js';

export interface TrainOptions {
  /** tfjs backend of the tower; 'auto' (default) takes the best that loads. */
  backend?: BackendChoice;
  /** Cap on batches per epoch, for quick runs. */
  maxBatchesPerEpoch?: number;
  /** Checked between batches; training then stops with an error named 'AbortError'. */
  signal?: AbortSignal;
  /** Row ranges trained on, shuffled together every epoch (default: [splits.train]). */
  trainRanges?: SplitRange[];
  /** Rows evaluated after every epoch; their metrics are the result's validAuc / validLogloss (default: splits.valid). */
  evalRange?: SplitRange;
  /**
   * Train exactly this many epochs, without early stopping (config.epochs and patience are ignored). The result's
   * bestEpoch is then the last epoch: nothing is selected on the evaluation rows.
   */
  fixedEpochs?: number;
  /** Called once after the last epoch, before the model is freed, with copies of its weights. */
  onTrained?: (trained: TrainedModel) => void;
}

export interface TrainedModel {
  /** The weights after the last epoch trained (with early stopping, not necessarily those of bestEpoch). */
  weights: ModelWeights;
  /** Logits of the evaluation rows after the last epoch, in row order. */
  evalLogits: Float32Array;
}

/** Minimum time between two progress callbacks within an epoch (at most ~4 per second). */
export const PROGRESS_INTERVAL_MS = 250;
/** Rows per forward pass during validation (small training batches would make it needlessly slow). */
const PREDICT_BATCH = 4096;
/** How often the loop yields to the event loop, so an abort or a message can arrive mid-epoch. */
const YIELD_INTERVAL_MS = 100;

export class TrainingAbortedError extends Error {
  override readonly name = 'AbortError';
  constructor(readonly reason?: unknown) {
    super('training aborted');
  }
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function diverged(where: string, what: string): UsageError {
  return new UsageError(`training diverged at ${where}: ${what} is not finite`, 'lower lr (or the norm budget α)');
}

export async function train(
  config: TrialConfig,
  dataset: EncodedDataset,
  options: TrainOptions = {},
  onProgress?: (p: TrainProgress) => void,
): Promise<TrialResult> {
  const wallStart = performance.now();
  validateConfig(config, dataset);
  validateDataset(dataset);
  const { signal, fixedEpochs } = options;
  const trainRanges = options.trainRanges ?? [dataset.splits.train];
  const valid = options.evalRange ?? dataset.splits.valid;
  if (options.trainRanges !== undefined || options.evalRange !== undefined) validateRanges(dataset, trainRanges, valid);
  if (fixedEpochs !== undefined && !(Number.isInteger(fixedEpochs) && fixedEpochs > 0)) {
    throw new UsageError(`fixedEpochs is ${fixedEpochs}`, 'use a positive integer');
  }
  if (signal?.aborted) throw new TrainingAbortedError(signal.reason);
  const backend = await initBackend(options.backend ?? 'auto');
  const fieldRows = dataset.fields.map((f) => f.rows);
  const src: BatchSource = { ids: dataset.ids, labels: dataset.labels, numFields: dataset.fields.length };
  const validLabels = dataset.labels.subarray(valid.start, valid.end);
  const trainRows = trainRanges.reduce((n, r) => n + (r.end - r.start), 0);
  const batches = batchesPerEpoch(trainRows, config.batchSize, options.maxBatchesPerEpoch);
  const maxEpochs = fixedEpochs ?? config.epochs;

  // Res-embedding clusters from the rows trained on (the train split in a search), cached per dataset and field.
  const clusters = (field: number, k: number) => residualClusters(dataset, trainRanges, field, k);
  const model = new CtrModel(config, fieldRows, Math.max(config.batchSize, PREDICT_BATCH), clusters);
  try {
    const order = new BatchOrder(trainRanges, config.seed);
    let lastLogits: Float32Array = new Float32Array(0);
    const epochs: EpochMetrics[] = [];
    let bestEpoch = 0;
    let rowsTrained = 0;
    let trainMs = 0;
    let lastProgress = performance.now();
    let lastYield = lastProgress;
    for (let epoch = 1; epoch <= maxEpochs; epoch++) {
      const epochStart = performance.now();
      const rows = order.shuffle();
      let lossSum = 0;
      let epochRows = 0;
      for (let b = 0; b < batches; b++) {
        if (signal?.aborted) throw new TrainingAbortedError(signal.reason);
        const start = b * config.batchSize;
        const count = Math.min(config.batchSize, trainRows - start);
        const t = performance.now();
        const loss = model.trainBatch(src, rows, start, count);
        const now = performance.now();
        trainMs += now - t;
        if (!Number.isFinite(loss)) throw diverged(`epoch ${epoch}, batch ${b + 1}`, 'the training loss');
        lossSum += loss * count;
        epochRows += count;
        rowsTrained += count;
        // The last batch of an epoch always reports, so even an epoch shorter than the interval shows up.
        if (onProgress && (now - lastProgress >= PROGRESS_INTERVAL_MS || b === batches - 1)) {
          lastProgress = now;
          const rowsPerSec = rowsTrained / (trainMs / 1000);
          onProgress({ epoch, epochs: maxEpochs, batch: b + 1, batches, rowsPerSec, loss: lossSum / epochRows });
        }
        if (now - lastYield >= YIELD_INTERVAL_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      const logits = model.predict(src, valid.start, valid.end);
      lastLogits = logits;
      const validAuc = rocAuc(logits, validLabels);
      const validLogloss = loglossFromLogits(logits, validLabels);
      if (!Number.isFinite(validAuc) || !Number.isFinite(validLogloss)) {
        throw diverged(`epoch ${epoch}`, 'the validation prediction');
      }
      const seconds = (performance.now() - epochStart) / 1000;
      epochs.push({ epoch, trainLoss: lossSum / epochRows, validAuc, validLogloss, seconds });
      if (fixedEpochs !== undefined) {
        bestEpoch = epochs.length - 1;
        continue;
      }
      if (validAuc > epochs[bestEpoch].validAuc) bestEpoch = epochs.length - 1;
      // Early stop: `patience` epochs without a better validation AUC (at least one).
      if (epochs.length - 1 - bestEpoch >= Math.max(1, config.patience)) break;
    }
    options.onTrained?.({ weights: model.weights(), evalLogits: lastLogits });
    const best = epochs[bestEpoch];
    return {
      epochs,
      bestEpoch,
      validAuc: best.validAuc,
      validLogloss: best.validLogloss,
      rowsTrained,
      wallSeconds: (performance.now() - wallStart) / 1000,
      rowsPerSec: trainMs > 0 ? rowsTrained / (trainMs / 1000) : 0,
      backend,
      inferenceBytes: inferenceBytes(config, fieldRows),
      trainingBytes: trainingBytes(config, fieldRows),
    };
  } finally {
    model.dispose();
  }
}
