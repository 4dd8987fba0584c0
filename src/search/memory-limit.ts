/**
 * A space whose largest model cannot fit in memory is refused before any trial runs, naming the dims that make it so;
 * without this check every trial fails on its own with a raw allocation error. The largest model puts every field at
 * its largest candidate dim (with its largest MLET factor or Res-embedding cluster count when that takes more), and
 * is measured as it trains — tables, optimizer state, tower, batch buffers (engine/memory.ts) — which is always more
 * than its inference tables.
 *
 * 1. The limit is EMBNAS_MEMORY_LIMIT_MB megabytes when that is set, else half of the machine's memory.
 * 2. A set limit that is not a positive number is refused with one line naming the variable.
 * 3. A space whose largest model needs more than the limit to train is refused with one line naming the dims key of
 *    the field that takes the most (features.fields.<name>.dims when the field has its own, else features.dims),
 *    its dim and row count, the bytes needed and the limit; a space within the limit passes.
 * 4. Workers train at once, each its own model: when that many largest models exceed the limit together, the workers
 *    are capped to as many as fit (at least one, by 3), with a one-line notice naming the field and the limit.
 */
import { totalmem } from 'node:os';
import { fieldTrainingBytes } from '../engine/embedding-techniques.js';
import { largestVariants } from '../techniques/index.js';
import { trainingBytes } from '../engine/memory.js';
import type { FieldConfig, TrialConfig } from '../engine/trial-config.js';
import { UsageError } from '../errors.js';
import type { Space } from '../space/schema.js';
import type { FieldChoices } from '../controllers/controller.js';

export const MEMORY_LIMIT_ENV = 'EMBNAS_MEMORY_LIMIT_MB';

export interface MemoryLimit {
  bytes: number;
  /** Where the limit comes from, for messages. */
  source: string;
}

export function memoryLimit(env: NodeJS.ProcessEnv = process.env, machineBytes = totalmem()): MemoryLimit {
  const raw = env[MEMORY_LIMIT_ENV];
  if (raw === undefined || raw.trim() === '')
    return { bytes: machineBytes / 2, source: "half of this machine's memory" };
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb <= 0) {
    throw new UsageError(
      `${MEMORY_LIMIT_ENV}=${raw}: not a positive number of megabytes`,
      `set it to e.g. ${MEMORY_LIMIT_ENV}=8000, or unset it for half of the machine's memory`,
    );
  }
  return { bytes: mb * 1e6, source: MEMORY_LIMIT_ENV };
}

interface Largest {
  /** Bytes to train the largest model. */
  total: number;
  /** The field that takes the most, its dims key and dim, and what it takes. */
  what: string;
  fieldBytes: number;
  key: string;
}

function largestModel(space: Space, fields: readonly FieldChoices[], rows: readonly number[]): Largest {
  const largest = fields.map((f, i) => largestField(f, rows[i], space));
  const m = space.model;
  const config: TrialConfig = {
    fields: largest,
    tower: [...m.tower],
    optimizer: m.optimizer,
    lr: m.lr,
    batchSize: m.batchSize,
    epochs: m.epochs,
    patience: m.patience,
    seed: 0,
  };
  const perField = largest.map((f, i) => fieldTrainingBytes(f, rows[i], space.model.optimizer, space.model.batchSize));
  const worst = perField.indexOf(Math.max(...perField));
  const f = fields[worst];
  const key = space.features.fields[f.name]?.dims ? `features.fields.${f.name}.dims` : 'features.dims';
  return {
    total: trainingBytes(config, rows),
    what: `dim ${largest[worst].dim} for field "${f.name}" (${rows[worst]} rows)`,
    fieldBytes: perField[worst],
    key,
  };
}

/** Refuses a space whose largest model would need more than `limit` to train (see the header). */
export function checkMemoryLimit(
  space: Space,
  fields: readonly FieldChoices[],
  rows: readonly number[],
  spaceLabel: string,
  limit = memoryLimit(),
): void {
  const l = largestModel(space, fields, rows);
  if (l.total <= limit.bytes) return;
  throw new UsageError(
    `${spaceLabel}: ${l.key}: ${l.what} makes the largest model need ` +
      `${gb(l.total)} to train (this field ${gb(l.fieldBytes)}), over the memory limit of ${gb(limit.bytes)} (${limit.source})`,
    `lower the largest dims in ${l.key}, or raise the limit with ${MEMORY_LIMIT_ENV}=<megabytes>`,
  );
}

/** Caps `workers` to as many largest models as fit in the limit together (see the header, 4). */
export function memoryWorkerCap(
  space: Space,
  fields: readonly FieldChoices[],
  rows: readonly number[],
  workers: number,
  limit = memoryLimit(),
): { workers: number; notice?: string } {
  const l = largestModel(space, fields, rows);
  const fit = Math.max(1, Math.floor(limit.bytes / l.total));
  if (workers <= fit) return { workers };
  return {
    workers: fit,
    notice:
      `workers: capped to ${fit} of ${workers}: ${workers} trials of the largest model at once (${l.key}: ${l.what}, ${gb(l.total)} each to train) ` +
      `would need ${gb(l.total * workers)}, over the memory limit of ${gb(limit.bytes)} (${limit.source}); raise it with ${MEMORY_LIMIT_ENV}=<megabytes> or lower the largest dims`,
  };
}

/** A field at its largest dim, as the candidate technique that takes the most memory to train. */
function largestField(f: FieldChoices, rows: number, space: Space): FieldConfig {
  const plain: FieldConfig = { name: f.name, dim: Math.max(...f.dims), normAlpha: 0 };
  // The plain table, then each technique's largest setting among the field's candidates (src/techniques/).
  const variants: FieldConfig[] = [plain, ...largestVariants(f).map((v) => ({ ...plain, ...v }))];
  const bytes = variants.map((v) => fieldTrainingBytes(v, rows, space.model.optimizer, space.model.batchSize));
  return variants[bytes.indexOf(Math.max(...bytes))];
}

/** Bytes as the limits' refusals say them: MB, GB or TB with one decimal. */
export function gb(bytes: number): string {
  if (bytes >= 1e12) return `${(bytes / 1e12).toFixed(1)} TB`;
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
