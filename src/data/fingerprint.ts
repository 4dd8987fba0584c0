/**
 * What a search was trained on, in a few hundred bytes kept with it: each input file's size, modification time and a
 * hash of its first and last MiB (cache-key.ts), and a sha256 of the encoded rows themselves. A resume, a retrain or a
 * worker compares the fingerprint of the data it loads with the stored one: the encoded rows decide (a file touched
 * but unchanged is fine; a file edited in the middle, with its size kept, is not), and the files say what changed.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { EncodedDataset } from './encoded-dataset.js';
import type { InputFingerprint } from './cache-key.js';

export interface DataFingerprint {
  /** Input files, paths relative to the space file's folder (none for synthetic data). */
  files: { path: string; size: number; mtimeMs: number; edges: string }[];
  rows: number;
  splits: { train: number; valid: number; test: number };
  /** sha256 of the encoded ids, labels, split ranges and each field's vocabulary. */
  content: string;
}

/**
 * sha256 of what the engine reads (ids, labels, split ranges) and of what the ids mean (each field's kept keys, since
 * the same ids over swapped values are another dataset to an exported model). Native hashing, ~1 GB/s; computed
 * once per parse and kept in the cache file. The vocabulary's key digest spares formatting every value string.
 */
export function contentHash(dataset: EncodedDataset): string {
  const hash = createHash('sha256');
  hash.update(new Uint8Array(dataset.ids.buffer, dataset.ids.byteOffset, dataset.ids.byteLength));
  hash.update(new Uint8Array(dataset.labels.buffer, dataset.labels.byteOffset, dataset.labels.byteLength));
  hash.update(JSON.stringify(dataset.splits));
  for (const f of dataset.fields) {
    hash.update(`\u0000${f.name}\u0000${f.oovId}\u0000`);
    hash.update(f.keyDigest);
  }
  return hash.digest('hex');
}

export function fingerprintOf(
  dataset: EncodedDataset,
  inputs: readonly InputFingerprint[],
  baseDir: string,
  content: string,
): DataFingerprint {
  const size = (r: { start: number; end: number }) => r.end - r.start;
  return {
    files: inputs.map((f) => ({
      path: path.relative(baseDir, f.path) || f.path,
      size: f.size,
      mtimeMs: f.mtimeMs,
      edges: f.edges,
    })),
    rows: dataset.numRows,
    splits: { train: size(dataset.splits.train), valid: size(dataset.splits.valid), test: size(dataset.splits.test) },
    content,
  };
}

/** Whether a stored value is a fingerprint (events written before fingerprints existed carry none). */
export function isFingerprint(x: unknown): x is DataFingerprint {
  const f = x as DataFingerprint | null | undefined;
  return typeof f?.content === 'string' && Array.isArray(f.files) && typeof f.rows === 'number';
}

/** What differs between the data then and now, in a few words; null when the encoded rows are the same. */
export function dataChange(then: DataFingerprint, now: DataFingerprint): string | null {
  if (then.content === now.content) return null;
  const rows = `${then.rows.toLocaleString('en-US')} rows then, ${now.rows.toLocaleString('en-US')} now`;
  const names = (f: DataFingerprint) => f.files.map((x) => x.path).join(', ');
  if (names(then) !== names(now))
    return `the input files were ${names(then) || 'none'}, now ${names(now) || 'none'} (${rows})`;
  const i = then.files.findIndex(
    (f, k) => f.size !== now.files[k].size || f.edges !== now.files[k].edges || f.mtimeMs !== now.files[k].mtimeMs,
  );
  if (i >= 0) {
    const a = then.files[i];
    const b = now.files[i];
    const size =
      a.size !== b.size
        ? `${a.size.toLocaleString('en-US')} → ${b.size.toLocaleString('en-US')} bytes`
        : 'same size, other content';
    return `${b.path} changed (${size}, modified ${new Date(b.mtimeMs).toISOString()}; ${rows})`;
  }
  return `the encoded rows differ (${rows})`;
}

/**
 * The first fingerprint in a search's event log, or null for a search started before fingerprints were kept. It is
 * kept in the `dataset` events (one per start or resume, all equal once a resume has checked it), so it needs no
 * column of its own and older databases stay valid.
 */
export function storedFingerprint(events: readonly { kind: string; payload: unknown }[]): DataFingerprint | null {
  for (const e of events) {
    const f = (e.payload as { fingerprint?: unknown } | null)?.fingerprint;
    if (e.kind === 'dataset' && isFingerprint(f)) return f;
  }
  return null;
}
