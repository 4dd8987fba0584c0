/**
 * The engine's half of each embedding technique (src/techniques/ declares the rest): how to build a field's
 * FieldEmbedding when its config asks for the technique, what it holds while training and, when its inference rows
 * are not a plain rows × dim table, how many parameters they have — all from the config alone, for the memory check
 * before any trial. One entry per registered technique, by name: the compiler asks for a new technique's.
 */
import type { PRNG } from 'seedrandom';
import type { TechniqueName } from '../techniques/index.js';
import { blockParams } from './block-layout.js';
import type { ClusterSource, EmbeddingSettings, FieldEmbedding } from './field-embedding.js';
import { MletEmbedding, mletTrainingBytes } from './mlet-embedding.js';
import { MultiSizeEmbedding, multiSizeTrainingBytes } from './multi-size-embedding.js';
import { PlainEmbedding, plainTrainingBytes } from './plain-embedding.js';
import { ResEmbedding, resTrainingBytes } from './res-embedding.js';
import type { FieldConfig, OptimizerName } from './trial-config.js';

export interface TechniqueEngine {
  create(
    field: FieldConfig,
    rows: number,
    settings: EmbeddingSettings,
    rng: PRNG,
    clusters?: ClusterSource,
  ): FieldEmbedding;
  /** `trainingBytes` of what `create` would build, with nothing allocated. */
  trainingBytes(field: FieldConfig, rows: number, optimizer: OptimizerName, maxBatch: number): number;
  /** Parameters of a kept field's inference rows when they are not rows × dim (none: a plain collapsed table). */
  inferenceParams?(field: FieldConfig, rows: number): number;
}

export const TECHNIQUE_ENGINES: { readonly [N in TechniqueName]: TechniqueEngine } = {
  plain: {
    create: (f, r, s, rng) => new PlainEmbedding(f, r, s, rng),
    trainingBytes: plainTrainingBytes,
  },
  mlet: {
    create: (f, r, s, rng) => new MletEmbedding(f, r, s, rng),
    trainingBytes: mletTrainingBytes,
  },
  res: {
    create: (f, r, s, rng, clusters) => {
      if (!clusters) throw new Error(`field ${f.name} uses Res-embedding but no cluster source was given`);
      return new ResEmbedding(f, r, s, rng, clusters(f.resClusters!));
    },
    trainingBytes: resTrainingBytes,
  },
  // Served as its blocks' rows × dims and their projections (block-layout.ts).
  'multi-size': {
    create: (f, r, s, rng) => new MultiSizeEmbedding(f, r, s, rng),
    trainingBytes: multiSizeTrainingBytes,
    inferenceParams: blockParams,
  },
};
