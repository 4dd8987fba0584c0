/**
 * `embnas run`: a new search. The search row — its space text, seed and budget, and a 'started' event with the flags
 * that change it (controller, mode) — is written and owned before the data loads, which can take long, so a kill or
 * a Ctrl-C at any moment leaves a search that `embnas resume NAME` continues. The data's fingerprint follows once the
 * data is loaded; until then there is nothing a resume could compare the data against.
 *
 * Running the same command again for a name that exists:
 * 1. Same space file text, seed, budget, controller and mode, and no completed trial yet (nor finished): the
 *    search continues, exactly as `embnas resume NAME` would — the natural retry after a kill in the first seconds.
 * 2. Otherwise, when nothing has happened to the search yet (no trial, snapshot, checkpoint or supernet result — e.g.
 *    it was refused once its data loaded): it is started again in place with this command's space and flags.
 * 3. Otherwise it is refused with one line saying what differs and the exact commands that continue it or start
 *    another search.
 * A search this call wrote that is refused before it runs (bad data, a field the data lacks, too much memory) is
 * marked failed and released; by 2, fixing the space and running the same command again starts it.
 */
import { hostname } from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { loadSpace, parseSpace } from '../space/load-space.js';
import type { Space } from '../space/schema.js';
import { openStore } from '../store/index.js';
import type { SearchRecord, TrialStore } from '../store/trial-store.js';
import type { ControllerKind } from './controllers/index.js';
import { ONESHOT_FINISHED } from './oneshot/oneshot-summary.js';
import { supernetSpec } from './oneshot/supernet-spec.js';
import { openSession, type Session, type SessionOptions } from './session.js';
import { checkDataUnchanged, loadData, withOverrides, withStartOverrides } from './session-checks.js';
import { searchChoices } from './trial-plan.js';

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

export async function startSearch(o: StartOptions): Promise<Session> {
  const loaded = loadSpace(o.spaceFile);
  const store = openStore(o.db);
  let owned: SearchRecord | undefined;
  try {
    const name = o.name ?? loaded.space.name ?? path.basename(loaded.file).replace(/\.ya?ml$/, '');
    const seed = o.seed ?? loaded.space.search.seed;
    const space = withOverrides(loaded.space, { controller: o.controller, mode: o.mode });
    // A one-shot search's trials are its finalists, trained on their own after the supernet phase.
    const trials = o.trials ?? (space.search.mode === 'oneshot' ? space.search.finalists : space.search.trials);
    const start = { spacePath: loaded.file, spaceText: loaded.text, spaceHash: loaded.hash, seed, trialsBudget: trials };
    const existing = store.listSearches().find((s) => s.name === name);
    const how = existing ? sameNameAgain(store, existing, space, start, o) : 'new';
    if (how === 'continue') o.log?.(`continuing search '${name}': same command, no trial completed yet`);
    if (how === 'restart') o.log?.(`starting search '${name}' again: nothing had run yet`);
    // The row and its 'started' event (the flags a resume applies) in one transaction: a kill between them would
    // leave a search that resumes with the space's controller and mode instead of the command's.
    const started = { pid: process.pid, host: hostname(), seed, trials, controller: space.search.controller, mode: space.search.mode };
    const search =
      how === 'new' ? store.createSearch({ name, ...start, started })
        : how === 'restart' ? store.restartSearch(existing!.id, { ...start, started })
          : existing!;
    store.acquire(search.id, { pid: process.pid, host: hostname() });
    owned = search;
    const data = await loadData(space, loaded.baseDir, loaded.file, o.log);
    checkDataUnchanged(store, search, data.fingerprint);
    const choices = searchChoices(space, data.dataset, o.spaceFile);
    // Refused before the search runs: a one-shot search of techniques it cannot share weights for.
    if (space.search.mode === 'oneshot') supernetSpec(space, choices, seed, loaded.file);
    return openSession(store, search, space, data, choices, o);
  } catch (e) {
    if (owned) refused(store, owned.id, e);
    store.close();
    throw e;
  }
}

type Start = { spacePath: string; spaceText: string; spaceHash: string; seed: number; trialsBudget: number };

/** What `run` does with a name that exists (see the header): continue it, start it again, or refuse. */
function sameNameAgain(store: TrialStore, s: SearchRecord, space: Space, start: Start, o: StartOptions): 'continue' | 'restart' {
  const then = withStartOverrides(store, s.id, parseSpace(s.spaceText, s.spacePath).space).search;
  const differs = [
    s.spaceHash !== start.spaceHash && `the space file (${s.spacePath} then)`,
    s.seed !== start.seed && `the seed (${s.seed} then)`,
    s.trialsBudget !== start.trialsBudget && `the trial budget (${s.trialsBudget} then)`,
    then.controller !== space.search.controller && `the controller (${then.controller} then)`,
    then.mode !== space.search.mode && `the mode (${then.mode} then)`,
  ].filter((x): x is string => typeof x === 'string');
  const { counts } = store.getSummary(s.id);
  if (differs.length === 0 && counts.completed === 0 && s.status !== 'finished') return 'continue';
  const untouched =
    Object.values(counts).every((n) => n === 0) && !store.latestSnapshot(s.id) && !store.latestCheckpoint(s.id) &&
    !store.events(s.id).some((e) => e.kind === ONESHOT_FINISHED);
  if (untouched) return 'restart';
  const db = o.db === 'trials.db' ? '' : ` --db ${o.db}`;
  const why = counts.completed > 0 ? `has ${counts.completed} completed trial(s)` : s.status === 'finished' ? 'is finished' : `differs in ${differs.join(', ')}`;
  throw new UsageError(
    `a search named '${s.name}' already exists in ${o.db} and ${why}`,
    `continue it with \`embnas resume ${s.name}${db}\`, or start another with \`embnas run ${o.spaceFile} --name <another name>${db}\``,
  );
}

/** A search refused before it ran is marked failed with its reason and released; its row stays for a retry. */
function refused(store: TrialStore, searchId: number, e: unknown): void {
  try {
    store.setStatus(searchId, 'failed');
    store.appendEvent(searchId, 'refused', { error: e instanceof Error ? e.message : String(e) });
    store.release(searchId);
  } catch {
    // The store itself failed (e.g. a full disk): the original error is the one to report.
  }
}
