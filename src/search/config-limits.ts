/**
 * The limits of a search, held against one configuration: `embnas train --config` trains a file the user may have
 * edited (a dim of 10⁹), and it must be refused on one line naming the file's key, as a search space with that dim
 * would be, never reach the engine and fail there with a RangeError or an allocation the machine cannot give.
 *
 * 1. Array length (array-limits.ts): a kept field's table — rows × dim, × the technique's row width (MLET's A) — must
 *    be one typed array; a longer one is refused, naming the field and where the file sets its dim.
 * 2. So must the batch input (batchSize × the sum of the kept dims) and the tower's first weight matrix (that sum ×
 *    its first width); a longer one is refused, naming the file.
 * 3. Memory (memory-limit.ts): the bytes to train the config must be within the memory limit; over it, the refusal
 *    names the total, the field that takes the most (where the file sets its dim) and the limit and its source.
 */
import { fieldTrainingBytes } from '../engine/embedding-techniques.js';
import { trainingBytes } from '../engine/memory.js';
import type { TrialConfig } from '../engine/trial-config.js';
import { UsageError } from '../errors.js';
import { listsOfConfig, widestRow } from '../techniques/index.js';
import { MAX_ARRAY_LENGTH, tooLong } from './array-limits.js';
import { gb, MEMORY_LIMIT_ENV, memoryLimit, type MemoryLimit } from './memory-limit.js';

export interface ConfigLimitsContext {
  /** The file, for the refusals about the config as a whole. */
  label: string;
  /** Where a field's dim is set, e.g. `best.yaml:21: features[0].dim`. */
  dimKey(field: string): string;
  limit?: MemoryLimit;
  max?: number;
}

/** Refuses a config that needs an array too long or more memory than the limit (see the header). */
export function checkConfigLimits(config: TrialConfig, rows: readonly number[], at: ConfigLimitsContext): void {
  const max = at.max ?? MAX_ARRAY_LENGTH;
  const n = (x: number) => x.toLocaleString('en-US');
  config.fields.forEach((f, i) => {
    if (f.dim === 0) return;
    const wide = widestRow(listsOfConfig(f));
    const length = rows[i] * f.dim * Math.max(1, wide.factor);
    if (length <= max) return;
    const what = wide.factor > 1 ? wide.what!(f.dim) : `dim ${f.dim}`;
    throw tooLong(at.dimKey(f.name), `${what} for field "${f.name}" (${n(rows[i])} rows)`, length, max);
  });
  const width = config.fields.reduce((sum, f) => sum + f.dim, 0);
  if (config.batchSize * width > max) {
    const what = `dims adding up to ${n(width)} with batchSize ${config.batchSize}`;
    throw tooLong(at.label, what, config.batchSize * width, max);
  }
  const first = config.tower[0] ?? 1;
  if (width * first > max)
    throw tooLong(at.label, `dims adding up to ${n(width)} with a first tower layer of ${first}`, width * first, max);
  const limit = at.limit ?? memoryLimit();
  const total = trainingBytes(config, rows);
  if (total <= limit.bytes) return;
  const each = config.fields.map((f, i) => fieldTrainingBytes(f, rows[i], config.optimizer, config.batchSize));
  const worst = each.indexOf(Math.max(...each));
  const f = config.fields[worst];
  throw new UsageError(
    `${at.dimKey(f.name)}: dim ${f.dim} for field "${f.name}" (${n(rows[worst])} rows) makes this config need ` +
      `${gb(total)} to train (this field ${gb(each[worst])}), over the memory limit of ${gb(limit.bytes)} (${limit.source})`,
    `lower the dim, or raise the limit with ${MEMORY_LIMIT_ENV}=<megabytes>`,
  );
}
