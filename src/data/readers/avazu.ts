/**
 * Avazu click logs: CSV with a header (id,click,hour,C1,banner_pos,site_id,…). `click` is the label, `id` is dropped
 * (unique per row), and `hour` (YYMMDDHH) becomes two fields, `hour_of_day` (0–23) and `weekday` (0 = Sunday), as
 * number keys; every other column is categorical, kept as its string. The first file names the columns in its header;
 * a later file of a multi-file path may repeat that header or start with data straight away (a log cut into pieces
 * often keeps the header only in its first piece). With `header: false` no file has a header and the columns are the
 * competition's standard 24 (STANDARD_COLUMNS), in order.
 */
import { UsageError } from '../../errors.js';
import type { DataSpec } from '../../space/data-schema.js';
import type { Key, ReadStats, Reader, RowSink } from '../row-sink.js';
import { BadRows, describeFiles, shown } from './bad-rows.js';
import { selectFields } from './fields.js';
import { forEachLine, readFirstLineSync, type InputFile } from './line-source.js';

/** Where a field's key comes from: a column's text, or one half of the `hour` column. */
type Source = { column: number } | { hour: 'hour_of_day' | 'weekday' };

const DROPPED = new Set(['id', 'click', 'hour']);

/** The columns of Avazu's train file, in order: what `header: false` assumes. */
export const STANDARD_COLUMNS = [
  'id',
  'click',
  'hour',
  'C1',
  'banner_pos',
  'site_id',
  'site_domain',
  'site_category',
  'app_id',
  'app_domain',
  'app_category',
  'device_id',
  'device_ip',
  'device_model',
  'device_type',
  'device_conn_type',
  'C14',
  'C15',
  'C16',
  'C17',
  'C18',
  'C19',
  'C20',
  'C21',
] as const;

/**
 * `headerFile` names the columns (default: the first file); files by role pass the first training file, so a
 * validation or test file may start with data as any later file may.
 */
export function avazuReader(files: readonly InputFile[], spec: DataSpec, headerFile: InputFile = files[0]): Reader {
  const hasHeader = spec.header !== false;
  const header = hasHeader ? readHeader(headerFile) : [...STANDARD_COLUMNS];
  const label = header.indexOf('click');
  if (label < 0) {
    throw new UsageError(
      `${headerFile.shown}:1: the header has no 'click' column`,
      "avazu files need the header id,click,hour,… (or data.header: false for files without one, in the standard column order); the competition's test file has no labels and cannot be used",
    );
  }
  const names: string[] = [];
  const sources: Source[] = [];
  header.forEach((name, column) => {
    if (name === 'hour') {
      names.push('hour_of_day', 'weekday');
      sources.push({ hour: 'hour_of_day' }, { hour: 'weekday' });
    } else if (!DROPPED.has(name)) {
      names.push(name);
      sources.push({ column });
    }
  });
  const chosen = selectFields(spec.fields, names, 'fields of this avazu file');
  const plan = {
    header,
    headerFile,
    hasHeader,
    label,
    hour: header.indexOf('hour'),
    sources: chosen.map((i) => sources[i]),
  };
  return {
    fields: chosen.map((i) => names[i]),
    read: (sink) => readAvazu(files, plan, spec.onBadRow ?? 'error', sink),
  };
}

function readHeader(file: InputFile): string[] {
  const first = readFirstLineSync(file);
  if (first === null) throw new UsageError(`${file.shown}: the file is empty`, 'point data.path at an avazu CSV file');
  return first.text.split(',').map((s) => s.trim());
}

interface Plan {
  header: string[];
  /** The file whose first line is the header (it must have one). */
  headerFile: InputFile;
  /** False with `header: false`: every line of every file is a row. */
  hasHeader: boolean;
  label: number;
  hour: number;
  sources: Source[];
}

async function readAvazu(
  files: readonly InputFile[],
  plan: Plan,
  policy: 'error' | 'skip',
  sink: RowSink,
): Promise<ReadStats> {
  const bad = new BadRows(policy);
  const keys: Key[] = new Array<Key>(plan.sources.length).fill(null);
  const hours = new HourCache();
  const expectedHeader = plan.header.join(',');
  let rows = 0;
  for (const file of files) {
    let firstLine = true;
    await forEachLine(file, (buf, start, end, line) => {
      const text = buf.toString('utf8', start, end);
      const cells = text.split(',');
      if (firstLine) {
        firstLine = false;
        const isHeader = cells.map((s) => s.trim()).join(',') === expectedHeader;
        if (!plan.hasHeader && (isHeader || cells[plan.label]?.trim() === 'click')) {
          throw new UsageError(
            `${file.shown}:${line}: data.header is false but this line is a header`,
            'remove data.header: false (a later file may still start without a header)',
          );
        }
        if (isHeader) return;
        // A later file may start with data; anything else on its first line is a header of other columns.
        const isRow = cells.length === plan.header.length && (cells[plan.label] === '0' || cells[plan.label] === '1');
        if (plan.hasHeader && (file.abs === plan.headerFile.abs || !isRow)) {
          throw new UsageError(
            `${file.shown}:${line}: the header differs from the one of ${plan.headerFile.shown}`,
            'every avazu file must start with the same header row, or with data in the same columns',
          );
        }
      }
      if (cells.length !== plan.header.length) {
        bad.report(
          file,
          line,
          `expected ${plan.header.length} comma-separated columns, found ${cells.length}`,
          'fix the line',
        );
        return;
      }
      const click = cells[plan.label];
      if (click !== '0' && click !== '1') {
        const what = click.trim() === '' || Number.isNaN(Number(click)) ? 'is not a number' : 'is not 0 or 1';
        bad.report(file, line, `click ${shown(click)} ${what}`, 'the click column must hold 0 or 1');
        return;
      }
      const hour = plan.hour >= 0 ? hours.parse(cells[plan.hour]) : 0;
      if (hour < 0) {
        bad.report(file, line, `hour ${shown(cells[plan.hour])} is not a YYMMDDHH time`, 'fix the hour cell');
        return;
      }
      for (let i = 0; i < plan.sources.length; i++) {
        const source = plan.sources[i];
        if ('column' in source) {
          const cell = cells[source.column];
          keys[i] = cell === '' ? null : cell;
        } else {
          keys[i] = source.hour === 'hour_of_day' ? hour % 24 : Math.floor(hour / 24);
        }
      }
      sink.row(click === '1' ? 1 : 0, keys);
      rows++;
    });
  }
  return bad.finish(rows, describeFiles(files));
}

/** YYMMDDHH → weekday·24 + hour (−1 when invalid), memoized: a log holds only a few hundred distinct hours. */
class HourCache {
  private readonly known = new Map<string, number>();

  parse(cell: string): number {
    let packed = this.known.get(cell);
    if (packed === undefined) {
      packed = parseHour(cell);
      if (this.known.size < 100_000) this.known.set(cell, packed);
    }
    return packed;
  }
}

function parseHour(cell: string): number {
  if (!/^\d{8}$/.test(cell)) return -1;
  const year = 2000 + Number(cell.slice(0, 2));
  const month = Number(cell.slice(2, 4));
  const day = Number(cell.slice(4, 6));
  const hour = Number(cell.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (hour > 23 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return -1;
  return date.getUTCDay() * 24 + hour;
}
