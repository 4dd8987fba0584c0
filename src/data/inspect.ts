/**
 * What `embnas data inspect` shows: rows and label rate per split, and per field its cardinality, how many values
 * kept their own row after minCount, how often it is present, and how often it falls into the shared OOV row.
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
  /** Distinct raw values before the minCount cut. */
  distinct: number;
  /** Values that kept their own row. */
  kept: number;
  /** Embedding-table rows (kept + OOV + missing). */
  rows: number;
  /** Share of rows where the field is present (not missing). */
  coverage: number;
  /** Share of rows mapped to the OOV row (values rarer than minCount). */
  oovRate: number;
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

export function inspectDataset(dataset: EncodedDataset, stats: ReadStats): InspectReport {
  const n = dataset.numRows;
  const splits = (['train', 'valid', 'test'] as const).map((name) => {
    const range = dataset.splits[name];
    return { name, rows: range.end - range.start, positiveRate: positiveRate(dataset.labels, range) };
  });
  const fields = dataset.fields.map((f) => ({
    name: f.name,
    distinct: f.distinct,
    kept: f.kept,
    rows: f.rows,
    coverage: n > 0 ? 1 - f.counts[f.missingId] / n : 0,
    oovRate: n > 0 ? f.counts[f.oovId] / n : 0,
  }));
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
  out.push(...table(['split', 'rows', 'positive'], report.splits.map((s) => [s.name, int(s.rows), pct(s.positiveRate)])));
  out.push('');
  out.push(
    ...table(
      ['field', 'distinct', 'kept', 'rows', 'coverage', 'oov'],
      report.fields.map((f) => [f.name, int(f.distinct), int(f.kept), int(f.rows), pct(f.coverage), pct(f.oovRate)]),
    ),
  );
  return out.join('\n') + '\n';
}
