/**
 * The cache key of an encoded dataset: what the input files are (path, size, mtime, and a hash of their first and last
 * MiB, which catches an in-place rewrite that kept size and mtime) plus every setting that changes the encoding.
 * Hashing whole files would cost as much as reading them; the ends are enough to notice a different file.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, readdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { SyntheticSchema, type DataSpec } from '../space/data-schema.js';
import { pathsOf, rolesOf } from './role-paths.js';

/** Bump whenever the file layout or the encoding itself (vocabulary, split, synthetic generator) changes. */
export const CACHE_VERSION = 2;

const EDGE_BYTES = 1 << 20;

export interface InputFingerprint {
  path: string;
  size: number;
  mtimeMs: number;
  /** sha1 of the first and last MiB (the whole file when it is smaller than 2 MiB). */
  edges: string;
}

/** The input files of a spec, absolute: data.path resolved against `baseDir`, folders expanded to their files. */
export function inputFiles(spec: DataSpec, baseDir: string): string[] {
  if (spec.format === 'synthetic') return [];
  if (spec.path === undefined) {
    throw new UsageError(
      `data.path: required for format ${spec.format}`,
      'add the input file (or folder) as data.path',
    );
  }
  const files: string[] = [];
  for (const p of pathsOf(spec)) {
    const abs = path.resolve(baseDir, p);
    const st = statOrThrow(abs, p);
    if (st.isDirectory()) {
      for (const name of readdirSync(abs).sort()) {
        const child = path.join(abs, name);
        if (statSync(child).isFile()) files.push(child);
      }
    } else {
      files.push(abs);
    }
  }
  return files;
}

function statOrThrow(abs: string, asWritten: string): Stats {
  try {
    return statSync(abs);
  } catch {
    throw new UsageError(
      `data.path: ${asWritten} does not exist (looked for ${abs})`,
      'fix the path; relative paths are resolved against the folder of the space file',
    );
  }
}

export function fingerprintFile(file: string): InputFingerprint {
  const st = statSync(file);
  const hash = createHash('sha1');
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(Math.min(st.size, 2 * EDGE_BYTES));
    if (st.size <= 2 * EDGE_BYTES) {
      hash.update(buf.subarray(0, readFully(fd, buf, 0, st.size, 0)));
    } else {
      hash.update(buf.subarray(0, readFully(fd, buf, 0, EDGE_BYTES, 0)));
      hash.update(buf.subarray(0, readFully(fd, buf, 0, EDGE_BYTES, st.size - EDGE_BYTES)));
    }
  } finally {
    closeSync(fd);
  }
  return { path: file, size: st.size, mtimeMs: st.mtimeMs, edges: hash.digest('hex') };
}

function readFully(fd: number, buf: Buffer, offset: number, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, offset + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** JSON with object keys sorted, so the key does not depend on the order the settings were written in. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Hex sha256 of the cache version, the inputs, and the spec's settings (all of it but `path` and `cache`; with files
 * by role, how many files each role has, since the inputs list them in role order).
 */
export function cacheKey(spec: DataSpec, inputs: readonly InputFingerprint[]): string {
  return createHash('sha256')
    .update(stableJson({ version: CACHE_VERSION, inputs, settings: settingsOf(spec) }))
    .digest('hex');
}

/**
 * Hex sha256 of what the data is read from (the input files' paths and the settings), without the files' contents:
 * cache files of one family hold the same data at different moments, so a new one replaces the others.
 */
export function cacheFamily(spec: DataSpec, files: readonly string[]): string {
  return createHash('sha256')
    .update(stableJson({ files, settings: settingsOf(spec) }))
    .digest('hex');
}

function settingsOf(spec: DataSpec): Record<string, unknown> {
  const { path: _path, cache: _cache, ...settings } = spec;
  // An absent synthetic section means its defaults: the same rows as writing them out.
  if (spec.format === 'synthetic') settings.synthetic = spec.synthetic ?? SyntheticSchema.parse({});
  const roles = rolesOf(spec);
  return roles === null
    ? settings
    : { ...settings, roles: { train: roles.train.length, valid: roles.valid.length, test: roles.test.length } };
}
