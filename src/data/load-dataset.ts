/**
 * The data room's entry point: a `data:` section in, an EncodedDataset out — from the cache when its key matches,
 * otherwise read, encoded, split and written to the cache for next time.
 */
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { DataSpec } from '../space/data-schema.js';
import type { EncodedDataset } from './encoded-dataset.js';
import type { ReadStats } from './row-sink.js';
import { openReader } from './readers/index.js';
import { openRoleReader } from './role-reader.js';
import { checkListedOnce, pathsOf, rolesOf } from './role-paths.js';
import { encodeReader } from './encode-reader.js';
import { SyntheticReader, syntheticSource, syntheticSpecOf } from './synthetic.js';
import { readTruthFile, type SyntheticTruth } from './synthetic-truth.js';
import { cacheFamily, cacheKey, fingerprintFile, inputFiles } from './cache-key.js';
import {
  cacheFileName,
  defaultCacheDir,
  readCachedDataset,
  removeStaleCaches,
  writeCachedDataset,
  writeJsonAtomic,
} from './cache.js';
import { contentHash, fingerprintOf, type DataFingerprint } from './fingerprint.js';

export interface LoadOptions {
  /** Where cached datasets live (default: $EMBNAS_CACHE_DIR, else .embnas-cache/ in the working folder). */
  cacheDir?: string;
  /** Rows read so far, every 65,536 rows and once at the end. */
  onProgress?: (rows: number) => void;
}

export interface LoadedDataset {
  dataset: EncodedDataset;
  stats: ReadStats;
  fromCache: boolean;
  /** Ground truth of a synthetic dataset. */
  truth?: SyntheticTruth;
  seconds: number;
  /** The cache file used or written (absent with `cache: false`). */
  cacheFile?: string;
  /** Set when the cache could not be written (e.g. a read-only folder): the data is fine, the next load re-reads. */
  cacheWarning?: string;
  /** What the data is, to store with a search and compare on resume (fingerprint.ts). */
  fingerprint: DataFingerprint;
}

export async function loadDataset(spec: DataSpec, baseDir: string, opts: LoadOptions = {}): Promise<LoadedDataset> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  rejectStrayOptions(spec);
  const synthetic = spec.format === 'synthetic' ? syntheticSpecOf(spec) : null;
  // Opening a file reader checks paths and options before the cache is consulted, so errors do not depend on it.
  const roles = rolesOf(spec);
  if (synthetic === null) checkListedOnce(spec, baseDir);
  const fileReader =
    synthetic !== null ? null : roles !== null ? openRoleReader(spec, baseDir, roles) : openReader(spec, baseDir);
  const files = inputFiles(spec, baseDir);
  const source = synthetic !== null ? syntheticSource(synthetic) : shownPaths(spec, baseDir);

  const inputs = files.map(fingerprintFile);
  const fingerprint = (dataset: EncodedDataset, content: string) => fingerprintOf(dataset, inputs, baseDir, content);
  let cacheFile: string | undefined;
  let truthFile: string | undefined;
  let key = '';
  if (spec.cache) {
    key = cacheKey(spec, inputs);
    const stem = synthetic !== null ? `synthetic-seed${synthetic.seed}` : path.basename(firstPath(spec));
    cacheFile = path.join(opts.cacheDir ?? defaultCacheDir(), cacheFileName(stem, cacheFamily(spec, files), key));
    truthFile = cacheFile.replace(/\.embnas$/, '.truth.json');
    const hit = readCachedDataset(cacheFile, key);
    const truth = hit !== null && synthetic !== null ? readTruthFile(truthFile) : null;
    if (hit !== null && (synthetic === null || truth !== null)) {
      opts.onProgress?.(hit.dataset.numRows);
      const { content, ...rest } = hit;
      return {
        ...rest,
        fromCache: true,
        truth: truth ?? undefined,
        seconds: seconds(),
        cacheFile,
        fingerprint: fingerprint(hit.dataset, content),
      };
    }
  }

  const syntheticReader = synthetic !== null ? new SyntheticReader(synthetic, spec.fields) : null;
  const reader = syntheticReader ?? fileReader!;
  const { dataset, stats, plan } = await encodeReader(reader, spec, source, opts.onProgress);
  const truth = syntheticReader?.truth(plan.assign);
  const content = contentHash(dataset);

  let cacheWarning: string | undefined;
  if (cacheFile !== undefined) {
    try {
      writeCachedDataset(cacheFile, key, dataset, stats, content);
      if (truth !== undefined) writeJsonAtomic(truthFile!, truth);
      removeStaleCaches(cacheFile); // the same data at an earlier moment: replaced, not accumulated
    } catch (e) {
      cacheWarning = `could not write the data cache ${cacheFile}: ${(e as Error).message}`;
    }
  }
  return {
    dataset,
    stats,
    fromCache: false,
    truth,
    seconds: seconds(),
    cacheFile,
    cacheWarning,
    fingerprint: fingerprint(dataset, content),
  };
}

/** Options that the chosen format would silently ignore are mistakes (the file readers check their own). */
function rejectStrayOptions(spec: DataSpec): void {
  if (spec.format !== 'synthetic') {
    if (spec.synthetic !== undefined) {
      throw new UsageError(
        `data.synthetic: only format synthetic uses this section, not ${spec.format}`,
        'remove data.synthetic',
      );
    }
    return;
  }
  const stray = (['path', 'label', 'positive', 'numeric', 'columns', 'delimiter', 'missing'] as const).find(
    (key) => spec[key] !== undefined,
  );
  if (stray !== undefined) {
    throw new UsageError(
      `data.${stray}: format synthetic generates its rows and does not use it`,
      `remove data.${stray}`,
    );
  }
}

/** data.path as the user would recognize it: relative to the working folder, files (or the folder) as listed. */
function shownPaths(spec: DataSpec, baseDir: string): string {
  return pathsOf(spec)
    .map((p) => path.relative(process.cwd(), path.resolve(baseDir, p)) || p)
    .join(', ');
}

/** The first data.path as written (a file or the MovieLens folder): it names the cache file. */
function firstPath(spec: DataSpec): string {
  return pathsOf(spec)[0] ?? 'data';
}
