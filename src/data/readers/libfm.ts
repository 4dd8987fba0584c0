/**
 * libFM lines laid out as one feature per field: `label idx:val idx:val …`, the i-th token belonging to the i-th
 * name of `data.fields` (frappe's layout). The key of a field is its index (a number). A value of 0 means the feature
 * is absent in libFM, so that field is missing; other values are ignored (every field is categorical).
 * Labels −1/0 mean 0 and 1 means 1.
 */
import { UsageError } from '../../errors.js';
import type { DataSpec } from '../../space/data-schema.js';
import type { Key, ReadStats, Reader, RowSink } from '../row-sink.js';
import { BadRows, describeFiles, shown } from './bad-rows.js';
import { rejectDuplicates } from './fields.js';
import { forEachLine, type InputFile } from './line-source.js';

const TOKEN = /^(\d+):(\S+)$/;

export function libfmReader(files: readonly InputFile[], spec: DataSpec): Reader {
  const fields = spec.fields;
  if (fields === undefined) {
    throw new UsageError(
      'data.fields is required for format libfm',
      'name the field of each position on a line, in order (e.g. [user, item, daytime, …])',
    );
  }
  rejectDuplicates(fields, 'data.fields');
  return { fields: [...fields], read: (sink) => readLibfm(files, fields.length, spec.onBadRow ?? 'error', sink) };
}

async function readLibfm(
  files: readonly InputFile[],
  width: number,
  policy: 'error' | 'skip',
  sink: RowSink,
): Promise<ReadStats> {
  const bad = new BadRows(policy);
  const keys: Key[] = new Array<Key>(width).fill(null);
  const fix = `each line must be a label and ${width} idx:value pairs, one per name in data.fields`;
  let rows = 0;
  for (const file of files) {
    await forEachLine(file, (buf, start, end, line) => {
      const tokens = buf.toString('utf8', start, end).trim().split(/\s+/);
      if (tokens.length !== width + 1) {
        bad.report(
          file,
          line,
          `expected a label and ${width} features (one per field), found ${tokens.length - 1} features`,
          fix,
        );
        return;
      }
      const label = Number(tokens[0]);
      if (Number.isNaN(label)) {
        bad.report(
          file,
          line,
          `label ${shown(tokens[0])} is not a number`,
          'the first token must be the label −1, 0 or 1',
        );
        return;
      }
      if (label !== -1 && label !== 0 && label !== 1) {
        bad.report(
          file,
          line,
          `label ${shown(tokens[0])} is not −1, 0 or 1`,
          'the first token must be the label −1, 0 or 1',
        );
        return;
      }
      for (let i = 0; i < width; i++) {
        const match = TOKEN.exec(tokens[i + 1]);
        const value = match === null ? NaN : Number(match[2]);
        if (match === null || !Number.isFinite(value)) {
          bad.report(file, line, `feature ${i + 1} ${shown(tokens[i + 1])} is not index:value`, fix);
          return;
        }
        keys[i] = value === 0 ? null : Number(match[1]);
      }
      sink.row(label === 1 ? 1 : 0, keys);
      rows++;
    });
  }
  return bad.finish(rows, describeFiles(files));
}
