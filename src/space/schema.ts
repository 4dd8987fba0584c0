/**
 * The search-space file: what to search (per-field candidate dims and norm budgets), on which data, with which model,
 * rewarded how, and how long. Every object is strict: an unknown key is an error, never silently ignored.
 */
import { z } from 'zod';
import { CONTROLLER_KINDS, controllerOptionSchemas, DEFAULT_CONTROLLER } from '../controllers/registry.js';
import { featureKeys, overrideKeys } from '../techniques/index.js';
import { DataSchema } from './data-schema.js';

/** Candidate values for one field; anything left out falls back to the `features` defaults. */
const FieldOverrideSchema = z.strictObject(overrideKeys());

/** The candidates of every field, one group of keys per embedding technique (src/techniques/). */
export const FeaturesSchema = z.strictObject({
  ...featureKeys(),
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
});

export const SearchSchema = z.strictObject({
  /**
   * pertrial: every proposal is a trial trained on its own. oneshot: one weight-sharing supernet is trained while the
   * controller samples configurations (NIS / ENAS), then `finalists` of them are trained on their own as trials.
   */
  mode: z.enum(['pertrial', 'oneshot']).default('pertrial'),
  /** Trials of a one-shot search: the best configurations of its supernet phase trained on their own. Default: 4. */
  finalists: z.number().int().positive().default(4),
  oneshot: OneShotSchema.default({}),
  /** The search algorithm: one of the registry's (controllers/registry.ts). */
  controller: z.enum(CONTROLLER_KINDS).default(DEFAULT_CONTROLLER),
  trials: z.number().int().positive().default(50),
  /** Trials trained at once, one per worker thread; default: the number of cores. */
  workers: z.number().int().positive().optional(),
  seed: z.number().int().default(0),
  /**
   * Proposals per controller update. Fixed, not tied to the number of workers, so that the same seed gives the same
   * search with 1 or 2 workers. Default: 4.
   */
  batch: z.number().int().positive().default(4),
  /** `search.<controller>`: the options of each controller that has any (e.g. reinforce, tpe), from the registry. */
  ...withDefaults(controllerOptionSchemas()),
});

function withDefaults<T extends Record<string, z.ZodObject>>(shapes: T): { [K in keyof T]: z.ZodDefault<T[K]> } {
  return Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, s.default({})])) as {
    [K in keyof T]: z.ZodDefault<T[K]>;
  };
}

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
