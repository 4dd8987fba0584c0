/**
 * Binary on-disk cache of an EncodedDataset.
 *
 * Layout (little-endian): "EMBNASDC" | u32 version | u32 header length H | H bytes of JSON (key, fields, splits,
 * stats, checksum) | per field its counts (Int32 × rows_f) | ids (Int32 × numRows·F) | labels (Float32 × numRows).
 * Ids and labels are read straight into SharedArrayBuffers. Files are written to a temporary name and renamed, so a
 * reader never sees half a file. Anything unexpected on read (old version, other key, wrong size, an id out of range,
 * a checksum mismatch) makes the file count as absent: a cache is never trusted over the input.
 */
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { sharedFloat32, sharedInt32, type EncodedDataset, type EncodedField } from './encoded-dataset.js';
import type { ReadStats } from './row-sink.js';
import { CACHE_VERSION } from './cache-key.js';

const MAGIC = Buffer.from('EMBNASDC', 'latin1');
const PREAMBLE = 16;
/** Largest single read/write; fs calls are limited to about 2 GiB each. */
const IO_CHUNK = 1 << 30;

type FieldMeta = Omit<EncodedField, 'counts'>;

interface CacheHeader {
  key: string;
  source: string;
  numRows: number;
  fields: FieldMeta[];
  splits: EncodedDataset['splits'];
  stats: ReadStats;
  checksum: number;
  /** The dataset's content hash (fingerprint.ts), kept so a cached load need not hash the rows again. */
  content: string;
}

/** The default cache folder: $EMBNAS_CACHE_DIR, else .embnas-cache/ in the working folder (inputs may be read-only). */
export function defaultCacheDir(): string {
  return process.env.EMBNAS_CACHE_DIR || path.join(process.cwd(), '.embnas-cache');
}

/**
 * The cache file of a dataset: a readable stem (input name), the start of its family (what it is read from, see
 * cacheFamily) and the start of the key (the inputs' contents too).
 */
export function cacheFileName(stem: string, family: string, key: string): string {
  const safe = stem.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'data';
  return `${safe}-${family.slice(0, 8)}-${key.slice(0, 16)}.embnas`;
}

/** Removes the other cache files of `file`'s family (and their truth files): older versions of the same data. */
export function removeStaleCaches(file: string): void {
  const dir = path.dirname(file);
  const name = path.basename(file);
  const family = name.slice(0, name.lastIndexOf('-') + 1);
  const keep = new Set([name, name.replace(/\.embnas$/, '.truth.json')]);
  for (const other of readdirSync(dir)) {
    if (
      other.startsWith(family) &&
      !keep.has(other) &&
      /^[0-9a-f]{16}\.(embnas|truth\.json)$/.test(other.slice(family.length))
    ) {
      rmSync(path.join(dir, other), { force: true });
    }
  }
}

/** A cheap order-sensitive hash of the rows, so flipped bytes that stay in range are still noticed. */
function checksumOf(ids: Int32Array, labels: Float32Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < ids.length; i++) h = Math.imul(h ^ ids[i], 0x01000193);
  for (let i = 0; i < labels.length; i++) h = Math.imul(h ^ (labels[i] === 1 ? 1 : 0), 0x01000193);
  return h >>> 0;
}

function bytesOf(a: Int32Array | Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, Math.min(IO_CHUNK, bytes.length - off));
}

function readAll(fd: number, into: Uint8Array, position: number): boolean {
  for (let off = 0; off < into.length;) {
    const n = readSync(fd, into, off, Math.min(IO_CHUNK, into.length - off), position + off);
    if (n === 0) return false;
    off += n;
  }
  return true;
}

/** Writes `content` to `file` atomically (a temporary file in the same folder, then a rename). */
export function writeFileAtomic(file: string, write: (fd: number) => void): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    write(fd);
    closeSync(fd);
    renameSync(tmp, file);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, (fd) => writeFileSync(fd, JSON.stringify(value, null, 2) + '\n'));
}

export function writeCachedDataset(
  file: string,
  key: string,
  dataset: EncodedDataset,
  stats: ReadStats,
  content: string,
): void {
  const header: CacheHeader = {
    key,
    source: dataset.source,
    numRows: dataset.numRows,
    fields: dataset.fields.map(({ counts: _counts, ...meta }) => meta),
    splits: dataset.splits,
    stats,
    checksum: checksumOf(dataset.ids, dataset.labels),
    content,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const preamble = Buffer.alloc(PREAMBLE);
  MAGIC.copy(preamble, 0);
  preamble.writeUInt32LE(CACHE_VERSION, 8);
  preamble.writeUInt32LE(json.length, 12);
  writeFileAtomic(file, (fd) => {
    writeAll(fd, preamble);
    writeAll(fd, json);
    for (const f of dataset.fields) writeAll(fd, bytesOf(f.counts));
    writeAll(fd, bytesOf(dataset.ids));
    writeAll(fd, bytesOf(dataset.labels));
  });
}

export interface CachedDataset {
  dataset: EncodedDataset;
  stats: ReadStats;
  /** The content hash written with it. */
  content: string;
}

/** The cached dataset with this key, or null when the file is absent, stale, of another version, or damaged. */
export function readCachedDataset(file: string, key: string): CachedDataset | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    return readOpen(fd, key);
  } catch {
    return null; // unparsable header, impossible sizes…: treated as absent and rewritten
  } finally {
    closeSync(fd);
  }
}

function readOpen(fd: number, key: string): CachedDataset | null {
  const size = fstatSync(fd).size;
  const preamble = Buffer.alloc(PREAMBLE);
  if (size < PREAMBLE || !readAll(fd, preamble, 0)) return null;
  if (!preamble.subarray(0, 8).equals(MAGIC) || preamble.readUInt32LE(8) !== CACHE_VERSION) return null;
  const jsonLength = preamble.readUInt32LE(12);
  if (PREAMBLE + jsonLength > size) return null;
  const json = Buffer.alloc(jsonLength);
  if (!readAll(fd, json, PREAMBLE)) return null;
  const header = JSON.parse(json.toString('utf8')) as CacheHeader;
  if (
    header.key !== key ||
    !Number.isInteger(header.numRows) ||
    !Array.isArray(header.fields) ||
    typeof header.content !== 'string'
  )
    return null;
  const F = header.fields.length;
  const n = header.numRows;
  const { train, valid, test } = header.splits;
  if (train.start !== 0 || train.end !== valid.start || valid.end !== test.start || test.end !== n) return null;
  const countBytes = header.fields.reduce((s, f) => s + f.rows * 4, 0);
  if (size !== PREAMBLE + jsonLength + countBytes + n * F * 4 + n * 4) return null;

  let pos = PREAMBLE + jsonLength;
  const fields: EncodedField[] = [];
  for (const meta of header.fields) {
    const counts = new Int32Array(meta.rows);
    if (!readAll(fd, bytesOf(counts), pos)) return null;
    pos += counts.byteLength;
    fields.push({ ...meta, counts });
  }
  const ids = sharedInt32(n * F);
  const labels = sharedFloat32(n);
  if (!readAll(fd, bytesOf(ids), pos) || !readAll(fd, bytesOf(labels), pos + ids.byteLength)) return null;
  if (!rowsAreValid(ids, labels, fields) || checksumOf(ids, labels) !== header.checksum) return null;
  const dataset: EncodedDataset = { source: header.source, fields, numRows: n, ids, labels, splits: header.splits };
  return { dataset, stats: header.stats, content: header.content };
}

function rowsAreValid(ids: Int32Array, labels: Float32Array, fields: EncodedField[]): boolean {
  const F = fields.length;
  const rows = Int32Array.from(fields, (f) => f.rows);
  for (let p = 0; p < ids.length; p += F) {
    for (let f = 0; f < F; f++) {
      const id = ids[p + f];
      if (id < 0 || id >= rows[f]) return false;
    }
  }
  for (let i = 0; i < labels.length; i++) if (labels[i] !== 0 && labels[i] !== 1) return false;
  return true;
}
