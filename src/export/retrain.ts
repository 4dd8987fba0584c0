/**
 * The final retrain of an exported trial: its config and seed, trained on train + valid for as many epochs as its best
 * epoch in the search, then evaluated once on the test split — the only place embnas ever reads the test split — and
 * saved as a model folder (see saved-model/).
 *
 * The data is loaded exactly as a resume loads it: from the space text stored with the search, relative paths
 * resolved against the folder of the space file.
 */
import path from 'node:path';
import type { EncodedDataset } from '../data/encoded-dataset.js';
import { hasTestSplit } from '../data/role-paths.js';
import { dataChange, storedFingerprint, type DataFingerprint } from '../data/fingerprint.js';
import { loadDataset } from '../data/load-dataset.js';
import type { BackendChoice } from '../engine/index.js';
import type { BackendName } from '../engine/trial-config.js';
import { UsageError } from '../errors.js';
import { parseSpace } from '../space/load-space.js';
import type { SearchRecord, TrialRecord, TrialStore } from '../store/trial-store.js';
import { retrainAndSave } from './retrain-and-save.js';

export { criteoHexOf, vocabLines } from './vocab-lines.js';
import { checkModelDir } from './saved-model/index.js';

export interface RetrainOptions {
  /** Trial number; default: the best completed trial by reward. */
  trial?: number;
  /** Folder of the saved model; default `<search>-trial<N>-model` in the working folder. */
  modelDir?: string;
  backend?: BackendChoice;
  /** Caps batches per epoch (quick runs and tests). */
  maxBatchesPerEpoch?: number;
  /** Data cache folder (default: loadDataset's). */
  cacheDir?: string;
  /** Progress lines (loading, training). */
  log?: (line: string) => void;
}

export interface RetrainOutcome {
  search: SearchRecord;
  trial: TrialRecord;
  /** Epochs trained on train + valid: the trial's best epoch count in the search. */
  epochs: number;
  trainRows: number;
  test: { auc: number; logloss: number; rows: number };
  /** The trial's validation AUC in the search (trained on train alone). */
  searchValidAuc: number;
  memoryBytes: number;
  modelDir: string;
  backend: BackendName;
  seconds: number;
  /** The engine's test-set logits, in row order (to check the saved model against). */
  testLogits: Float32Array;
}

export async function retrainTrial(
  store: TrialStore,
  search: string | number,
  opts: RetrainOptions = {},
): Promise<RetrainOutcome> {
  const started = performance.now();
  const s = await store.getSearch(search);
  const trial = await chooseTrial(store, s, opts.trial);
  const modelDir = opts.modelDir ?? `${s.name.replace(/[^A-Za-z0-9_.-]/g, '_')}-trial${trial.number}-model`;
  checkModelDir(modelDir); // before the (long) training, not after it
  const { space } = parseSpace(s.spaceText, s.spacePath);
  if (!hasTestSplit(space.data)) {
    throw new UsageError(
      `search '${s.name}' has no test split (data.split.test is 0, or data.path names no test files, in ${s.spacePath})`,
      'run a search whose space sets data.split.test > 0 or data.path.test',
    );
  }
  opts.log?.(`loading the data of search '${s.name}' (${s.spacePath})`);
  const { dataset, fingerprint } = await loadDataset(space.data, path.dirname(s.spacePath), {
    cacheDir: opts.cacheDir,
  });
  await checkSameData(store, s, dataset, fingerprint);

  const epochs = trial.result!.bestEpoch + 1;
  opts.log?.(`retraining trial ${trial.number}`);
  const r = await retrainAndSave({
    config: trial.config,
    dataset,
    spec: space.data,
    epochs,
    modelDir,
    search: { id: s.id, name: s.name, spaceHash: s.spaceHash },
    trial: trial.number,
    searchValidAuc: trial.result!.validAuc,
    backend: opts.backend,
    maxBatchesPerEpoch: opts.maxBatchesPerEpoch,
    log: opts.log,
  });
  return {
    search: s,
    trial,
    epochs,
    trainRows: r.trainRows,
    test: r.test,
    searchValidAuc: trial.result!.validAuc,
    memoryBytes: r.memoryBytes,
    modelDir,
    backend: r.backend,
    seconds: (performance.now() - started) / 1000,
    testLogits: r.testLogits,
  };
}

async function chooseTrial(store: TrialStore, s: SearchRecord, number: number | undefined): Promise<TrialRecord> {
  const completed = await store.listTrials(s.id, { status: 'completed', orderBy: 'reward' });
  if (completed.length === 0)
    throw new UsageError(
      `search '${s.name}' has no completed trial yet`,
      `run it further with \`embnas resume ${s.name}\``,
    );
  if (number === undefined) return completed[0];
  const t = completed.find((x) => x.number === number);
  if (!t)
    throw new UsageError(
      `--trial ${number}: search '${s.name}' has no completed trial ${number}`,
      'see `embnas show` for trial numbers',
    );
  return t;
}

/** The trial's table sizes were those of the data the search read; a changed file would silently shift every id. */
async function checkSameData(
  store: TrialStore,
  s: SearchRecord,
  dataset: EncodedDataset,
  fingerprint: DataFingerprint,
): Promise<void> {
  const events = await store.events(s.id);
  const stored = storedFingerprint(events);
  const change = stored === null ? null : dataChange(stored, fingerprint);
  if (change !== null) {
    throw new UsageError(
      `the data of search '${s.name}' changed since it ran: ${change}`,
      `restore the data ${dataset.source} as it was, or run a new search`,
    );
  }
  const ev = events.filter((e) => e.kind === 'dataset').at(-1);
  const then = (ev?.payload as { fields?: { name: string; rows: number }[] } | undefined)?.fields;
  if (then === undefined) return;
  const now = dataset.fields;
  const changed =
    then.length !== now.length ? null : then.findIndex((f, i) => f.name !== now[i].name || f.rows !== now[i].rows);
  if (changed === -1) return;
  const what =
    changed === null
      ? `${now.length} fields now, ${then.length} when it ran`
      : `field '${now[changed].name}' has ${now[changed].rows} rows now, '${then[changed].name}' had ${then[changed].rows} when it ran`;
  throw new UsageError(
    `the data of search '${s.name}' changed since it ran (${what})`,
    `restore the data ${dataset.source} as it was, or run a new search`,
  );
}
