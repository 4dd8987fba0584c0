/**
 * `embnas data export`: the encoded dataset exactly as the engine trains on it, per split (train, valid, test) the
 * label and one integer id per field, as CSV or .npy files, plus meta.json: per field its table size and special ids,
 * the rows per split, the source, and the data fingerprint (fingerprint.ts). docs/data.md documents the
 * layout. Files are written into a temporary sibling folder that is renamed at the end, so a failure never leaves a
 * half-written export at --out.
 */
import { mkdirSync, renameSync, rmdirSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DataFingerprint } from '../fingerprint.js';
import type { EncodedDataset } from '../encoded-dataset.js';
import { checkOutDir, writeFailed } from './out-dir.js';
import { writeCsvSplit, writeNpySplit } from './write-split.js';

export const DATA_EXPORT_FORMAT = 'embnas.data/1';
export const EXPORT_FORMATS = ['csv', 'npy'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
const SPLITS = ['train', 'valid', 'test'] as const;

export interface DataExportMeta {
  format: typeof DATA_EXPORT_FORMAT;
  files: ExportFormat;
  source: string;
  fields: { name: string; rows: number; kept: number; oovId: number; missingId: number; distinct: number }[];
  splits: Record<(typeof SPLITS)[number], { rows: number; files: string[] }>;
  fingerprint?: DataFingerprint;
}

export interface DataExportInput {
  dataset: EncodedDataset;
  /** The data fingerprint of the load (fingerprint.ts); copied to meta.json as is. */
  fingerprint?: DataFingerprint;
}

export function exportDataset(input: DataExportInput, out: string, files: ExportFormat): DataExportMeta {
  checkOutDir(out);
  const { dataset } = input;
  const tmp = `${path.resolve(out)}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    mkdirSync(tmp);
    const splits = {} as DataExportMeta['splits'];
    for (const name of SPLITS) {
      const range = dataset.splits[name];
      if (files === 'csv') writeCsvSplit(path.join(tmp, `${name}.csv`), dataset, range);
      else writeNpySplit(path.join(tmp, name), dataset, range);
      splits[name] = {
        rows: range.end - range.start,
        files: files === 'csv' ? [`${name}.csv`] : [`${name}.labels.npy`, `${name}.ids.npy`],
      };
    }
    const meta: DataExportMeta = {
      format: DATA_EXPORT_FORMAT,
      files,
      source: dataset.source,
      fields: dataset.fields.map((f) => ({
        name: f.name,
        rows: f.rows,
        kept: f.kept,
        oovId: f.oovId,
        missingId: f.missingId,
        distinct: f.distinct,
      })),
      splits,
      ...(input.fingerprint !== undefined ? { fingerprint: input.fingerprint } : {}),
    };
    writeFileSync(path.join(tmp, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
    if (existsSync(out)) rmdirSync(out); // empty: checked above
    renameSync(tmp, out);
    return meta;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw writeFailed(out, e);
  }
}
