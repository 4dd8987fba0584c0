/**
 * The entry to the readers: picks the format's reader for a `data:` section and binds it to its files.
 *
 * Checks that need no row are done here, before anything is streamed: the path exists, options belong to the format,
 * field names are known. `synthetic` data is generated, not read, so it has no reader here.
 */
import { UsageError } from '../../errors.js';
import type { DataSpec } from '../../space/data-schema.js';
import type { Reader } from '../row-sink.js';
import { avazuReader } from './avazu.js';
import { criteoReader } from './criteo.js';
import { csvReader } from './csv.js';
import { libfmReader } from './libfm.js';
import { checkReadableFile, inputFile, type InputFile } from './line-source.js';
import { movielensReader } from './movielens.js';

export { CRITEO_FIELDS } from './criteo.js';
export { MOVIELENS_FIELDS } from './movielens.js';
export { log2Bucket, hexKey, NEGATIVE_BUCKET } from './buckets.js';

/** Options only the csv format reads: set under another format they would be silently ignored, so they are errors. */
const CSV_ONLY = ['label', 'positive', 'numeric', 'columns', 'delimiter', 'missing', 'derive'] as const;

/**
 * A reader for `spec`, with relative paths resolved against `baseDir` (the space file's folder). `headerFrom` names
 * the file whose header names the columns when it is not the first (files by role: the first training file).
 * Throws UsageError for `synthetic`, a missing path, a missing file, and unknown or repeated field names.
 */
export function openReader(spec: DataSpec, baseDir: string, opts: { headerFrom?: string } = {}): Reader {
  if (spec.format === 'synthetic') {
    throw new UsageError(
      'data.format: synthetic data is generated, not read from files',
      'build it with the synthetic generator instead of a file reader',
    );
  }
  if (spec.format !== 'csv') {
    const stray = CSV_ONLY.find((key) => spec[key] !== undefined);
    if (stray !== undefined) {
      throw new UsageError(
        `data.${stray}: only format csv uses this option, not ${spec.format}`,
        `remove data.${stray}`,
      );
    }
  }
  if (spec.header !== undefined && spec.format !== 'avazu') {
    const fix =
      spec.format === 'csv' ? 'a csv file without a header names its columns in data.columns' : 'remove data.header';
    throw new UsageError(`data.header: only format avazu uses this option, not ${spec.format}`, fix);
  }
  if (spec.path === undefined) {
    throw new UsageError(
      `data.path is required for format ${spec.format}`,
      'give the file (or a list of files) to read, relative to the space file',
    );
  }
  if (!Array.isArray(spec.path) && typeof spec.path !== 'string')
    throw new Error('files by role are opened role by role (role-reader.ts)');
  const paths = typeof spec.path === 'string' ? [spec.path] : spec.path;
  if (spec.format === 'movielens') {
    if (paths.length !== 1) {
      throw new UsageError(
        'data.path: format movielens reads one folder, not a list',
        'give the ml-100k folder (with u.data, u.user, u.item)',
      );
    }
    return movielensReader(inputFile(baseDir, paths[0]).abs, spec);
  }
  const files: InputFile[] = paths.map((p, i) => {
    const file = inputFile(baseDir, p);
    checkReadableFile(file, typeof spec.path === 'string' ? 'data.path' : `data.path[${i}]`);
    return file;
  });
  switch (spec.format) {
    case 'criteo':
      return criteoReader(files, spec);
    case 'avazu':
      return avazuReader(files, spec, opts.headerFrom === undefined ? undefined : inputFile(baseDir, opts.headerFrom));
    case 'libfm':
      return libfmReader(files, spec);
    case 'csv':
      return csvReader(files, spec);
  }
}
