/**
 * The limits of a search, promise by promise: the worker cap (src/search/worker-count.ts), the memory limit of
 * the largest model and of the workers together (src/search/memory-limit.ts), and the length of one array
 * (src/search/array-limits.ts).
 */
import { describe, expect, it } from 'vitest';
import { isUsageError } from '../../src/errors.js';
import { parseSpace } from '../../src/space/load-space.js';
import type { FieldChoices } from '../../src/controllers/controller.js';
import { checkRowLimits, checkSpaceLimits } from '../../src/search/array-limits.js';
import { checkMemoryLimit, memoryLimit, memoryWorkerCap } from '../../src/search/memory-limit.js';
import { workerCount } from '../../src/search/worker-count.js';

describe('workerCount', () => {
  it('1. takes the flag, else search.workers, else the cores, without a notice when within the caps', () => {
    expect(workerCount({ flag: 3, space: 2, trials: 12, cores: 2 })).toEqual({ workers: 3 });
    expect(workerCount({ space: 2, trials: 12, cores: 8 })).toEqual({ workers: 2 });
    expect(workerCount({ trials: 12, cores: 4 })).toEqual({ workers: 4 });
  });
  it('2. caps to the trial budget', () => {
    expect(workerCount({ flag: 200, trials: 2, cores: 64 })).toEqual({
      workers: 2,
      notice:
        '--workers 200: capped to 2 workers, the trial budget of the search: more threads would have no trial to train',
    });
  });
  it('3. caps to 4 × the cores', () => {
    expect(workerCount({ space: 100, trials: 1000, cores: 2 })).toEqual({
      workers: 8,
      notice: 'search.workers 100: capped to 8 workers, 4 × 2 cores: more threads would only wait for the cores',
    });
  });
  it('4. the smaller cap wins and is named', () => {
    expect(workerCount({ flag: 100000, trials: 12, cores: 2 }).notice).toMatch(/capped to 8 workers, 4 × 2 cores/);
    expect(workerCount({ flag: 100000, trials: 5, cores: 2 }).notice).toMatch(/capped to 5 workers, the trial budget/);
  });
});

function space(
  features: string,
  model = 'model: { tower: [16], optimizer: adam }',
): ReturnType<typeof parseSpace>['space'] {
  return parseSpace(
    `name: t\ndata: { format: synthetic }\nfeatures: ${features}\n${model}\nreward: { budgetMB: 1 }\n`,
    't.yaml',
  ).space;
}

function fields(s: ReturnType<typeof space>, names: string[]): FieldChoices[] {
  return names.map((name) => ({
    name,
    dims: s.features.fields[name]?.dims ?? s.features.dims,
    normBudgets: [0],
    mletFactors: [0],
    resClusters: [0],
  }));
}

function refusal(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    expect(isUsageError(e), String(e)).toBe(true);
    return (e as Error & { toLine(): string }).toLine();
  }
  throw new Error('not refused');
}

describe('memory limit', () => {
  it('1. is EMBNAS_MEMORY_LIMIT_MB when set, else half the machine', () => {
    expect(memoryLimit({}, 16e9)).toEqual({ bytes: 8e9, source: "half of this machine's memory" });
    expect(memoryLimit({ EMBNAS_MEMORY_LIMIT_MB: '500' }, 16e9)).toEqual({
      bytes: 500e6,
      source: 'EMBNAS_MEMORY_LIMIT_MB',
    });
  });
  it('2. refuses a limit that is not a positive number, naming the variable', () => {
    expect(refusal(() => memoryLimit({ EMBNAS_MEMORY_LIMIT_MB: 'lots' }))).toMatch(
      /^EMBNAS_MEMORY_LIMIT_MB=lots: not a positive number of megabytes — set it to/,
    );
  });
  it('3. refuses a largest model over the limit, naming the field and its dims key; passes one within', () => {
    const limit = { bytes: 8e9, source: "half of this machine's memory" };
    const huge = space('{ dims: [0, 1000000000] }');
    expect(refusal(() => checkMemoryLimit(huge, fields(huge, ['user', 'item']), [5000, 10], 't.yaml', limit))).toBe(
      't.yaml: features.dims: dim 1000000000 for field "user" (5000 rows) makes the largest model need 66.7 TB to train (this field 62.0 TB), ' +
        "over the memory limit of 8.0 GB (half of this machine's memory) — lower the largest dims in features.dims, or raise the limit with EMBNAS_MEMORY_LIMIT_MB=<megabytes>",
    );
    const own = space('{ dims: [4], fields: { item: { dims: [0, 100000] } } }');
    expect(refusal(() => checkMemoryLimit(own, fields(own, ['user', 'item']), [10, 100000], 't.yaml', limit))).toMatch(
      /^t\.yaml: features\.fields\.item\.dims: dim 100000 for field "item" \(100000 rows\)/,
    );
    expect(() => checkMemoryLimit(own, fields(own, ['user', 'item']), [10, 1000], 't.yaml', limit)).not.toThrow();
  });
});

describe('memory limit × workers', () => {
  const limit = { bytes: 1e9, source: 'EMBNAS_MEMORY_LIMIT_MB' };
  const s = space('{ dims: [0, 64], fields: { item: { dims: [0, 256] } } }');
  const f = fields(s, ['user', 'item']);
  it('4. caps the workers to as many largest models as fit together, naming the field and the limit', () => {
    const one = memoryWorkerCap(s, f, [1000, 200_000], 1, limit);
    expect(one).toEqual({ workers: 1 });
    const r = memoryWorkerCap(s, f, [1000, 200_000], 8, limit);
    expect(r.workers).toBeGreaterThanOrEqual(1);
    expect(r.workers).toBeLessThan(8);
    expect(r.notice).toMatch(
      new RegExp(
        `^workers: capped to ${r.workers} of 8: 8 trials of the largest model at once \\(features\\.fields\\.item\\.dims: dim 256 for field "item" \\(200000 rows\\), [\\d.]+ MB each to train\\) would need [\\d.]+ GB, over the memory limit of 1\\.0 GB \\(EMBNAS_MEMORY_LIMIT_MB\\)`,
      ),
    );
    // As many as fit: one more would not.
    expect(memoryWorkerCap(s, f, [1000, 200_000], r.workers, limit)).toEqual({ workers: r.workers });
    expect(memoryWorkerCap(s, f, [1000, 200_000], r.workers + 1, limit).workers).toBe(r.workers);
  });
});

describe('array length limit', () => {
  it('1. refuses, from the space alone, a dim whose batch buffer or first layer cannot be one array', () => {
    const huge = space('{ dims: [0, 1000000000] }');
    // Node 20's limit (2³²) given explicitly: from Node 22 on MAX_ARRAY_LENGTH is 2⁵³ − 1, which memory meets first.
    expect(refusal(() => checkSpaceLimits(huge, 't.yaml', 2 ** 32))).toBe(
      `t.yaml: features.dims: dim 1000000000 with model.batchSize 512 needs one array of 512,000,000,000 numbers, over the 4,294,967,296 a JavaScript typed array can hold — lower it: no setting raises this limit`,
    );
    const wide = space(
      '{ dims: [4], fields: { item: { dims: [0, 1000000] } } }',
      'model: { tower: [5000], batchSize: 1 }',
    );
    expect(refusal(() => checkSpaceLimits(wide, 't.yaml', 2 ** 32))).toMatch(
      /^t\.yaml: features\.fields\.item\.dims: dim 1000000 with a first tower layer of 5000 needs one array of 5,000,000,000 numbers/,
    );
    expect(() => checkSpaceLimits(space('{ dims: [0, 64] }'), 't.yaml')).not.toThrow();
  });
  it('2. refuses, with the row counts, a table that cannot be one array, naming the field', () => {
    const s = space('{ dims: [0, 64] }');
    expect(refusal(() => checkRowLimits(s, fields(s, ['user', 'item']), [10, 100_000_000], 't.yaml', 2 ** 32))).toMatch(
      /^t\.yaml: features\.dims: dim 64 for field "item" \(100,000,000 rows\) needs one array of 6,400,000,000 numbers/,
    );
    const mlet = space('{ dims: [0, 8], mletFactors: [0, 16] }');
    const withMlet = fields(mlet, ['user']).map((x) => ({ ...x, mletFactors: [0, 16] }));
    expect(refusal(() => checkRowLimits(mlet, withMlet, [40_000_000], 't.yaml', 2 ** 32))).toMatch(
      /^t\.yaml: features\.mletFactors: MLET factor 16 at dim 8 for field "user" \(40,000,000 rows\) needs one array of 5,120,000,000 numbers/,
    );
    expect(() => checkRowLimits(mlet, withMlet, [20_000_000], 't.yaml', 2 ** 32)).not.toThrow();
    expect(() => checkRowLimits(s, fields(s, ['user', 'item']), [10, 1_000_000], 't.yaml', 2 ** 32)).not.toThrow();
  });
});
