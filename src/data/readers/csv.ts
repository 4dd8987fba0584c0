/**
 * Any delimited text file: a label column, categorical columns (string keys) and numeric columns (log2 bucket keys).
 *
 * Column names come from the header row, or from `data.columns` when the file has none; they are read before
 * streaming so a typo in `data.fields`, `data.label` or `data.numeric` fails at once, naming the key. With a header,
 * every file of a multi-file path starts with the same header. Cells are trimmed; empty cells and `data.missing`
 * tokens are missing (null). A header cell left empty is called `column<N>` (1-based). `data.derive` adds fields taken
 * from timestamp columns (csv-derive.ts); a timestamp cell that does not parse is a bad row naming file, line and column.
 */
import { UsageError } from '../../errors.js';
import type { DataSpec } from '../../space/data-schema.js';
import type { Key, ReadStats, Reader, RowSink } from '../row-sink.js';
import { BadRows, describeFiles, shown } from './bad-rows.js';
import { log2Bucket } from './buckets.js';
import { planDerive, type CategoricalSource } from './csv-derive.js';
import { splitCsvLine } from './csv-split.js';
import { listNames, rejectDuplicates, selectFields, unknownName } from './fields.js';
import { forEachLine, readFirstLineSync, type InputFile } from './line-source.js';
import { partOf, TimestampCache } from './timestamp.js';

interface Plan {
  delimiter: string;
  /** The header's cells when the files have one (each file's first line must repeat it). */
  header: string[] | null;
  width: number;
  label: number;
  categorical: CategoricalSource[];
  /** Timestamp columns the chosen derived fields read (each parsed once per row). */
  timestamps: number[];
  numeric: number[];
  /** Label values that mean 1, or null for the default: a numeric 0/1 label. */
  positive: Set<string> | null;
  missing: Set<string>;
}

export function csvReader(files: readonly InputFile[], spec: DataSpec): Reader {
  const delimiter = spec.delimiter ?? ',';
  const header = spec.columns === undefined ? readHeader(files[0], delimiter) : null;
  const columns = header ?? spec.columns!;
  if (header === null) rejectDuplicates(columns, 'data.columns');
  else rejectHeaderDuplicates(header, files[0]);
  if (spec.label === undefined) {
    throw new UsageError(
      'data.label is required for format csv',
      `name the column that holds the outcome; the columns are: ${listNames(columns)}`,
    );
  }
  const label = columns.indexOf(spec.label);
  if (label < 0) throw unknownName('data.label', spec.label, columns, 'columns');
  const numeric = selectFields(spec.numeric ?? [], columns, 'columns', 'data.numeric');
  numeric.forEach((column, i) => {
    if (column === label)
      throw new UsageError(`data.numeric[${i}]: '${spec.label}' is the label column`, 'remove it from data.numeric');
  });
  const derived = planDerive(spec, columns, label);
  const names = [...columns, ...derived.names];
  const categorical =
    spec.fields === undefined
      ? [
          ...columns
            .map((_, i) => i)
            .filter((i) => i !== label && !numeric.includes(i) && !derived.timestampColumns.has(i)),
          ...derived.names.map((_, j) => columns.length + j),
        ]
      : selectFields(spec.fields, names, derived.names.length > 0 ? 'columns and derived fields' : 'columns');
  categorical.forEach((column, i) => {
    if (column >= columns.length) return; // a derived field: checked by planDerive
    const name = columns[column];
    if (column === label)
      throw new UsageError(`data.fields[${i}]: '${name}' is the label column`, 'remove it from data.fields');
    if (numeric.includes(column)) {
      throw new UsageError(
        `data.fields: '${name}' is declared twice (also in data.numeric)`,
        'keep it in data.fields (categorical) or in data.numeric, not both',
      );
    }
  });
  const sources = categorical.map((i): CategoricalSource =>
    i < columns.length ? { column: i } : derived.sources[i - columns.length],
  );
  const plan: Plan = {
    delimiter,
    header,
    width: columns.length,
    label,
    categorical: sources,
    timestamps: [...new Set(sources.filter((x) => 'part' in x).map((x) => x.column))],
    numeric,
    positive: spec.positive === undefined ? null : new Set(spec.positive.map((s) => s.trim())),
    missing: new Set((spec.missing ?? []).map((s) => s.trim())),
  };
  return {
    fields: [...categorical.map((i) => names[i]), ...numeric.map((i) => columns[i])],
    read: (sink) => readCsv(files, plan, columns, spec.onBadRow ?? 'error', sink),
  };
}

function readHeader(file: InputFile, delimiter: string): string[] {
  const first = readFirstLineSync(file);
  if (first === null)
    throw new UsageError(`${file.shown}: the file is empty`, 'point data.path at a CSV file with a header row');
  const cells = splitCsvLine(first.text, delimiter);
  if (cells === null)
    throw new UsageError(`${file.shown}:${first.line}: unclosed quote in the header`, 'fix the header row');
  return cells.map((name, i) => (name === '' ? `column${i + 1}` : name));
}

function rejectHeaderDuplicates(header: string[], file: InputFile): void {
  const twice = header.find((name, i) => header.indexOf(name) !== i);
  if (twice !== undefined) {
    throw new UsageError(
      `${file.shown}: column '${twice}' appears twice in the header`,
      'rename one of them, or remove the header row and name the columns in data.columns',
    );
  }
}

async function readCsv(
  files: readonly InputFile[],
  plan: Plan,
  columns: string[],
  policy: 'error' | 'skip',
  sink: RowSink,
): Promise<ReadStats> {
  const bad = new BadRows(policy);
  const keys: Key[] = new Array<Key>(plan.categorical.length + plan.numeric.length).fill(null);
  const expectedHeader = plan.header?.join('\u0000');
  const stamps = new TimestampCache();
  const packed = new Int32Array(plan.width); // per timestamp column of the current row: weekday·24 + hour, −2 = missing
  let rows = 0;
  for (const file of files) {
    let headerPending = plan.header !== null;
    await forEachLine(file, (buf, start, end, line) => {
      const cells = splitCsvLine(buf.toString('utf8', start, end), plan.delimiter);
      if (headerPending) {
        headerPending = false;
        const names = cells?.map((name, i) => (name === '' ? `column${i + 1}` : name));
        if (names?.join('\u0000') !== expectedHeader) {
          throw new UsageError(
            `${file.shown}:${line}: the header differs from the one of ${files[0].shown}`,
            'every file must start with the same header row',
          );
        }
        return;
      }
      if (cells === null) {
        bad.report(file, line, 'unclosed quote (a quoted cell cannot span lines)', 'close the quote');
        return;
      }
      if (cells.length !== plan.width) {
        bad.report(
          file,
          line,
          `expected ${plan.width} columns, found ${cells.length}`,
          `check data.delimiter (${JSON.stringify(plan.delimiter)}) and the line`,
        );
        return;
      }
      const label = labelOf(cells[plan.label], plan);
      if (typeof label === 'string') {
        bad.report(
          file,
          line,
          label,
          plan.positive === null ? 'list the label values that mean 1 in data.positive' : 'fill in the label',
        );
        return;
      }
      for (const column of plan.timestamps) {
        const cell = cells[column];
        packed[column] = cell === '' || plan.missing.has(cell) ? -2 : stamps.parse(cell);
        if (packed[column] === -1) {
          bad.report(
            file,
            line,
            `column '${columns[column]}': ${shown(cell)} is not a timestamp`,
            'write it as e.g. 2017-11-07 09:30:38 or 2017-11-07T09:30:38Z, or list the token in data.missing',
          );
          return;
        }
      }
      let k = 0;
      for (const source of plan.categorical) {
        if ('part' in source) {
          const p = packed[source.column];
          keys[k++] = p === -2 ? null : partOf(p, source.part);
          continue;
        }
        const cell = cells[source.column];
        keys[k++] = cell === '' || plan.missing.has(cell) ? null : cell;
      }
      for (const column of plan.numeric) {
        const cell = cells[column];
        if (cell === '' || plan.missing.has(cell)) {
          keys[k++] = null;
          continue;
        }
        const value = Number(cell);
        if (!Number.isFinite(value)) {
          bad.report(
            file,
            line,
            `column '${columns[column]}': ${shown(cell)} is not a number`,
            'fix the cell, or list the token in data.missing',
          );
          return;
        }
        keys[k++] = log2Bucket(value);
      }
      sink.row(label, keys);
      rows++;
    });
  }
  return bad.finish(rows, describeFiles(files));
}

/** The 0/1 label of a cell, or what is wrong with it. */
function labelOf(cell: string, plan: Plan): number | string {
  if (cell === '' || plan.missing.has(cell)) return 'the label is missing';
  if (plan.positive !== null) return plan.positive.has(cell) ? 1 : 0;
  const value = Number(cell);
  if (value === 0 || value === 1) return value;
  return `label ${shown(cell)} ${Number.isNaN(value) ? 'is not a number' : 'is not 0 or 1'}`;
}
