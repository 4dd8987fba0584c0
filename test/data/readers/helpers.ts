/** Shared test helpers: temp files, specs with the schema's defaults, and sinks that record or count rows. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSchema, type DataSpec } from '../../../src/space/data-schema.js';
import type { Key, ReadStats, Reader } from '../../../src/data/row-sink.js';
import { isUsageError, type UsageError } from '../../../src/errors.js';

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'embnas-readers-'));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes `lines` joined by "\n" (plus a final newline) to dir/name and returns the file's path. */
export function writeLines(dir: string, name: string, lines: string[], finalNewline = true): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.join('\n') + (finalNewline ? '\n' : ''));
  return file;
}

/** A `data:` section as the space loader would hand it over (schema defaults applied). */
export function spec(data: Record<string, unknown>): DataSpec {
  return DataSchema.parse(data);
}

export interface Collected {
  labels: number[];
  rows: Key[][];
  stats: ReadStats;
}

/** Reads every row, copying the keys (the reader may reuse its array). */
export async function collect(reader: Reader): Promise<Collected> {
  const labels: number[] = [];
  const rows: Key[][] = [];
  const stats = await reader.read({
    row(label, keys) {
      labels.push(label);
      rows.push([...keys]);
    },
  });
  return { labels, rows, stats };
}

export interface Counted {
  rows: number;
  positives: number;
  /** Per field: distinct non-null keys. */
  distinct: Map<string, Set<Key>>;
  /** Per field: number of null keys. */
  nulls: Map<string, number>;
  stats: ReadStats;
}

/** Counts rows, positives and distinct keys per field without keeping rows. */
export async function count(reader: Reader): Promise<Counted> {
  const distinct = new Map(reader.fields.map((f) => [f, new Set<Key>()]));
  const nulls = new Map(reader.fields.map((f) => [f, 0]));
  const sets = reader.fields.map((f) => distinct.get(f)!);
  const nullCounts = new Array<number>(reader.fields.length).fill(0);
  let rows = 0;
  let positives = 0;
  const stats = await reader.read({
    row(label, keys) {
      rows++;
      positives += label;
      for (let i = 0; i < keys.length; i++) {
        if (keys[i] === null) nullCounts[i]++;
        else sets[i].add(keys[i]);
      }
    },
  });
  reader.fields.forEach((f, i) => nulls.set(f, nullCounts[i]));
  return { rows, positives, distinct, nulls, stats };
}

/** The UsageError thrown by `run` (sync or async); fails the test when none is thrown. */
export async function usageError(run: () => unknown): Promise<UsageError> {
  try {
    await run();
  } catch (e) {
    if (isUsageError(e)) return e;
    throw e;
  }
  throw new Error('expected a UsageError, but nothing was thrown');
}
