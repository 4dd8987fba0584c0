/** Hand-made readers and specs for the data tests. */
import type { Key, ReadStats, Reader, RowSink } from '../../src/data/row-sink.js';
import { DataSchema, type DataSpec } from '../../src/space/data-schema.js';

/** A reader over rows written in the test: [label, ...keys]. The keys array is reused, as real readers may do. */
export function arrayReader(fields: string[], rows: [number, ...Key[]][]): Reader {
  return {
    fields,
    async read(sink: RowSink): Promise<ReadStats> {
      const keys: Key[] = new Array<Key>(fields.length);
      for (const [label, ...cells] of rows) {
        for (let i = 0; i < fields.length; i++) keys[i] = cells[i];
        sink.row(label, keys);
      }
      return { rows: rows.length, skipped: 0, skippedExamples: [] };
    },
  };
}

/** A reader of `n` rows where row i has key `i` in field "row" and label i % 2. */
export function indexReader(n: number): Reader {
  return {
    fields: ['row'],
    async read(sink: RowSink): Promise<ReadStats> {
      const keys: Key[] = [0];
      for (let i = 0; i < n; i++) {
        keys[0] = i;
        sink.row(i % 2, keys);
      }
      return { rows: n, skipped: 0, skippedExamples: [] };
    },
  };
}

export function dataSpec(input: Record<string, unknown>): DataSpec {
  return DataSchema.parse(input);
}
