import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { Encoder, type InternedRows } from '../../src/data/encoder.js';
import { INT32_MISSING, type Key } from '../../src/data/row-sink.js';

/** Rows of int32 keys: field 0 heavy-tailed over many values, field 1 a few small ones, ~10 % missing. */
function intRows(n: number, seed: string): { labels: Uint8Array; keys: Int32Array[] } {
  const rng = seedrandom.alea(seed);
  const labels = new Uint8Array(n);
  const keys = [new Int32Array(n), new Int32Array(n)];
  for (let r = 0; r < n; r++) {
    labels[r] = rng() < 0.3 ? 1 : 0;
    const rank = Math.floor(Math.exp(rng() * Math.log(200_000)));
    keys[0][r] = rng() < 0.1 ? INT32_MISSING : Math.imul(rank, 0x9e3779b1);
    keys[1][r] = rng() < 0.1 ? INT32_MISSING : Math.floor(rng() * 6) - 1;
  }
  return { labels, keys };
}

/** Hands rows [from, to) over as one column-major batch. */
function passBatch(enc: Encoder, rows: ReturnType<typeof intRows>, from: number, to: number, stride: number): void {
  const count = to - from;
  const batch = new Int32Array(2 * stride);
  batch.set(rows.keys[0].subarray(from, to), 0);
  batch.set(rows.keys[1].subarray(from, to), stride);
  enc.rowsInt32(rows.labels.subarray(from, to), batch, count, stride);
}

function passRow(enc: Encoder, rows: ReturnType<typeof intRows>, r: number): void {
  const key = (k: number): Key => (k === INT32_MISSING ? null : k);
  enc.row(rows.labels[r], [key(rows.keys[0][r]), key(rows.keys[1][r])]);
}

/** What a finished encoder holds, in plain arrays, for comparisons. */
function snapshot(interned: InternedRows) {
  return {
    numRows: interned.numRows,
    ids: Array.from(interned.ids),
    labels: Array.from(interned.labels),
    counts: interned.fields.map((f) => Array.from(f!.counts)),
  };
}

describe('Encoder', () => {
  it('gives the same temporary ids whether rows come one by one, in batches, or mixed', () => {
    const rows = intRows(5000, 'mixed');
    const oneByOne = new Encoder(2, { initialRows: 1 });
    for (let r = 0; r < 5000; r++) passRow(oneByOne, rows, r);

    const mixed = new Encoder(2, { initialRows: 1 });
    let r = 0;
    for (const size of [1, 700, 3, 1500, 1, 1, 2000]) {
      if (size === 1) passRow(mixed, rows, r);
      else passBatch(mixed, rows, r, r + size, size + 7);
      r += size;
    }
    for (; r < 5000; r++) passRow(mixed, rows, r);

    const a = snapshot(oneByOne.finish());
    const b = snapshot(mixed.finish());
    expect(b).toEqual(a);
    expect(a.ids.filter((id) => id === 0).length).toBe(a.counts[0][0] + a.counts[1][0]); // missing cells are id 0
  });

  it('gives the same result with or without a row-count hint (which only sizes its tables)', () => {
    const n = 3 * 32_768 + 123;
    const rows = intRows(n, 'hint');
    const encode = (hint: number | null) => {
      const enc = new Encoder(2);
      if (hint !== null) enc.expectRows(hint);
      for (let r = 0; r < n; r += 32_768) passBatch(enc, rows, r, Math.min(n, r + 32_768), 32_768);
      return snapshot(enc.finish());
    };
    const plain = encode(null);
    expect(encode(1_000_000)).toEqual(plain); // an over-estimate
    expect(encode(n)).toEqual(plain);
    expect(plain.counts[0].length).toBeGreaterThan(10_000);
  });

  it('rejects a batch with a label other than 0 or 1', () => {
    const enc = new Encoder(1);
    expect(() => enc.rowsInt32(Uint8Array.of(0, 2), Int32Array.of(1, 2), 2, 2)).toThrow(/label 2/);
  });
});
