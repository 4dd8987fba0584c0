/**
 * Reading a configuration for `embnas train`: the YAML or JSON document `embnas export` writes (embnas.trial/1, or a
 * list of them with --pareto) or a hand-written one of the same shape — per feature its name, dim and norm α, the
 * technique keys when present, and optionally `model:` settings. Only the keys that change training are checked
 * strictly; the export's informational keys (search, metrics, rows, kept, …) are accepted and not used.
 */
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { parseYamlText, readUserFile, validateYaml } from '../space/parse-yaml.js';
import { fileKeys, nonNegativeInt } from '../techniques/index.js';

const FeatureSchema = z.strictObject({
  name: z.string().min(1),
  dim: nonNegativeInt('0 drops the field'),
  /** α of the per-row decay; absent = 0 (off). */
  normAlpha: z.number().min(0).default(0),
  maxNorm: z.number().positive().optional(),
  // Each technique's keys (src/techniques/, fileKeys).
  ...fileKeys(),
  /** Written by export from the data the search read; the table sizes always come from the data being trained on. */
  rows: z.number().nullable().optional(),
  kept: z.number().nullable().optional(),
});

/** Model-wide settings; each one given here replaces the space's `model:` value. */
const ModelOverrideSchema = z.strictObject({
  tower: z.array(z.number().int().positive()).optional(),
  optimizer: z.enum(['adam', 'adagrad']).optional(),
  lr: z.number().positive().optional(),
  batchSize: z.number().int().positive().optional(),
  epochs: z.number().int().positive().optional(),
  patience: z.number().int().min(1).optional(),
  seed: z.number().int().optional(),
});

const TrialFileSchema = z.looseObject({
  features: z.array(FeatureSchema).min(1),
  model: ModelOverrideSchema.optional(),
  search: z
    .looseObject({ id: z.number().optional(), name: z.string().optional(), spaceHash: z.string().optional() })
    .optional(),
  trial: z.number().int().optional(),
  metrics: z.looseObject({ validAuc: z.number().nullable().optional() }).optional(),
});

export type TrialFile = z.infer<typeof TrialFileSchema>;
export type TrialFileFeature = z.infer<typeof FeatureSchema>;

export interface ReadTrialFile {
  doc: TrialFile;
  /** The 1-based line of a key path inside the chosen document (for messages), when known. */
  lineOf: (keys: (string | number)[]) => number | undefined;
  /** Key path prefix of the chosen document: [] for a single trial, [index] in a list. */
  prefix: (string | number)[];
}

/** Reads `file`; a list (an `export --pareto` file) needs `index` (0-based) to pick one of its trials. */
export function readTrialFile(file: string, index?: number): ReadTrialFile {
  const text = readUserFile(file, `--config ${file}`, 'pass a file written by `embnas export` (json or yaml)');
  const parsed = parseYamlText(text, file, 'fix the syntax (the file is YAML or JSON)');
  const raw = parsed.raw;
  let prefix: (string | number)[] = [];
  let value: unknown = raw;
  if (Array.isArray(raw)) {
    if (index === undefined) {
      throw new UsageError(
        `${file}: holds a list of ${raw.length} trials (an \`embnas export --pareto\` file)`,
        `pick one with --index N (0 to ${raw.length - 1})`,
      );
    }
    if (index < 0 || index >= raw.length)
      throw new UsageError(`--index ${index}: ${file} holds ${raw.length} trials`, `use 0 to ${raw.length - 1}`);
    prefix = [index];
    value = raw[index];
  } else if (index !== undefined) {
    throw new UsageError(`--index ${index}: ${file} holds one trial, not a list`, 'drop --index');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const at = prefix.length > 0 ? `[${index}]` : '';
    throw new UsageError(
      `${file}${at}: not a trial configuration (expected a mapping with features:)`,
      'pass a file written by `embnas export`, or see docs/export.md for its shape',
    );
  }
  const doc = validateYaml(TrialFileSchema, parsed, file, value, prefix);
  return { doc, lineOf: (keys) => parsed.lineOf([...prefix, ...keys]), prefix };
}
