/**
 * The first half of `embnas run`: the search row — its space text, seed and budget, and a 'started' event with the
 * flags that change it (controller, mode) — written and owned, with its heartbeat going, before anything slow
 * happens. It needs only the space and the store: no data, no engine (importing those takes a second or more), so a
 * kill or a Ctrl-C after the first fraction of a second leaves a search that `embnas resume NAME` continues.
 *
 * Running the same command again for a name that exists:
 * 1. Same space file text, seed, budget, controller and mode, and no completed trial yet (nor finished): the
 *    search continues, exactly as `embnas resume NAME` would — the natural retry after a kill in the first seconds.
 * 2. Otherwise, when nothing has happened to the search yet (no trial, snapshot, checkpoint or supernet result — e.g.
 *    it was refused once its data loaded): it is started again in place with this command's space and flags.
 * 3. Otherwise it is refused with one line saying what differs and the exact commands that continue it or start
 *    another search.
 */
import { hostname } from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { loadSpace, type LoadedSpace } from '../space/load-space.js';
import type { Space } from '../space/schema.js';
import { openStore } from '../store/index.js';
import type { SearchRecord, TrialStore } from '../store/trial-store.js';
import type { ControllerKind } from '../controllers/registry.js';
import { Heartbeat } from './heartbeat.js';
import { ONESHOT_FINISHED } from './oneshot/oneshot-summary.js';
import { checkSpaceLimits } from './array-limits.js';
import type { SessionOptions } from './session.js';
import { withOverrides, storedSpace } from './start-flags.js';

export interface StartOptions extends SessionOptions {
  spaceFile: string;
  name?: string;
  trials?: number;
  seed?: number;
  /** Overrides search.controller of the space (kept with the search, so a resume uses it too). */
  controller?: ControllerKind;
  /** Overrides search.mode of the space (kept with the search, so a resume uses it too). */
  mode?: 'pertrial' | 'oneshot';
}

export interface ClaimedSearch {
  store: TrialStore;
  search: SearchRecord;
  space: Space;
  loaded: LoadedSpace;
  heartbeat: Heartbeat;
}

/** Writes (or finds, see the header) the search row and owns it; the store stays open for the session. */
export async function claimSearch(o: StartOptions): Promise<ClaimedSearch> {
  const loaded = loadSpace(o.spaceFile);
  const seed = o.seed ?? loaded.space.search.seed;
  const space = withOverrides(loaded.space, { controller: o.controller, mode: o.mode });
  // Limits no setting can raise (the length of one array) are known from the space alone: refused before any row.
  checkSpaceLimits(space, loaded.file);
  const store = await openStore(o.db);
  try {
    const name = o.name ?? loaded.space.name ?? path.basename(loaded.file).replace(/\.ya?ml$/, '');
    // A one-shot search's trials are its finalists, trained on their own after the supernet phase.
    const trials = o.trials ?? (space.search.mode === 'oneshot' ? space.search.finalists : space.search.trials);
    const start = {
      spacePath: loaded.file,
      spaceText: loaded.text,
      spaceHash: loaded.hash,
      seed,
      trialsBudget: trials,
    };
    const existing = (await store.listSearches()).find((s) => s.name === name);
    const how = existing ? await sameNameAgain(store, existing, space, start, o) : 'new';
    if (how === 'continue') o.log?.(`continuing search '${name}': same command, no trial completed yet`);
    if (how === 'restart') o.log?.(`starting search '${name}' again: nothing had run yet`);
    // The row and its 'started' event (the flags a resume applies) in one transaction: a kill between them would
    // leave a search that resumes with the space's controller and mode instead of the command's.
    const started = {
      pid: process.pid,
      host: hostname(),
      seed,
      trials,
      controller: space.search.controller,
      mode: space.search.mode,
    };
    const search =
      how === 'new'
        ? await store.createSearch({ name, ...start, started })
        : how === 'restart'
          ? await store.restartSearch(existing!.id, { ...start, started })
          : existing!;
    await store.acquire(search.id, { pid: process.pid, host: hostname() });
    return { store, search, space, loaded, heartbeat: new Heartbeat(store, search.id).start() };
  } catch (e) {
    await store.close();
    throw e;
  }
}

type Start = { spacePath: string; spaceText: string; spaceHash: string; seed: number; trialsBudget: number };

/** What `run` does with a name that exists (see the header): continue it, start it again, or refuse. */
async function sameNameAgain(
  store: TrialStore,
  s: SearchRecord,
  space: Space,
  start: Start,
  o: StartOptions,
): Promise<'continue' | 'restart'> {
  const then = (await storedSpace(store, s)).search;
  const differs = [
    s.spaceHash !== start.spaceHash && `the space file (${s.spacePath} then)`,
    s.seed !== start.seed && `the seed (${s.seed} then)`,
    s.trialsBudget !== start.trialsBudget && `the trial budget (${s.trialsBudget} then)`,
    then.controller !== space.search.controller && `the controller (${then.controller} then)`,
    then.mode !== space.search.mode && `the mode (${then.mode} then)`,
  ].filter((x): x is string => typeof x === 'string');
  const { counts } = await store.getSummary(s.id);
  if (differs.length === 0 && counts.completed === 0 && s.status !== 'finished') return 'continue';
  const untouched =
    Object.values(counts).every((n) => n === 0) &&
    !(await store.latestSnapshot(s.id)) &&
    !(await store.latestCheckpoint(s.id)) &&
    !(await store.events(s.id)).some((e) => e.kind === ONESHOT_FINISHED);
  if (untouched) return 'restart';
  const db = o.db === 'trials.db' ? '' : ` --db ${o.db}`;
  const why =
    counts.completed > 0
      ? `has ${counts.completed} completed trial(s)`
      : s.status === 'finished'
        ? 'is finished'
        : `differs in ${differs.join(', ')}`;
  throw new UsageError(
    `a search named '${s.name}' already exists in ${o.db} and ${why}`,
    `continue it with \`embnas resume ${s.name}${db}\`, or start another with \`embnas run ${o.spaceFile} --name <another name>${db}\``,
  );
}
