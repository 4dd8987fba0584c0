/**
 * What `embnas data inspect` shows: rows and label rate per split, and per field its cardinality, how many values
 * kept their own row after minCount (both counted on the training rows, which alone make the vocabulary), how often
 * it is present, and how often it falls into the shared OOV row — in training (values rarer than minCount) and in the
 * held-out rows (also values never seen in training: the gap a model meets in production).
 */
import type { EncodedDataset, SplitRange } from './encoded-dataset.js';
import type { ReadStats } from './row-sink.js';

export interface SplitReport {
  name: 'train' | 'valid' | 'test';
  rows: number;
  /** Share of label-1 rows; null for an empty split. */
  positiveRate: number | null;
}

export interface FieldReport {
  name: string;
  /** Distinct raw values of the training rows before the minCount cut. */
  distinct: number;
  /** Values that kept their own row. */
  kept: number;
  /** Embedding-table rows (kept + OOV + missing). */
  rows: number;
  /** Share of all rows where the field is present (not missing). */
  coverage: number;
  /** Share of training rows mapped to the OOV row (values rarer than minCount). */
  oovRate: number;
  /** Share of valid + test rows mapped to the OOV row (rare or unseen in training); null without held-out rows. */
  heldOutOovRate: number | null;
}

export interface InspectReport {
  source: string;
  numRows: number;
  skipped: number;
  skippedExamples: string[];
  splits: SplitReport[];
  fields: FieldReport[];
}

function positiveRate(labels: Float32Array, range: SplitRange): number | null {
  if (range.end <= range.start) return null;
  let pos = 0;
  for (let i = range.start; i < range.end; i++) pos += labels[i];
  return pos / (range.end - range.start);
}

/** Cells of field `c` in `range` that read the OOV row, and that are missing. */
function occurrences(dataset: EncodedDataset, c: number, range: SplitRange): { oov: number; missing: number } {
  const F = dataset.fields.length;
  const { oovId, missingId } = dataset.fields[c];
  let oov = 0;
  let missing = 0;
  for (let p = range.start * F + c; p < range.end * F; p += F) {
    const id = dataset.ids[p];
    if (id === oovId) oov++;
    else if (id === missingId) missing++;
  }
  return { oov, missing };
}

export function inspectDataset(dataset: EncodedDataset, stats: ReadStats): InspectReport {
  const n = dataset.numRows;
  const splits = (['train', 'valid', 'test'] as const).map((name) => {
    const range = dataset.splits[name];
    return { name, rows: range.end - range.start, positiveRate: positiveRate(dataset.labels, range) };
  });
  const fields = dataset.fields.map((f, c) => {
    // The training rows' OOV and missing cells are the field's counts; only the held-out rows are read.
    const heldOut = occurrences(dataset, c, { start: dataset.splits.train.end, end: n });
    const trainRows = dataset.splits.train.end - dataset.splits.train.start;
    const heldOutRows = n - dataset.splits.train.end;
    return {
      name: f.name,
      distinct: f.distinct,
      kept: f.kept,
      rows: f.rows,
      coverage: n > 0 ? 1 - (f.counts[f.missingId] + heldOut.missing) / n : 0,
      oovRate: trainRows > 0 ? f.counts[f.oovId] / trainRows : 0,
      heldOutOovRate: heldOutRows > 0 ? heldOut.oov / heldOutRows : null,
    };
  });
  return {
    source: dataset.source,
    numRows: n,
    skipped: stats.skipped,
    skippedExamples: stats.skippedExamples,
    splits,
    fields,
  };
}

const int = (x: number) => x.toLocaleString('en-US');
const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);

/** Columns: the first left-aligned (a name), the others right-aligned (numbers), two spaces apart. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function formatInspect(report: InspectReport): string {
  const out: string[] = [];
  out.push(`source: ${report.source}`);
  out.push(`rows:   ${int(report.numRows)}${report.skipped > 0 ? ` (${int(report.skipped)} bad rows skipped)` : ''}`);
  for (const example of report.skippedExamples) out.push(`  skipped ${example}`);
  out.push('');
  out.push(
    ...table(
      ['split', 'rows', 'positive'],
      report.splits.map((s) => [s.name, int(s.rows), pct(s.positiveRate)]),
    ),
  );
  out.push('');
  out.push(
    ...table(
      ['field', 'distinct', 'kept', 'rows', 'coverage', 'oov train', 'oov valid+test'],
      report.fields.map((f) => [
        f.name,
        int(f.distinct),
        int(f.kept),
        int(f.rows),
        pct(f.coverage),
        pct(f.oovRate),
        pct(f.heldOutOovRate),
      ]),
    ),
  );
  return out.join('\n') + '\n';
}
