/** Vocabulary lines of the saved model: the readers' compact keys turned back into what the data file holds. */
import { describe, expect, it } from 'vitest';
import type { EncodedField } from '../../src/data/encoded-dataset.js';
import { hexKey } from '../../src/data/readers/buckets.js';
import { criteoHexOf, vocabLines } from '../../src/export/retrain.js';
import type { DataSpec } from '../../src/space/data-schema.js';

const field = (name: string, values: string[]): EncodedField => ({
  name,
  rows: values.length + 2,
  kept: values.length,
  oovId: values.length,
  missingId: values.length + 1,
  keyDigest: 'fixture',
  counts: new Int32Array(values.length + 2),
  distinct: values.length,
  values,
});

describe('vocabulary lines', () => {
  it('turns Criteo hex keys back into the ids of the file (lowercase, leading zeros kept)', () => {
    for (const id of [
      '68fd1e64',
      'FFFFFFFF',
      '80000000',
      '00000000',
      '0a',
      'a',
      '0',
      'abc',
      '7fffffff1',
      '0000000000001',
      'fffffffffffff',
    ]) {
      expect(criteoHexOf(String(hexKey(id)))).toBe(id.toLowerCase());
    }
  });

  it('marks bucketized numeric columns and leaves other values as they are', () => {
    const criteo = { format: 'criteo' } as DataSpec;
    expect(vocabLines(criteo, field('I3', ['0', '2', '-1']))).toEqual({
      values: ['0', '2', '-1'],
      kind: 'log2-bucket',
    });
    expect(vocabLines(criteo, field('C1', [String(hexKey('05db9164'))]))).toEqual({
      values: ['05db9164'],
      kind: 'value',
    });
    const csv = { format: 'csv', numeric: ['age'] } as DataSpec;
    expect(vocabLines(csv, field('age', ['5'])).kind).toBe('log2-bucket');
    expect(vocabLines(csv, field('city', ['Paris']))).toEqual({ values: ['Paris'], kind: 'value' });
  });
});
