/**
 * The `data:` section of a search-space file: where the rows come from and how they become categorical ids.
 * Unknown keys are errors (strict objects): a typo must never be silently ignored.
 */
import { z } from 'zod';

export const DATA_FORMATS = ['criteo', 'avazu', 'libfm', 'movielens', 'csv', 'synthetic'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

export const SplitSchema = z.strictObject({
  /** Fraction of rows for validation (the search's only quality signal). */
  valid: z.number().gt(0).lt(1).default(0.1),
  /** Fraction of rows held out for the final test AUC of exported configurations. */
  test: z.number().min(0).lt(1).default(0.1),
  /** Seed of the random split. */
  seed: z.number().int().default(0),
  /**
   * Split by order instead of at random: `file` keeps the file's row order (the last rows become valid, then test),
   * which is what time-ordered click logs (Criteo, Avazu) want.
   */
  by: z.enum(['random', 'file']).default('random'),
});

/** A file or a list of files, read in order. */
const FilesSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/**
 * `data.path` by role: which files are training, validation and test rows (each a file or a list). The split then
 * comes from the files, not from fractions, so `data.split` must not be given with it. `test` may be left out.
 */
export const RolePathsSchema = z.strictObject({ train: FilesSchema, valid: FilesSchema, test: FilesSchema.optional() });
export type RolePaths = z.infer<typeof RolePathsSchema>;

export const SyntheticSchema = z.strictObject({
  /** Total rows generated (before the split). */
  rows: z.number().int().positive().default(50_000),
  /** Generator seed; the same seed always gives the same rows and the same ground truth. */
  seed: z.number().int().default(1),
  /** Informative fields: values carry latent vectors of rank `dim` (the "true" embedding size). */
  informative: z
    .array(z.strictObject({ name: z.string().min(1), vocab: z.number().int().min(2), dim: z.number().int().min(1) }))
    .default([
      { name: 'user', vocab: 2000, dim: 8 },
      { name: 'item', vocab: 1000, dim: 8 },
      { name: 'category', vocab: 50, dim: 4 },
      { name: 'hour', vocab: 24, dim: 2 },
    ]),
  /** Pure-noise fields: values independent of the label. */
  noise: z.array(z.strictObject({ name: z.string().min(1), vocab: z.number().int().min(2) })).default([
    { name: 'noise_a', vocab: 500 },
    { name: 'noise_b', vocab: 20 },
  ]),
  /** Pairs of informative fields whose latent vectors interact (dot product) in the label's logit. */
  interactions: z.array(z.tuple([z.string(), z.string()])).default([['user', 'item']]),
  /**
   * Weight of each interaction term against a main effect (each has unit variance before weighting). Only interactions
   * need more than one dimension of a field, so a larger weight makes the true dims of interacting fields matter more.
   */
  interactionWeight: z.number().min(0).default(1),
  /** Zipf exponent of the id distribution (1.0–1.2 looks like real click logs). */
  zipf: z.number().min(0).default(1.1),
  /** Share of missing cells per field. */
  missingRate: z.number().min(0).lt(1).default(0.01),
});

export const DataSchema = z.strictObject({
  format: z.enum(DATA_FORMATS),
  /**
   * Input file(s), or the MovieLens folder. Relative paths are resolved against the folder of the space file.
   * Several files are read in order as one dataset (frappe ships as two libFM files), split by `data.split`; or
   * `{ train, valid, test }` names each file's role (RolePathsSchema). Not used by `synthetic`.
   */
  path: z.union([FilesSchema, RolePathsSchema]).optional(),
  /**
   * Field names. libfm: one per position on a line, in order (required). csv: the categorical columns to use
   * (default: every column that is not the label or numeric). criteo / avazu / movielens: the subset to keep
   * (default: all of the format's fields).
   */
  fields: z.array(z.string().min(1)).min(1).optional(),
  /** csv: the label column's name. */
  label: z.string().min(1).optional(),
  /** csv: label values that mean 1 (default ["1"]); every other non-empty value means 0. */
  positive: z.array(z.string()).min(1).optional(),
  /** csv: numeric columns, bucketized as ⌊log2(x+1)⌋ (negatives and missing get buckets of their own). */
  numeric: z.array(z.string().min(1)).optional(),
  /** csv: column names when the file has no header row. */
  columns: z.array(z.string().min(1)).min(1).optional(),
  /** csv: the separator (default ","). Spaces after it are trimmed. */
  delimiter: z.string().min(1).optional(),
  /** csv: cell values that mean "missing" besides the empty cell (e.g. ["?"]). */
  missing: z.array(z.string()).optional(),
  // --- reader options: avazu `header`, csv `derive` (kept together) ---
  /** avazu: false when the files have no header row; their columns are then Avazu's standard 24, in order. */
  header: z.boolean().optional(),
  /**
   * csv: categorical fields derived from a timestamp column (ISO 8601, UTC unless it carries an offset), e.g.
   * `{ click_time: [hour, weekday] }` adds the fields `click_time_hour` (0–23) and `click_time_weekday` (0 = Sunday).
   */
  derive: z.record(z.string().min(1), z.array(z.enum(['hour', 'weekday'])).min(1)).optional(),
  // --- end of reader options ---
  /** Values seen fewer times than this share one OOV row. */
  minCount: z.number().int().min(1).default(1),
  split: SplitSchema.prefault({}),
  /** What to do with a malformed row: stop with its file and line (default), or skip it and report the count. */
  onBadRow: z.enum(['error', 'skip']).default('error'),
  /** Options of the `synthetic` format. */
  synthetic: SyntheticSchema.optional(),
  /**
   * Keep a binary cache of the encoded dataset in `.embnas-cache/` under the working folder (or $EMBNAS_CACHE_DIR),
   * keyed by the input files and these settings, so the next search on the same data does not parse again.
   */
  cache: z.boolean().default(true),
});

export type DataSpec = z.infer<typeof DataSchema>;
export type SyntheticSpec = z.infer<typeof SyntheticSchema>;
