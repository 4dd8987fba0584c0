import { describe, expect, it } from 'vitest';
import { NEGATIVE_BUCKET, hexKey, log2Bucket } from '../../../src/data/readers/buckets.js';

describe('log2Bucket', () => {
  it('is ⌊log2(x+1)⌋ for non-negative values', () => {
    const cases: Array<[number, number]> = [
      [0, 0],
      [1, 1],
      [2, 1],
      [3, 2],
      [6, 2],
      [7, 3],
      [14, 3],
      [15, 4],
      [1023, 10],
      [2.5, 1],
    ];
    for (const [x, bucket] of cases) expect(log2Bucket(x)).toBe(bucket);
  });

  it('is exact beyond 32 bits', () => {
    expect(log2Bucket(2 ** 40 - 1)).toBe(40);
    expect(log2Bucket(2 ** 40 - 2)).toBe(39);
    expect(log2Bucket(2 ** 32 - 1)).toBe(32);
  });

  it('puts every negative value in one bucket of its own', () => {
    expect(log2Bucket(-1)).toBe(NEGATIVE_BUCKET);
    expect(log2Bucket(-1000)).toBe(NEGATIVE_BUCKET);
    expect(log2Bucket(-0.5)).toBe(NEGATIVE_BUCKET);
    expect(NEGATIVE_BUCKET).toBeLessThan(0);
  });
});

describe('hexKey', () => {
  it('maps 8-digit ids to 32-bit integers', () => {
    expect(hexKey('00000001')).toBe(1);
    expect(hexKey('ffffffff')).toBe(-1);
    expect(Number.isInteger(hexKey('68fd1e64'))).toBe(true);
    expect(Math.abs(hexKey('68fd1e64')!)).toBeLessThan(2 ** 31);
  });

  it('keeps ids that differ only in leading zeros or length apart, ignores letter case', () => {
    const ids = [
      'a',
      '0a',
      '00a',
      '0000000a',
      '000000000a',
      'ffffffff',
      'fffffffff',
      '7fffffff',
      '80000000',
      '1',
      '01',
    ];
    const keys = ids.map(hexKey);
    expect(new Set(keys).size).toBe(ids.length);
    expect(hexKey('ABCDEF12')).toBe(hexKey('abcdef12'));
  });

  it('keeps the longest ids exact (safe integers)', () => {
    expect(Number.isSafeInteger(hexKey('fffffffffffff'))).toBe(true);
    expect(hexKey('fffffffffffff')).not.toBe(hexKey('ffffffffffffe'));
  });

  it('refuses non-hex and over-long ids', () => {
    expect(hexKey('xyz')).toBeNull();
    expect(hexKey('')).toBeNull();
    expect(hexKey('f'.repeat(14))).toBeNull();
  });
});
