/**
 * Picks the engine half (technique-engines.ts) of the technique a field's config asks for: the last registered
 * technique the config turns on (src/techniques/, techniqueFor), so the precedence is multi-size blocks, then
 * Res-embedding, then MLET, then a plain table (a config turning on two is refused by validate.ts anyway).
 */
import type { PRNG } from 'seedrandom';
import { techniqueFor } from '../techniques/index.js';
import type { ClusterSource, EmbeddingSettings, FieldEmbedding } from './field-embedding.js';
import { TECHNIQUE_ENGINES, type TechniqueEngine } from './technique-engines.js';
import type { FieldConfig, OptimizerName } from './trial-config.js';

/** The engine half of the technique a field's config asks for (the plain table when nothing else applies). */
export function techniqueOf(field: FieldConfig): TechniqueEngine {
  const engine = TECHNIQUE_ENGINES[techniqueFor(field)];
  if (engine === undefined) throw new Error(`technique ${techniqueFor(field)} has no engine half`);
  return engine;
}

/** The implementation a field's config asks for; Res-embedding takes its clusters from `clusters`. */
export function createFieldEmbedding(
  field: FieldConfig,
  rows: number,
  settings: EmbeddingSettings,
  rng: PRNG,
  clusters?: ClusterSource,
): FieldEmbedding {
  return techniqueOf(field).create(field, rows, settings, rng, clusters);
}

/** `trainingBytes` of the field's embedding, from the config alone (nothing allocated). 0 for a dropped field. */
export function fieldTrainingBytes(
  field: FieldConfig,
  rows: number,
  optimizer: OptimizerName,
  maxBatch: number,
): number {
  return field.dim === 0 ? 0 : techniqueOf(field).trainingBytes(field, rows, optimizer, maxBatch);
}

/** Parameters of a field's inference rows: rows × dim, or what its technique serves with instead. 0 when dropped. */
export function fieldInferenceParams(field: FieldConfig, rows: number): number {
  return techniqueOf(field).inferenceParams?.(field, rows) ?? rows * field.dim;
}
