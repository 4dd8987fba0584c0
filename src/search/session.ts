/**
 * Resuming a search and running it: everything between the CLI's flags and a running SearchRunner — the store, the
 * space, the data, the controller, ownership and its heartbeat, the worker pool — and the tidy end of all of it.
 * Starting one is start-search.ts, which ends here too.
 */
import { hostname } from 'node:os';
import path from 'node:path';
import type { EncodedDataset } from '../data/encoded-dataset.js';
import { backendLabel } from '../engine/native-addon.js';
import type { BackendName } from '../engine/trial-config.js';
import { UsageError } from '../errors.js';
import type { Space } from '../space/schema.js';
import { openStore } from '../store/index.js';
import type { SearchRecord, TrialStore } from '../store/trial-store.js';
import { controllerOptions, createController, FinalistsController, type Controller } from '../controllers/index.js';
import { finishedView, LiveView } from './live-view.js';
import { ONESHOT_SPACE_DEFAULTS } from './oneshot/oneshot-options.js';
import { runOneShotPhase } from './oneshot/oneshot-phase.js';
import { finalistProposals } from './oneshot/oneshot-summary.js';
import { plantedDims } from './planted-dims.js';
import { rewardFormula } from './reward.js';
import type { TrialRunner } from './search-listener.js';
import { SearchRunner, type SearchOutcome } from './search-runner.js';
import { Heartbeat } from './heartbeat.js';
import { checkDataUnchanged, loadData, spaceFileHere, type LoadedData } from './session-checks.js';
import { storedSpace } from './start-flags.js';
import { TrialPool } from './trial-pool.js';
import { TRAINING_EVENT, type TrainingSettings } from './training-settings.js';
import { memoryWorkerCap } from './memory-limit.js';
import { workerCount } from './worker-count.js';
import { searchChoices } from './trial-plan.js';

export interface SessionOptions {
  db: string;
  workers?: number;
  backend?: 'auto' | BackendName;
  /** Caps batches per epoch: quick smoke runs. */
  maxBatchesPerEpoch?: number;
  /** Progress lines about loading (the data can take a while). */
  log?: (line: string) => void;
  /**
   * Resume: this machine's copy of the search's space file, its data beside it (a search started on another machine,
   * or from another folder). The resume command printed at a stop repeats it.
   */
  space?: string;
}

export interface ResumeOptions extends SessionOptions {
  search: string;
  trials?: number;
}

export interface Session {
  search: SearchRecord;
  space: Space;
  dataset: EncodedDataset;
  view: LiveView;
  resumeCommand: string;
  /** What to run once it has ended: show, export and report it. */
  nextCommands: string[];
  /** Runs the search to its end (finished, stopped, or an error) and always releases the search and the workers. */
  run(): Promise<SearchOutcome>;
  /** Graceful stop: no new work; what is running is handed back for a resume (the supernet phase checkpoints). */
  stop(): void;
  /** Pauses or resumes starting new work. Returns the new state. */
  togglePause(): boolean;
}

export async function resumeSearch(o: ResumeOptions): Promise<Session> {
  const store = await openStore(o.db);
  let held: number | undefined;
  let heartbeat: Heartbeat | undefined;
  try {
    let search = await store.getSearch(o.search);
    const spaceFile = spaceFileHere(search, o.space);
    // Owned before the data loads (which can take long): a second run or resume is refused meanwhile.
    await store.acquire(search.id, { pid: process.pid, host: hostname() });
    held = search.id;
    heartbeat = new Heartbeat(store, search.id).start();
    const space = await storedSpace(store, search);
    if (o.trials !== undefined) {
      const done = (await store.getSummary(search.id)).counts;
      if (o.trials < done.completed + done.failed) {
        throw new UsageError(
          `--trials ${o.trials}: search '${search.name}' already has ${done.completed + done.failed} finished trials`,
          'pass a larger number',
        );
      }
      await store.setBudget(search.id, o.trials);
      search = await store.getSearch(search.id);
    }
    const data = await loadData(space, path.dirname(spaceFile), spaceFile, o.log, heartbeat.tick);
    await checkDataUnchanged(store, search, data.fingerprint);
    const choices = searchChoices(space, data.dataset, spaceFile);
    await store.appendEvent(search.id, 'resumed', { pid: process.pid, host: hostname(), trials: search.trialsBudget });
    return await openSession(store, search, space, data, choices, o, heartbeat);
  } catch (e) {
    heartbeat?.stop();
    if (held !== undefined) await store.release(held).catch(() => undefined);
    await store.close();
    throw e;
  }
}

/**
 * A search already acquired by this process, with its data loaded and checked, ready to run. Its heartbeat, started
 * when it was acquired, goes on until the end; a lost heartbeat (taken over, or the database failed) stops the
 * search without another write, and `run` rejects with why.
 */
export async function openSession(
  store: TrialStore,
  search: SearchRecord,
  space: Space,
  data: LoadedData,
  choices: ReturnType<typeof searchChoices>,
  o: SessionOptions,
  heartbeat: Heartbeat,
): Promise<Session> {
  const { dataset, fingerprint, truth } = data;
  const plantedTruth = truth && plantedDims(truth, choices.fields);
  const recovered = await store.recoverInterrupted(search.id);
  if (recovered.length > 0)
    o.log?.(`re-queued ${recovered.length} interrupted trial(s): ${recovered.map((t) => t.number).join(', ')}`);
  await store.setStatus(search.id, 'running');
  // Exports need each field's table size without loading the data again; a resume compares the fingerprint.
  await store.appendEvent(search.id, 'dataset', {
    source: dataset.source,
    rows: dataset.numRows,
    fields: dataset.fields.map((f) => ({ name: f.name, rows: f.rows, kept: f.kept, distinct: f.distinct })),
    fingerprint,
    ...(plantedTruth ? { truth: plantedTruth } : {}),
  });
  const requested = workerCount({ flag: o.workers, space: space.search.workers, trials: search.trialsBudget });
  if (requested.notice) o.log?.(requested.notice);
  const { workers, notice } = memoryWorkerCap(
    space,
    choices.fields,
    dataset.fields.map((f) => f.rows),
    requested.workers,
  );
  if (notice) o.log?.(notice);
  // What a worker on another machine needs to train this search's trials as this process would (remote-worker.ts).
  await store.appendEvent(search.id, TRAINING_EVENT, {
    backend: o.backend ?? 'auto',
    ...(o.maxBatchesPerEpoch !== undefined ? { maxBatchesPerEpoch: o.maxBatchesPerEpoch } : {}),
  } satisfies TrainingSettings);
  if (workers === 0)
    o.log?.(
      `--workers 0: this process trains nothing; start \`embnas worker --db ${store.location}\` where the trials should train`,
    );
  const oneShot = space.search.mode === 'oneshot';
  const view = new LiveView({
    name: search.name,
    spaceFile: search.spacePath,
    seed: search.seed,
    controller: oneShot ? `${space.search.controller} (one-shot)` : space.search.controller,
    backend: backendLabel(o.backend ?? 'auto'),
    trialsDone: 0,
    trialsTotal: search.trialsBudget,
    memoryBudgetBytes: space.reward.budgetMB * 1e6,
    objective: rewardFormula(space.reward.form, space.reward.budgetMB, space.reward.lambda),
    ...(plantedTruth ? { plantedTruth: plantedTruth.map((f) => `${f.name}:${f.dim}`).join(' ') } : {}),
  });
  view.preload(
    (await store.listTrials(search.id, { status: ['completed', 'failed'], orderBy: 'number' })).map((t) =>
      finishedView({
        number: t.number,
        config: t.config,
        status: t.status as 'completed' | 'failed',
        result: t.result ?? undefined,
        reward: t.reward ?? undefined,
        cacheHit: t.cacheHit,
        error: t.error ?? undefined,
      }),
    ),
  );
  // No worker threads when this process only drives: `embnas worker` processes train every trial.
  const pool =
    workers > 0
      ? new TrialPool(dataset, { workers, backend: o.backend, maxBatchesPerEpoch: o.maxBatchesPerEpoch })
      : undefined;
  let runner: SearchRunner | undefined;
  let stopRequested = false;
  let paused = false;
  // The store's own name for itself: a PostgreSQL URL with its password hidden (pass it in EMBNAS_DB or ~/.pgpass).
  const db = store.location === 'trials.db' ? '' : ` --db ${store.location}`;
  const resumeCommand = `embnas resume ${search.name}${db}${o.space === undefined ? '' : ` --space ${o.space}`}`;
  const nextCommands = [
    `embnas show ${search.name}${db}`,
    `embnas export ${search.name}${db} --format yaml --out ${search.name}-best.yaml`,
    `embnas report ${search.name}${db} --out ${search.name}-report.html`,
  ];
  /** The controller of the trials: the space's, or a one-shot search's finalists once its supernet phase is done. */
  const trialController = async (): Promise<Controller | undefined> => {
    if (!oneShot)
      return createController(
        space.search.controller,
        choices,
        controllerOptions(space.search.controller, { ...space.search, seed: search.seed }),
      );
    const summary = await runOneShotPhase({
      store,
      searchId: search.id,
      seed: search.seed,
      space,
      dataset,
      choices,
      backend: o.backend,
      spaceLabel: search.spacePath,
      started: (at, total, epochs) =>
        view.oneShotStarted(at, total, space.search.oneshot.rounds ?? ONESHOT_SPACE_DEFAULTS.rounds, epochs),
      progress: (p, c) => view.oneShotProgress(p, c),
      shouldStop: () => stopRequested,
      isPaused: () => paused,
      tick: heartbeat.tick,
    });
    if (!summary) return undefined;
    view.oneShotDone(summary.steps, Math.min(search.trialsBudget, summary.ranked.length), summary.epochs);
    if (summary.fieldPolicy) view.showPolicy(summary.fieldPolicy);
    return new FinalistsController(finalistProposals(summary));
  };
  const run = async (): Promise<SearchOutcome> => {
    try {
      const controller = await trialController();
      let outcome: SearchOutcome = { status: 'stopped', observed: 0 };
      if (controller && !stopRequested) {
        runner = new SearchRunner({
          store,
          searchId: search.id,
          seed: search.seed,
          space,
          dataset,
          controller,
          trials: pool ?? NO_LOCAL_TRAINING,
          workers,
          batchSize: space.search.batch,
          listener: view,
        });
        if (paused) runner.togglePause();
        outcome = await runner.run();
      }
      if (heartbeat.lost !== undefined) throw heartbeat.lost;
      await store.setStatus(search.id, outcome.status === 'finished' ? 'finished' : 'stopped');
      await store.appendEvent(search.id, outcome.status, { observed: outcome.observed });
      return outcome;
    } catch (e) {
      if (heartbeat.lost === undefined) {
        await store.setStatus(search.id, 'failed');
        await store.appendEvent(search.id, 'failed', { error: e instanceof Error ? e.message : String(e) });
      }
      throw e;
    } finally {
      heartbeat.stop();
      await pool?.close();
      // Trials aborted by a stop are still marked running: hand them back to the queue for the next resume. A search
      // whose heartbeat was lost is another process's now (or its database failed): nothing more is written.
      if (heartbeat.lost === undefined) {
        await store.recoverInterrupted(search.id);
        await store.release(search.id);
      }
      await store.close();
    }
  };
  heartbeat.onLost(() => stop());
  const stop = () => {
    stopRequested = true;
    runner?.stop();
  };
  const togglePause = () => {
    paused = !paused;
    if (runner && runner.isPaused !== paused) runner.togglePause();
    return paused;
  };
  return { search, space, dataset, view, resumeCommand, nextCommands, run, stop, togglePause };
}

/** The trial runner of a process that only drives: never called, since it has no lanes. */
const NO_LOCAL_TRAINING: TrialRunner = {
  run: () => Promise.reject(new Error('this process trains no trials (--workers 0)')),
};
