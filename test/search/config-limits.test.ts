/**
 * The limits of a search held against one configuration (src/search/config-limits.ts), promise by promise: the
 * length of one array (a table, the batch input, the first weight matrix) and the memory limit, each refusal naming
 * the key of the file. Node 20's array limit (2³²) is given explicitly, as is the memory limit.
 */
import { describe, expect, it } from 'vitest';
import type { FieldConfig, TrialConfig } from '../../src/engine/trial-config.js';
import { checkConfigLimits } from '../../src/search/config-limits.js';
import { thrownUsageError } from '../usage-error.js';

const LIMIT = { bytes: 8e9, source: "half of this machine's memory" };

function config(fields: Partial<FieldConfig>[], tower = [16], batchSize = 512): TrialConfig {
  return {
    fields: fields.map((f, i) => ({ name: `f${i}`, dim: 4, normAlpha: 0, ...f })),
    tower,
    optimizer: 'adam',
    lr: 0.01,
    batchSize,
    epochs: 1,
    patience: 1,
    seed: 0,
  };
}

const at = { label: 'c.yaml', dimKey: (name: string) => `c.yaml:3: features[${name.slice(1)}].dim`, max: 2 ** 32 };

function refusal(c: TrialConfig, rows: number[], limit = LIMIT): string {
  return thrownUsageError(() => checkConfigLimits(c, rows, { ...at, limit })).toLine();
}

describe('config limits', () => {
  it('1. refuse a table too long for one array, naming the field and its key in the file', () => {
    expect(refusal(config([{}, { dim: 1_000_000_000 }]), [10, 834])).toBe(
      'c.yaml:3: features[1].dim: dim 1000000000 for field "f1" (834 rows) needs one array of 834,000,000,000 numbers, ' +
        'over the 4,294,967,296 a JavaScript typed array can hold — lower it: no setting raises this limit',
    );
    // MLET's A is factor × dim wide.
    expect(refusal(config([{ dim: 8, mletFactor: 16 }]), [40_000_000])).toMatch(
      /^c\.yaml:3: features\[0\]\.dim: MLET factor 16 at dim 8 for field "f0" \(40,000,000 rows\) needs one array of 5,120,000,000/,
    );
  });

  it('2. refuse a batch input or a first weight matrix too long for one array, naming the file', () => {
    expect(refusal(config([{ dim: 5_000_000 }, { dim: 5_000_000 }], [], 512), [1, 1])).toMatch(
      /^c\.yaml: dims adding up to 10,000,000 with batchSize 512 needs one array of 5,120,000,000 numbers/,
    );
    expect(refusal(config([{ dim: 1_000_000 }], [5000], 1), [1])).toMatch(
      /^c\.yaml: dims adding up to 1,000,000 with a first tower layer of 5000 needs one array of 5,000,000,000 numbers/,
    );
  });

  it('3. refuse a config over the memory limit, naming the field that takes the most and the limit', () => {
    const limit = { bytes: 1e9, source: 'EMBNAS_MEMORY_LIMIT_MB' };
    expect(refusal(config([{ dim: 4 }, { dim: 1000 }]), [100, 1_000_000], limit)).toMatch(
      /^c\.yaml:3: features\[1\]\.dim: dim 1000 for field "f1" \(1,000,000 rows\) makes this config need [\d.]+ GB to train \(this field [\d.]+ GB\), over the memory limit of 1\.0 GB \(EMBNAS_MEMORY_LIMIT_MB\) — lower the dim, or raise the limit with EMBNAS_MEMORY_LIMIT_MB=<megabytes>$/,
    );
  });

  it('pass a config within every limit, dropped fields included', () => {
    expect(() =>
      checkConfigLimits(config([{ dim: 0 }, { dim: 64 }]), [10, 100_000], { ...at, limit: LIMIT }),
    ).not.toThrow();
  });
});
