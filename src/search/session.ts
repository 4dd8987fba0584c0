/**
 * Starting and resuming a search: everything between the CLI's flags and a running SearchRunner — the store, the
 * space, the data, the controller, ownership and its heartbeat, the worker pool — and the tidy end of all of it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import path from 'node:path';
import { loadDataset } from '../data/load-dataset.js';
import type { EncodedDataset } from '../data/encoded-dataset.js';
import type { BackendName } from '../engine/trial-config.js';
import { UsageError } from '../errors.js';
import { hashText, loadSpace, parseSpace } from '../space/load-space.js';
import type { Space } from '../space/schema.js';
import { openStore } from '../store/index.js';
import type { SearchRecord, TrialStore } from '../store/trial-store.js';
import { CONTROLLER_KINDS, createController, type ControllerKind } from './controllers/index.js';
import { finishedView, LiveView } from './live-view.js';
import { SearchRunner, type SearchOutcome } from './search-runner.js';
import { TrialPool } from './trial-pool.js';
import { searchChoices } from './trial-plan.js';

export interface SessionOptions {
  db: string;
  workers?: number;
  backend?: 'auto' | BackendName;
  /** Caps batches per epoch: quick smoke runs. */
  maxBatchesPerEpoch?: number;
  /** Progress lines about loading (the data can take a while). */
  log?: (line: string) => void;
}

export interface StartOptions extends SessionOptions {
  spaceFile: string;
  name?: string;
  trials?: number;
  seed?: number;
  /** Overrides search.controller of the space (kept with the search, so a resume uses it too). */
  controller?: ControllerKind;
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
  runner: SearchRunner;
  resumeCommand: string;
  /** Runs the search to its end (finished, stopped, or an error) and always releases the search and the workers. */
  run(): Promise<SearchOutcome>;
}

export async function startSearch(o: StartOptions): Promise<Session> {
  const loaded = loadSpace(o.spaceFile);
  const store = openStore(o.db);
  try {
    const name = o.name ?? loaded.space.name ?? path.basename(loaded.file).replace(/\.ya?ml$/, '');
    const seed = o.seed ?? loaded.space.search.seed;
    const trials = o.trials ?? loaded.space.search.trials;
    if (store.listSearches().some((s) => s.name === name)) {
      throw new UsageError(`a search named '${name}' already exists in ${o.db}`, `continue it with \`embnas resume ${name}\`, or pass --name <another name>`);
    }
    const space = o.controller ? { ...loaded.space, search: { ...loaded.space.search, controller: o.controller } } : loaded.space;
    const dataset = await loadData(space, loaded.baseDir, loaded.file, o.log);
    const choices = searchChoices(space, dataset, o.spaceFile);
    const search = store.createSearch({ name, spacePath: loaded.file, spaceText: loaded.text, spaceHash: loaded.hash, seed, trialsBudget: trials });
    store.appendEvent(search.id, 'started', { pid: process.pid, host: hostname(), seed, trials, controller: space.search.controller });
    return open(store, search, space, dataset, choices, o);
  } catch (e) {
    store.close();
    throw e;
  }
}

export async function resumeSearch(o: ResumeOptions): Promise<Session> {
  const store = openStore(o.db);
  try {
    let search = store.getSearch(o.search);
    checkSpaceUnchanged(search);
    const space = withStartOverrides(store, search.id, parseSpace(search.spaceText, search.spacePath).space);
    if (o.trials !== undefined) {
      const done = store.getSummary(search.id).counts;
      if (o.trials < done.completed + done.failed) {
        throw new UsageError(`--trials ${o.trials}: search '${search.name}' already has ${done.completed + done.failed} finished trials`, 'pass a larger number');
      }
      store.setBudget(search.id, o.trials);
      search = store.getSearch(search.id);
    }
    const dataset = await loadData(space, path.dirname(search.spacePath), search.spacePath, o.log);
    const choices = searchChoices(space, dataset, search.spacePath);
    store.appendEvent(search.id, 'resumed', { pid: process.pid, host: hostname(), trials: search.trialsBudget });
    return open(store, search, space, dataset, choices, o);
  } catch (e) {
    store.close();
    throw e;
  }
}

function open(store: TrialStore, search: SearchRecord, space: Space, dataset: EncodedDataset, choices: ReturnType<typeof searchChoices>, o: SessionOptions): Session {
  store.acquire(search.id, { pid: process.pid, host: hostname() });
  const recovered = store.recoverInterrupted(search.id);
  if (recovered.length > 0) o.log?.(`re-queued ${recovered.length} interrupted trial(s): ${recovered.map((t) => t.number).join(', ')}`);
  store.setStatus(search.id, 'running');
  // Exports need each field's table size without loading the data again.
  store.appendEvent(search.id, 'dataset', {
    source: dataset.source, rows: dataset.numRows,
    fields: dataset.fields.map((f) => ({ name: f.name, rows: f.rows, kept: f.kept, distinct: f.distinct })),
  });
  const workers = o.workers ?? space.search.workers ?? availableParallelism();
  const controller = createController(space.search.controller, choices, { seed: search.seed, ...space.search.reinforce, ...space.search.tpe });
  const view = new LiveView({
    name: search.name, spaceFile: search.spacePath, seed: search.seed, controller: space.search.controller,
    backend: o.backend ?? 'auto', trialsDone: 0, trialsTotal: search.trialsBudget,
  });
  view.preload(
    store.listTrials(search.id, { status: ['completed', 'failed'], orderBy: 'number' }).map((t) =>
      finishedView({ number: t.number, config: t.config, status: t.status as 'completed' | 'failed', result: t.result ?? undefined, reward: t.reward ?? undefined, cacheHit: t.cacheHit, error: t.error ?? undefined }),
    ),
  );
  const pool = new TrialPool(dataset, { workers, backend: o.backend, maxBatchesPerEpoch: o.maxBatchesPerEpoch });
  const runner = new SearchRunner({
    store, searchId: search.id, seed: search.seed, space, dataset, controller, trials: pool, workers,
    batchSize: space.search.batch, listener: view,
  });
  const resumeCommand = `embnas resume ${search.name}${o.db === 'trials.db' ? '' : ` --db ${o.db}`}`;
  const heartbeat = setInterval(() => store.heartbeat(search.id), 5_000);
  heartbeat.unref();
  const run = async (): Promise<SearchOutcome> => {
    try {
      const outcome = await runner.run();
      store.setStatus(search.id, outcome.status === 'finished' ? 'finished' : 'stopped');
      store.appendEvent(search.id, outcome.status, { observed: outcome.observed });
      return outcome;
    } catch (e) {
      store.setStatus(search.id, 'failed');
      store.appendEvent(search.id, 'failed', { error: e instanceof Error ? e.message : String(e) });
      throw e;
    } finally {
      clearInterval(heartbeat);
      await pool.close();
      // Trials aborted by a stop are still marked running: hand them back to the queue for the next resume.
      store.recoverInterrupted(search.id);
      store.release(search.id);
      store.close();
    }
  };
  return { search, space, dataset, view, runner, resumeCommand, run };
}

async function loadData(space: Space, baseDir: string, spaceFile: string, log?: (line: string) => void): Promise<EncodedDataset> {
  const t0 = Date.now();
  const { dataset, fromCache, stats } = await loadDataset(space.data, baseDir);
  const how = fromCache ? 'from cache' : 'parsed';
  log?.(`data: ${dataset.numRows} rows × ${dataset.fields.length} fields ${how} in ${((Date.now() - t0) / 1000).toFixed(1)} s (${spaceFile})`);
  if (stats.skipped > 0) log?.(`data: skipped ${stats.skipped} bad row(s), e.g. ${stats.skippedExamples.slice(0, 3).join('; ')}`);
  return dataset;
}

/** Flags given to `run` that change the search (the controller) are kept in its 'started' event; a resume applies them. */
function withStartOverrides(store: TrialStore, searchId: number, space: Space): Space {
  const started = store.events(searchId).find((e) => e.kind === 'started')?.payload as { controller?: string } | undefined;
  const kind = started?.controller;
  if (!kind || !(CONTROLLER_KINDS as readonly string[]).includes(kind)) return space;
  return { ...space, search: { ...space.search, controller: kind as ControllerKind } };
}

/** A resume trains with the space the search started with; an edited file means a different search. */
function checkSpaceUnchanged(search: SearchRecord): void {
  if (!existsSync(search.spacePath)) return;
  if (hashText(readFileSync(search.spacePath, 'utf8')) !== search.spaceHash) {
    throw new UsageError(
      `${search.spacePath} changed since search '${search.name}' started`,
      'only --trials may change on resume: restore the file, or start a new search with `embnas run <space> --name <new name>`',
    );
  }
}
