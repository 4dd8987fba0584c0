/**
 * Memory footprint of a trial, computed from the config alone so the search can reject over-budget candidates
 * before training them.
 */
import { fieldInferenceParams, fieldTrainingBytes } from './embedding-techniques.js';
import { optimizerSlots } from './sparse-optimizers.js';
import { towerParamCount } from './tower.js';
import type { TrialConfig } from './trial-config.js';

const FLOAT_BYTES = 4;

function embeddingParams(config: TrialConfig, fieldRows: readonly number[]): number {
  if (fieldRows.length !== config.fields.length) {
    throw new Error(`${config.fields.length} fields in the config but ${fieldRows.length} row counts`);
  }
  return config.fields.reduce((sum, f, i) => sum + fieldInferenceParams(f, fieldRows[i]), 0);
}

function inputWidth(config: TrialConfig): number {
  return config.fields.reduce((sum, f) => sum + f.dim, 0);
}

/**
 * Bytes of the inference model: Σ rows_f·dim_f·4 + tower parameters·4 (a lone bias when every field is dropped).
 * The same for a field trained as MLET factors or Res-embedding: inference uses the collapsed rows × dim table. A
 * technique that serves with other rows counts them instead (technique-engines.ts, `inferenceParams`: a multi-size
 * field's blocks' rows × dims and their projections, block-layout.ts).
 */
export function inferenceBytes(config: TrialConfig, fieldRows: readonly number[]): number {
  const params = embeddingParams(config, fieldRows) + towerParamCount(inputWidth(config), config.tower);
  return params * FLOAT_BYTES;
}

/**
 * Bytes while training: the tower with its optimizer state (Adam 2 floats per parameter, Adagrad 1), each kept field's
 * embedding as it is trained (field-embedding.ts: a plain table, MLET's A and B or Res-embedding's C and R, their
 * optimizer state, per-row bookkeeping, batch scratch) and the batch buffers. tfjs's transient activations are not counted.
 */
export function trainingBytes(config: TrialConfig, fieldRows: readonly number[]): number {
  const width = inputWidth(config);
  embeddingParams(config, fieldRows); // checks the row counts
  const tower = towerParamCount(width, config.tower) * FLOAT_BYTES * (1 + optimizerSlots(config.optimizer));
  let embeddings = 0;
  let kept = 0;
  config.fields.forEach((f, i) => {
    if (f.dim === 0) return;
    kept++;
    embeddings += fieldTrainingBytes(f, fieldRows[i], config.optimizer, config.batchSize);
  });
  const batchBuffers = config.batchSize * (width + 1 + kept) * 4;
  return tower + embeddings + batchBuffers;
}
