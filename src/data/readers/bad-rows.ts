/**
 * The `onBadRow` policy in one place: under `error` a malformed row stops the read with its file and line; under
 * `skip` it is counted and the first few are kept as examples for the report.
 */
import { UsageError } from '../../errors.js';
import type { ReadStats } from '../row-sink.js';
import type { InputFile } from './line-source.js';

const MAX_EXAMPLES = 5;
const MAX_SHOWN_VALUE = 40;

/** A cell value as messages show it: quoted, and cut short when long. */
export function shown(value: string): string {
  const v = value.length > MAX_SHOWN_VALUE ? `${value.slice(0, MAX_SHOWN_VALUE)}…` : value;
  return `'${v}'`;
}

export class BadRows {
  private skipped = 0;
  private readonly examples: string[] = [];

  constructor(private readonly policy: 'error' | 'skip') {}

  /**
   * Reports a malformed row. @param what the problem, e.g. "label '2' is not 0 or 1". @param fix what the user should
   * do about it. Throws under `error`; returns (the caller drops the row) under `skip`.
   */
  report(file: InputFile, line: number, what: string, fix: string): void {
    const where = `${file.shown}:${line}: ${what}`;
    if (this.policy === 'error') {
      throw new UsageError(where, `${fix}, or set data.onBadRow: skip to drop such rows`);
    }
    this.skipped++;
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(where);
  }

  /** The stats of a finished read; an empty result is the user's mistake, never a dataset to train on. */
  finish(rows: number, source: string): ReadStats {
    if (rows === 0) {
      const why =
        this.skipped > 0 ? ` (all ${this.skipped} rows were bad and skipped; first: ${this.examples[0]})` : '';
      throw new UsageError(
        `${source}: no data rows${why}`,
        'point data.path at a file with rows in the declared format',
      );
    }
    return { rows, skipped: this.skipped, skippedExamples: [...this.examples] };
  }
}

/** A short name for the files of one read, for messages about the whole dataset. */
export function describeFiles(files: readonly InputFile[]): string {
  return files.length === 1 ? files[0].shown : `${files[0].shown} (+${files.length - 1} more)`;
}
