/**
 * A search from a script: start or resume one, hear about each finished trial and the progress, stop it. The same
 * sessions as `embnas run` / `embnas resume` (same store, same determinism, same resume), without a terminal: no
 * signal handler is installed and nothing is printed unless `log` is given.
 */
import type { BackendName } from '../engine/trial-config.js';
import type { ControllerKind } from '../controllers/registry.js';
import type { SearchOutcome } from '../search/search-runner.js';
import type { Session } from '../search/session.js';
import { storePath } from './store.js';

/** A finished trial, as the search reports it (the store's TrialRecord has everything else). */
export interface TrialEvent {
  number: number;
  status: 'completed' | 'failed';
  validAuc?: number;
  memoryBytes?: number;
  reward?: number;
  /** Answered from an earlier trial with the same configuration, not trained again. */
  cacheHit: boolean;
  error?: string;
}

/** Where the search stands, after any change (a trial started, progressed or finished). */
export interface ProgressEvent {
  trialsDone: number;
  trialsTotal: number;
  bestReward?: number;
  elapsedMs: number;
}

export interface SearchOptions {
  /** The trial database (SQLite file: a path or a `file:` URL); default `trials.db` in the working directory. */
  db?: string | URL;
  /** Trials trained at once, one worker thread each; default: the space's `search.workers`, else the cores. */
  workers?: number;
  backend?: 'auto' | BackendName;
  /** Caps training batches per epoch (quick smoke runs). */
  maxBatchesPerEpoch?: number;
  /** Lines about loading the data. */
  log?: (line: string) => void;
  onTrial?: (t: TrialEvent) => void;
  onProgress?: (p: ProgressEvent) => void;
}

export interface StartSearchOptions extends SearchOptions {
  /** The search-space YAML file. */
  space: string;
  /** Default: the space's `name:`, else the file's name. */
  name?: string;
  trials?: number;
  seed?: number;
  controller?: ControllerKind;
  mode?: 'pertrial' | 'oneshot';
}

export interface ResumeSearchOptions extends SearchOptions {
  /** The search's name or id. */
  search: string;
  /** A new trial budget (only raises it). */
  trials?: number;
  /** This machine's copy of the search's space file, when it is not where the search started (as `--space`). */
  space?: string;
}

export interface RunningSearch {
  readonly id: number;
  readonly name: string;
  /** The command that continues the search from a shell. */
  readonly resumeCommand: string;
  /** Resolves when the search finishes or, after `stop()`, once running trials are handed back; rejects on a failure. */
  readonly done: Promise<SearchOutcome>;
  /** Graceful stop: no new trials; the running ones are handed back for a resume. */
  stop(): void;
}

/** Starts a search (as `embnas run`); it runs in the background until `done`. */
export async function runSearch(o: StartSearchOptions): Promise<RunningSearch> {
  const { startSearch } = await import('../search/start-search.js');
  const { space, ...rest } = o;
  return running(await startSearch({ ...rest, spaceFile: space, db: storePath(o.db ?? 'trials.db') }), o);
}

/** Continues a stopped or interrupted search (as `embnas resume`). */
export async function resumeSearch(o: ResumeSearchOptions): Promise<RunningSearch> {
  const { resumeSearch: resume } = await import('../search/session.js');
  return running(await resume({ ...o, db: storePath(o.db ?? 'trials.db') }), o);
}

function running(session: Session, o: SearchOptions): RunningSearch {
  const { view } = session;
  if (o.onTrial) {
    const onTrial = o.onTrial;
    view.onFinished((t) =>
      onTrial({
        number: t.number,
        status: t.status,
        validAuc: t.validAuc,
        memoryBytes: t.memoryBytes,
        reward: t.reward,
        cacheHit: t.cacheHit,
        error: t.error,
      }),
    );
  }
  if (o.onProgress) {
    const onProgress = o.onProgress;
    view.subscribe(() => {
      const v = view.view;
      onProgress({
        trialsDone: v.trialsDone,
        trialsTotal: v.trialsTotal,
        bestReward: v.bestReward,
        elapsedMs: v.elapsedMs,
      });
    });
  }
  return {
    id: session.search.id,
    name: session.search.name,
    resumeCommand: session.resumeCommand,
    done: session.run(),
    stop: () => session.stop(),
  };
}
