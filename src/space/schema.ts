/**
 * The search-space file: what to search (per-field candidate dims and norm budgets), on which data, with which model,
 * rewarded how, and how long. Every object is strict: an unknown key is an error, never silently ignored.
 */
import { z } from 'zod';
import { DataSchema } from './data-schema.js';

const dims = z.array(z.number().int().min(0)).min(1);
const normBudgets = z.array(z.number().min(0)).min(1);
const mletFactors = z.array(z.number().int().min(0)).min(1);
const resClusters = z.array(z.number().int().min(0)).min(1);
const resNormBudgets = z.array(z.number().min(0)).min(1);
const vocabKeep = z.array(z.number().gt(0).max(1)).min(1);
const blocks = z
  .array(z.number().gt(0).max(1))
  .min(2)
  .max(8)
  .refine((f) => Math.abs(f.reduce((a, b) => a + b, 0) - 1) < 1e-6, 'the block fractions must sum to 1, e.g. [0.1, 0.4, 0.5]');

/** Candidate values for one field; anything left out falls back to the `features` defaults. */
const FieldOverrideSchema = z.strictObject({
  dims: dims.optional(),
  normBudgets: normBudgets.optional(),
  maxNorm: z.number().positive().optional(),
  mletFactors: mletFactors.optional(),
  resClusters: resClusters.optional(),
  resNormBudgets: resNormBudgets.optional(),
  vocabKeep: vocabKeep.optional(),
  blocks: blocks.optional(),
  blockDims: dims.optional(),
});

export const FeaturesSchema = z.strictObject({
  /** Candidate embedding sizes for every field (0 = drop the field). */
  dims: dims.default([0, 2, 4, 8, 16]),
  /** Candidate α of the adaptive per-row decay λ = min(1, α·steps since the row's last update); 0 = off. */
  normBudgets: normBudgets.default([0]),
  /** Optional hard cap on every row's L2 norm. */
  maxNorm: z.number().positive().optional(),
  /**
   * Candidate MLET factors (arXiv 2309.15881): factor f > 0 trains the table as A (rows × f·dim) · B (f·dim × dim),
   * collapsed to a plain table for inference; 0 = a plain table. Searched only when more than one is listed.
   */
  mletFactors: mletFactors.default([0]),
  /**
   * Candidate Res-embedding cluster counts: k > 0 reads row v as C[cluster(v)] + R[v] (clusters of the field's values by
   * co-occurrence on the train split), collapsed to a plain table for inference; 0 = off. Searched when more than one.
   */
  resClusters: resClusters.default([0]),
  /** Candidate α of the residual rows' own decay (used when resClusters > 0). Searched when more than one. */
  resNormBudgets: resNormBudgets.default([1e-4]),
  /**
   * Candidate vocabulary cuts: the fraction (0, 1] of each field's kept values, most frequent first, that keep a row of
   * their own; the rest read the OOV row. Searched when more than one is listed.
   */
  vocabKeep: vocabKeep.default([1]),
  /**
   * NIS multi-size embedding: fractions of each field's kept values per block, most frequent first, summing to 1
   * (e.g. [0.1, 0.4, 0.5]). The first block has the field's dim; each later block's dim comes from `blockDims`
   * (at most the field's dim; smaller ones are projected up to it; 0 = those values read the OOV row).
   */
  blocks: blocks.optional(),
  /** Candidate dims of every block after the first (default: `dims`); a decision per block when more than one. */
  blockDims: dims.optional(),
  /** Per-field overrides, keyed by field name. */
  fields: z.record(z.string(), FieldOverrideSchema).default({}),
});

export const ModelSchema = z.strictObject({
  tower: z.array(z.number().int().positive()).default([256, 128]),
  optimizer: z.enum(['adam', 'adagrad']).default('adam'),
  lr: z.number().positive().default(0.001),
  batchSize: z.number().int().positive().default(512),
  epochs: z.number().int().positive().default(1),
  /** Early stop after this many epochs without a better validation AUC. */
  patience: z.number().int().min(1).default(1),
});

export const RewardSchema = z.strictObject({
  /** hinge: AUC − λ·max(0, M/budget − 1) (NIS); linear: AUC − λ·M/budget; budget: −1 over the budget, never trained. */
  form: z.enum(['hinge', 'linear', 'budget']).default('hinge'),
  /** Memory budget of the inference model, in MB (10^6 bytes). */
  budgetMB: z.number().positive(),
  lambda: z.number().min(0).default(0.1),
});

/** Hyper-parameters of the reinforce controller; what each does and why its default: controllers/reinforce-options.ts. */
export const ReinforceSchema = z.strictObject({
  lr: z.number().positive().optional(),
  epochs: z.number().int().min(1).optional(),
  clip: z.number().positive().optional(),
  elite: z.number().positive().max(1).optional(),
  entropyWeight: z.number().min(0).optional(),
  entropyHalfLife: z.number().positive().optional(),
  warmup: z.number().int().min(0).optional(),
  history: z.number().int().min(1).optional(),
  redraws: z.number().int().min(0).optional(),
  winMargin: z.number().min(0).optional(),
  incumbentEvery: z.number().int().min(0).optional(),
  modelEvery: z.number().int().min(0).optional(),
});

/** Optuna's TPESampler knobs; defaults in tpe-options.ts. */
export const TpeSchema = z.strictObject({
  startupTrials: z.number().int().min(0).optional(),
  candidates: z.number().int().positive().optional(),
  priorWeight: z.number().positive().optional(),
});

/** How long a one-shot search trains its supernet and how often it scores; defaults in oneshot/oneshot-options.ts. */
export const OneShotSchema = z.strictObject({
  /** Supernet training in epochs of the train split, warm-up included (so its cost scales with the data, as a trial's). */
  epochs: z.number().positive().optional(),
  warmupEpochs: z.number().min(0).optional(),
  rounds: z.number().int().positive().optional(),
  scoreSamples: z.number().int().min(1).optional(),
  windowRows: z.number().int().positive().optional(),
  rescore: z.number().int().min(0).optional(),
  refine: z.number().int().min(0).optional(),
  trainSampling: z.enum(['uniform', 'policy', 'sandwich']).optional(),
  /** Seconds between two checkpoints of the supernet (a kill loses at most this much of the one-shot phase). */
  checkpointSeconds: z.number().min(0).optional(),
})

export const SearchSchema = z.strictObject({
  /**
   * pertrial: every proposal is a trial trained on its own. oneshot: one weight-sharing supernet is trained while the
   * controller samples configurations (NIS / ENAS), then `finalists` of them are trained on their own as trials.
   */
  mode: z.enum(['pertrial', 'oneshot']).default('pertrial'),
  /** Trials of a one-shot search: the best configurations of its supernet phase trained on their own. Default: 4. */
  finalists: z.number().int().positive().default(4),
  oneshot: OneShotSchema.default({}),
  controller: z.enum(['reinforce', 'random', 'uniform', 'tpe']).default('reinforce'),
  trials: z.number().int().positive().default(50),
  /** Trials trained at once, one per worker thread; default: the number of cores. */
  workers: z.number().int().positive().optional(),
  seed: z.number().int().default(0),
  /**
   * Proposals per controller update. Fixed, not tied to the number of workers, so that the same seed gives the same
   * search with 1 or 2 workers. Default: 4.
   */
  batch: z.number().int().positive().default(4),
  reinforce: ReinforceSchema.default({}),
  tpe: TpeSchema.default({}),
});

/** A search's name, from the space's `name:` or from `--name`: it goes into commands and file names. */
export const SEARCH_NAME = /^[A-Za-z0-9._-]+$/;
export const SEARCH_NAME_RULE = 'letters, digits, ".", "_" and "-" only';

export const SpaceSchema = z.strictObject({
  name: z.string().min(1).regex(SEARCH_NAME, SEARCH_NAME_RULE).optional(),
  data: DataSchema,
  features: FeaturesSchema.prefault({}),
  model: ModelSchema.prefault({}),
  reward: RewardSchema,
  search: SearchSchema.prefault({}),
});

export type Space = z.infer<typeof SpaceSchema>;
export type Features = z.infer<typeof FeaturesSchema>;
export type ModelSpec = z.infer<typeof ModelSchema>;
export type RewardSpec = z.infer<typeof RewardSchema>;
export type SearchSpec = z.infer<typeof SearchSchema>;
