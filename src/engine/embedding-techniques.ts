/**
 * The engine's half of each embedding technique: when a field's config asks for it, how to build it, and what it
 * holds while training (from the config alone, for the memory check before any trial). The first entry whose
 * `applies` holds wins, so the order is the precedence: multi-size blocks, then Res-embedding, then MLET, then a
 * plain table. A new technique is its FieldEmbedding implementation plus one entry here.
 */
import type { PRNG } from 'seedrandom';
import { isMultiSize } from './block-layout.js';
import type { ClusterSource, EmbeddingSettings, FieldEmbedding } from './field-embedding.js';
import { MletEmbedding, mletTrainingBytes } from './mlet-embedding.js';
import { MultiSizeEmbedding, multiSizeTrainingBytes } from './multi-size-embedding.js';
import { PlainEmbedding, plainTrainingBytes } from './plain-embedding.js';
import { ResEmbedding, resTrainingBytes } from './res-embedding.js';
import type { FieldConfig, OptimizerName } from './trial-config.js';

export interface EmbeddingTechnique {
  readonly kind: FieldEmbedding['kind'];
  /** Whether a kept field's config asks for this technique. */
  applies(field: FieldConfig): boolean;
  create(
    field: FieldConfig,
    rows: number,
    settings: EmbeddingSettings,
    rng: PRNG,
    clusters?: ClusterSource,
  ): FieldEmbedding;
  /** `trainingBytes` of what `create` would build, with nothing allocated. */
  trainingBytes(field: FieldConfig, rows: number, optimizer: OptimizerName, maxBatch: number): number;
}

export const EMBEDDING_TECHNIQUES: readonly EmbeddingTechnique[] = [
  {
    kind: 'blocks',
    applies: isMultiSize,
    create: (f, r, s, rng) => new MultiSizeEmbedding(f, r, s, rng),
    trainingBytes: multiSizeTrainingBytes,
  },
  {
    kind: 'res',
    applies: (f) => (f.resClusters ?? 0) > 0,
    create: (f, r, s, rng, clusters) => {
      if (!clusters) throw new Error(`field ${f.name} uses Res-embedding but no cluster source was given`);
      return new ResEmbedding(f, r, s, rng, clusters(f.resClusters!));
    },
    trainingBytes: resTrainingBytes,
  },
  {
    kind: 'mlet',
    applies: (f) => (f.mletFactor ?? 0) > 0,
    create: (f, r, s, rng) => new MletEmbedding(f, r, s, rng),
    trainingBytes: mletTrainingBytes,
  },
  {
    kind: 'plain',
    applies: () => true,
    create: (f, r, s, rng) => new PlainEmbedding(f, r, s, rng),
    trainingBytes: plainTrainingBytes,
  },
];

/** The technique a kept field's config asks for (the plain table when nothing else applies). */
export function techniqueOf(field: FieldConfig): EmbeddingTechnique {
  return EMBEDDING_TECHNIQUES.find((t) => t.applies(field))!;
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
