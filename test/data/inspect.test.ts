import { describe, expect, it } from 'vitest';
import { encodeReader } from '../../src/data/encode-reader.js';
import { formatInspect, inspectDataset } from '../../src/data/inspect.js';
import { arrayReader } from './helpers.js';

// 10 rows, file-order split: train 0–6, valid 7–8, test 9.
const ROWS: [number, ...(string | null)[]][] = [
  [1, 'a', 'p'],
  [0, 'a', 'q'],
  [1, 'a', null],
  [0, 'b', 'p'],
  [0, 'b', 'r'],
  [1, 'c', 'p'],
  [0, 'a', null],
  [1, 'd', 'p'],
  [1, null, 's'],
  [0, 'e', 'p'],
];

async function tinyReport() {
  const { dataset } = await encodeReader(
    arrayReader(['letter', 'code'], ROWS),
    { minCount: 2, split: { valid: 0.2, test: 0.1, seed: 0, by: 'file' } },
    'tiny.csv',
  );
  return inspectDataset(dataset, { rows: 10, skipped: 2, skippedExamples: ['tiny.csv:4: 3 cells, expected 2'] });
}

describe('inspect', () => {
  it('counts rows and label rate per split', async () => {
    const r = await tinyReport();
    expect(r.numRows).toBe(10);
    expect(r.splits).toEqual([
      { name: 'train', rows: 7, positiveRate: 3 / 7 },
      { name: 'valid', rows: 2, positiveRate: 1 },
      { name: 'test', rows: 1, positiveRate: 0 },
    ]);
  });

  it('reports distinct, kept, rows, coverage and OOV rate per field', async () => {
    const r = await tinyReport();
    // The vocabulary comes from the 7 training rows alone.
    // letter: a×4 b×2 kept, c×1 rare → train OOV 1/7; valid d, null and test e: d and e unseen → OOV 2/3; one missing
    expect(r.fields[0]).toEqual({
      name: 'letter',
      distinct: 3,
      kept: 2,
      rows: 4,
      coverage: 0.9,
      oovRate: 1 / 7,
      heldOutOovRate: 2 / 3,
    });
    // code: p×3 kept, q and r rare → train OOV 2/7; valid p, s and test p: s unseen → 1/3; two missing (in training)
    expect(r.fields[1]).toEqual({
      name: 'code',
      distinct: 3,
      kept: 1,
      rows: 3,
      coverage: 0.8,
      oovRate: 2 / 7,
      heldOutOovRate: 1 / 3,
    });
  });

  it('formats an aligned plain-text table', async () => {
    const text = formatInspect(await tinyReport());
    expect(text).not.toMatch(/\x1b\[/);
    expect(text).toContain('source: tiny.csv');
    expect(text).toContain('(2 bad rows skipped)');
    expect(text).toContain('tiny.csv:4: 3 cells, expected 2');
    const lines = text.split('\n');
    const header = lines.findIndex((l) => l.startsWith('field'));
    const table = lines.slice(header, header + 3);
    expect(table[1]).toMatch(/^letter\s+3\s+2\s+4\s+90\.0%\s+14\.3%\s+66\.7%$/);
    expect(table[2]).toMatch(/^code\s+3\s+1\s+3\s+80\.0%\s+28\.6%\s+33\.3%$/);
    // right-aligned numbers: every row of the table ends its columns at the same offsets
    const ends = (l: string) =>
      [...l.replace(/(oov|valid)\s/g, '$1_').matchAll(/\S+/g)].map((m) => m.index! + m[0].length).slice(1);
    expect(ends(table[1])).toEqual(ends(table[0]));
    expect(ends(table[2])).toEqual(ends(table[0]));
    expect(lines.find((l) => l.startsWith('valid'))).toMatch(/^valid\s+2\s+100\.0%$/);
  });
});
