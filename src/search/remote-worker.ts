/**
 * `embnas worker`: a process on any machine that trains the queued trials of searches driven elsewhere (`embnas run`
 * or `resume` with the same --db). It takes trials only from running searches whose data it has checked: it loads
 * the search's space (as stored) and data (from the space file's folder on this machine, or from --space), and its
 * data fingerprint must equal the one the driver recorded, else it refuses that search in one line — the same seed
 * must give the same trials wherever they train. Each claimed trial beats while it trains (a killed worker's trial
 * goes back to the queue once its beat is stale); a stopped worker hands its trials back at once. It never creates
 * the database: a location that holds none is refused in one line.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { dataChange, storedFingerprint } from '../data/fingerprint.js';
import type { BackendName } from '../engine/trial-config.js';
import { isUsageError, UsageError } from '../errors.js';
import { isDatabaseUrl, openStore } from '../store/index.js';
import { RUN_ID } from '../store/ownership.js';
import type { SearchRecord, TrialStore, TrialWorker } from '../store/trial-store.js';
import { ClaimLoop, trainOn, type TrainClaimed } from './claim-loop.js';
import { trialReward } from './reward.js';
import { loadData, spaceFileHere } from './session-checks.js';
import { sinceStart, storedSpace } from './start-flags.js';
import { TrialPool } from './trial-pool.js';
import { trainingSettings } from './training-settings.js';

export interface WorkerOptions {
  db: string;
  /** Only this search (id or name); the worker ends when it is no longer running. Else every running search. */
  search?: string;
  /** Trials trained at once (worker threads). */
  workers: number;
  /** Overrides the backend the driver asked for. */
  backend?: 'auto' | BackendName;
  /** This machine's copy of the search's space file, when it is not at the path the driver used. */
  space?: string;
  log: (line: string) => void;
  /** How long an idle worker waits between looks at the queue (ms). */
  pollMs?: number;
}

export interface WorkerSummary {
  trained: number;
  failed: number;
}

interface Prepared {
  search: SearchRecord;
  pool: TrialPool;
  train: TrainClaimed;
}

export interface RunningWorker {
  done: Promise<WorkerSummary>;
  /** Stops claiming, aborts what trains and hands it back to the queue. */
  stop(): void;
}

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const store = await openServedStore(o.db);
  const me: TrialWorker = { host: hostname(), pid: process.pid, run: RUN_ID };
  const prepared = new Map<number, Prepared>();
  const refused = new Set<number>();
  const summary: WorkerSummary = { trained: 0, failed: 0 };
  let serving: number[] = [];
  let failure: unknown;
  const loop = new ClaimLoop({
    store,
    searches: () => serving,
    worker: me,
    lanes: o.workers,
    releaseOnStop: true,
    pollMs: o.pollMs,
    train: (trial, onProgress, signal) => prepared.get(trial.searchId)!.train(trial, onProgress, signal),
    started: (t) => o.log(`trial ${t.number} of '${prepared.get(t.searchId)?.search.name}': training`),
    finished: (outcome, written) => {
      if (!written) return o.log(`trial ${outcome.number}: taken over by another worker, result dropped`);
      if (outcome.status === 'completed') summary.trained++;
      else summary.failed++;
      o.log(
        outcome.status === 'completed'
          ? `trial ${outcome.number}: completed, valid AUC ${outcome.result.validAuc.toFixed(4)}, reward ${outcome.reward.toFixed(4)}`
          : `trial ${outcome.number}: failed: ${outcome.error.split('\n')[0]}`,
      );
    },
    failed: (e) => {
      failure = e;
    },
  });
  let stopping = false;
  const stop = () => {
    stopping = true;
    loop.wake();
  };
  const done = (async () => {
    loop.start();
    try {
      const named = o.search === undefined ? undefined : new NamedSearch(store, o.search, o.log);
      while (!stopping && failure === undefined) {
        const searches = named ? await named.running() : await runningSearches(store);
        if (named?.ended && loop.training === 0) break;
        const ready: number[] = [];
        for (const s of searches) {
          const p = prepared.get(s.id) ?? (refused.has(s.id) ? undefined : await prepare(store, s, o, refused));
          if (p) prepared.set(s.id, p);
          if (p) ready.push(s.id);
        }
        serving = ready;
        await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
      }
    } finally {
      await loop.stop();
      for (const p of prepared.values()) await p.pool.close();
      await store.close();
    }
    if (failure !== undefined) throw failure;
    return summary;
  })();
  return { done, stop };
}

/**
 * The database of the searches to serve, which a driver made: a worker never creates one, so a misspelt file is one
 * line instead of an empty database it would wait on forever (and so is `:memory:`, which no driver can share).
 */
async function openServedStore(db: string): Promise<TrialStore> {
  const hint =
    'a worker serves the searches of `embnas run --db <the same location>`: pass that location (check its spelling)';
  if (db === ':memory:' || db === '')
    throw new UsageError(`--db ${db || "''"} is a database of one process alone, which a worker cannot share`, hint);
  if (!isDatabaseUrl(db) && !existsSync(db))
    throw new UsageError(`trial database ${db} does not exist, and a worker never creates one`, hint);
  return openStore(db, { mustExist: true });
}

async function runningSearches(store: TrialStore): Promise<SearchRecord[]> {
  return (await store.listSearches()).filter((s) => s.status === 'running');
}

/**
 * The one search a worker started with --search serves: waited for while it does not exist yet (the worker may start
 * before `embnas run`) or is stopped (until a resume), and ended once it stops running after the worker served it,
 * or when it is finished.
 */
class NamedSearch {
  ended = false;
  private served = false;
  private said = '';

  constructor(
    private readonly store: TrialStore,
    private readonly name: string,
    private readonly log: (line: string) => void,
  ) {}

  async running(): Promise<SearchRecord[]> {
    const s = (await this.store.listSearches()).find((x) => x.name === this.name || String(x.id) === this.name);
    if (s?.status === 'running') {
      this.served = true;
      return [s];
    }
    if (s && (this.served || s.status === 'finished')) {
      this.ended = true;
      this.say(`search '${s.name}' is ${s.status}`);
    } else {
      this.say(
        s
          ? `search '${s.name}' is ${s.status}: waiting for \`embnas resume ${s.name}\``
          : `no search '${this.name}' in ${this.store.location} yet: waiting for it to start`,
      );
    }
    return [];
  }

  private say(line: string): void {
    if (line !== this.said) this.log(line);
    this.said = line;
  }
}

/**
 * A search's space and data loaded here and checked against what its driver loaded; undefined while the driver has
 * not loaded its data yet (nothing to check against, and nothing dispatched), or when this machine's data differs —
 * then the search is refused: an error when it is the only one served, a line in the log otherwise.
 */
async function prepare(
  store: TrialStore,
  s: SearchRecord,
  o: WorkerOptions,
  refused: Set<number>,
): Promise<Prepared | undefined> {
  const events = await sinceStart(store, s.id);
  const then = storedFingerprint(events);
  const training = await trainingSettings(store, s.id);
  if (then === null || training === undefined) return undefined;
  try {
    const spaceFile = spaceFileHere(s, o.space);
    const space = await storedSpace(store, s);
    o.log(`search '${s.name}': loading its data from ${path.dirname(spaceFile)}`);
    const data = await loadData(space, path.dirname(spaceFile), spaceFile);
    const what = dataChange(then, data.fingerprint);
    if (what !== null) {
      throw new UsageError(
        `search '${s.name}': the data on this machine differs from the data it runs on: ${what}`,
        'give this machine the same data files (same content, same paths relative to the space file)',
      );
    }
    const pool = new TrialPool(data.dataset, {
      workers: o.workers,
      backend: o.backend && o.backend !== 'auto' ? o.backend : training.backend,
      maxBatchesPerEpoch: training.maxBatchesPerEpoch,
    });
    o.log(`search '${s.name}': serving its trials with ${o.workers} worker thread(s)`);
    return { search: s, pool, train: trainOn(pool, (result) => trialReward(space.reward, result)) };
  } catch (e) {
    refused.add(s.id);
    if (o.search !== undefined || !isUsageError(e)) throw e;
    o.log(`search '${s.name}' skipped: ${e.toLine()}`);
    return undefined;
  }
}
