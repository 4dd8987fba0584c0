/**
 * What a session checks and prepares before a search runs: the data loaded (with its fingerprint), both classes in
 * train and valid, and the space and the data unchanged since the search started.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadDataset } from '../data/load-dataset.js';
import { dataChange, storedFingerprint, type DataFingerprint } from '../data/fingerprint.js';
import type { EncodedDataset } from '../data/encoded-dataset.js';
import type { SyntheticTruth } from '../data/synthetic-truth.js';
import { UsageError } from '../errors.js';
import { hashText, parseSpace } from '../space/load-space.js';
import type { Space } from '../space/schema.js';
import type { SearchRecord, TrialStore } from '../store/trial-store.js';
import { sinceStart } from './start-flags.js';

export interface LoadedData {
  dataset: EncodedDataset;
  fingerprint: DataFingerprint;
  /** What a synthetic dataset planted (synthetic-truth.ts). */
  truth?: SyntheticTruth;
}

/** `tick` is called as rows are read (a Heartbeat's: a long load keeps the search's owner alive). */
export async function loadData(
  space: Space,
  baseDir: string,
  spaceFile: string,
  log?: (line: string) => void,
  tick?: () => void,
): Promise<LoadedData> {
  const t0 = Date.now();
  const { dataset, fromCache, stats, fingerprint, truth } = await loadDataset(
    space.data,
    baseDir,
    tick ? { onProgress: tick } : {},
  );
  const how = fromCache ? 'from cache' : 'parsed';
  log?.(
    `data: ${dataset.numRows} rows × ${dataset.fields.length} fields ${how} in ${((Date.now() - t0) / 1000).toFixed(1)} s (${spaceFile})`,
  );
  if (stats.skipped > 0)
    log?.(`data: skipped ${stats.skipped} bad row(s), e.g. ${stats.skippedExamples.slice(0, 3).join('; ')}`);
  checkBothClasses(dataset, spaceFile);
  return { dataset, fingerprint, ...(truth ? { truth } : {}) };
}

/**
 * A search trains on the train split and ranks by AUC on the valid split: both need positive and negative rows, or
 * every trial fails (or scores a meaningless 0.5). Found once at load, not per trial.
 */
export function checkBothClasses(dataset: EncodedDataset, spaceFile: string): void {
  for (const split of ['train', 'valid'] as const) {
    const { start, end } = dataset.splits[split];
    let positives = 0;
    for (let r = start; r < end; r++) if (dataset.labels[r] > 0.5) positives++;
    const rows = end - start;
    if (rows > 0 && positives > 0 && positives < rows) continue;
    const what =
      rows === 0 ? 'has no rows' : `has only ${positives === 0 ? 'negative' : 'positive'} labels (${rows} rows)`;
    throw new UsageError(
      `${spaceFile}: the ${split} split of ${dataset.source} ${what}; a search needs both classes in train and valid`,
      'check data.label and data.positive (which values count as a click), or, with rare positives, ' +
        `give the ${split} split more rows (data.split)`,
    );
  }
}

/** A resume trains on the rows the search started with; changed data means a different search. */
export async function checkDataUnchanged(store: TrialStore, search: SearchRecord, now: DataFingerprint): Promise<void> {
  // A search whose data never finished loading has no fingerprint yet: nothing to compare against, the data is taken.
  const then = storedFingerprint(await sinceStart(store, search.id));
  const what = then === null ? null : dataChange(then, now);
  if (what === null) return;
  throw new UsageError(
    `the data of search '${search.name}' changed since it started: ${what}`,
    `restore the data as it was, or start a new search on it with \`embnas run ${search.spacePath} --name <new name>\``,
  );
}

/**
 * The space file whose folder holds a search's data on this machine (a resume, a worker): `given` (--space, a copy of
 * the file the search started with, wherever it is here) or the path the search started from. A given copy must exist
 * and hold the same text; the original, where it exists, must be unchanged (only --trials may change on resume). A
 * search whose data is read from files needs one of them; a synthetic one runs on its stored space text alone.
 */
export function spaceFileHere(search: SearchRecord, given: string | undefined): string {
  if (given !== undefined) {
    if (!existsSync(given))
      throw new UsageError(`--space ${given}: no such file`, "pass this machine's copy of the search's space file");
    if (hashText(readFileSync(given, 'utf8')) !== search.spaceHash) {
      throw new UsageError(
        `--space ${given}: not the space search '${search.name}' started with`,
        `use a copy of ${search.spacePath} as it was when the search started`,
      );
    }
    return given;
  }
  if (!existsSync(search.spacePath)) {
    if (parseSpace(search.spaceText, search.spacePath).space.data.format === 'synthetic') return search.spacePath;
    throw new UsageError(
      `search '${search.name}': its space file ${search.spacePath} (and the data beside it) is not on this machine`,
      'copy the space file and its data here (same relative paths) and pass --space <file>',
    );
  }
  if (hashText(readFileSync(search.spacePath, 'utf8')) !== search.spaceHash) {
    throw new UsageError(
      `${search.spacePath} changed since search '${search.name}' started`,
      'only --trials may change on resume: restore the file, or start a new search with `embnas run <space> --name <new name>`',
    );
  }
  return search.spacePath;
}
