/**
 * Memory footprint of a trial, computed from the config alone so the search can reject over-budget candidates
 * before training them.
 */
import { optimizerSlots } from './sparse-optimizers.js';
import { towerParamCount } from './tower.js';
import type { TrialConfig } from './trial-config.js';

const FLOAT_BYTES = 4;

function embeddingParams(config: TrialConfig, fieldRows: readonly number[]): number {
  if (fieldRows.length !== config.fields.length) {
    throw new Error(`${config.fields.length} fields in the config but ${fieldRows.length} row counts`);
  }
  return config.fields.reduce((sum, f, i) => sum + fieldRows[i] * f.dim, 0);
}

function inputWidth(config: TrialConfig): number {
  return config.fields.reduce((sum, f) => sum + f.dim, 0);
}

/** Bytes of the inference model: Σ rows_f·dim_f·4 + tower parameters·4 (a lone bias when every field is dropped). */
export function inferenceBytes(config: TrialConfig, fieldRows: readonly number[]): number {
  const params = embeddingParams(config, fieldRows) + towerParamCount(inputWidth(config), config.tower);
  return params * FLOAT_BYTES;
}

/**
 * Bytes while training: the inference model, the optimizer state of every parameter (Adam 2 floats, Adagrad 1),
 * per-row bookkeeping of kept fields (batch-deduplication slot, last-update step when the norm decay is on) and the
 * batch buffers. tfjs's transient activations are not counted.
 */
export function trainingBytes(config: TrialConfig, fieldRows: readonly number[]): number {
  const width = inputWidth(config);
  const params = embeddingParams(config, fieldRows) + towerParamCount(width, config.tower);
  let bookkeeping = 0;
  let kept = 0;
  config.fields.forEach((f, i) => {
    if (f.dim === 0) return;
    kept++;
    bookkeeping += fieldRows[i] * 4 * (f.normAlpha > 0 ? 2 : 1);
    // unique ids + their summed gradients for one batch
    bookkeeping += Math.min(config.batchSize, fieldRows[i]) * (1 + f.dim) * 4;
  });
  const batchBuffers = config.batchSize * (width + 1 + kept) * 4;
  return params * FLOAT_BYTES * (1 + optimizerSlots(config.optimizer)) + bookkeeping + batchBuffers;
}
