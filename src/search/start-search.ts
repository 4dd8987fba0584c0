/**
 * `embnas run`: a new search. The search row is written and owned first (claim-search.ts, which also says what
 * running the same command again does); only then are the data and the engine loaded, which can take long, so a kill
 * or a Ctrl-C at any moment after the first fraction of a second leaves a search that `embnas resume NAME`
 * continues. The data's fingerprint follows once the data is loaded; until then there is nothing a resume could
 * compare the data against.
 *
 * A search this call wrote that is refused before it runs (bad data, a field the data lacks, too much memory) is
 * marked failed and released; fixing the space and running the same command again starts it (claim-search.ts, 2).
 */
import type { TrialStore } from '../store/trial-store.js';
import { claimSearch, type StartOptions } from './claim-search.js';
import type { Session } from './session.js';

export type { StartOptions } from './claim-search.js';

export async function startSearch(o: StartOptions): Promise<Session> {
  const { store, search, space, loaded, heartbeat } = await claimSearch(o);
  try {
    // Loaded once the row exists: importing the data readers and the engine takes a second or more.
    const { checkDataUnchanged, loadData } = await import('./session-checks.js');
    const { searchChoices } = await import('./trial-plan.js');
    const { supernetSpec } = await import('./oneshot/supernet-spec.js');
    const { openSession } = await import('./session.js');
    const data = await loadData(space, loaded.baseDir, loaded.file, o.log, heartbeat.tick);
    await checkDataUnchanged(store, search, data.fingerprint);
    const choices = searchChoices(space, data.dataset, o.spaceFile);
    // Refused before the search runs: a one-shot search of techniques it cannot share weights for.
    if (space.search.mode === 'oneshot') supernetSpec(space, choices, search.seed, loaded.file);
    return await openSession(store, search, space, data, choices, o, heartbeat);
  } catch (e) {
    heartbeat.stop();
    await refused(store, search.id, e);
    await store.close();
    throw e;
  }
}

/** A search refused before it ran is marked failed with its reason and released; its row stays for a retry. */
async function refused(store: TrialStore, searchId: number, e: unknown): Promise<void> {
  try {
    await store.setStatus(searchId, 'failed');
    await store.appendEvent(searchId, 'refused', { error: e instanceof Error ? e.message : String(e) });
    await store.release(searchId);
  } catch {
    // The store itself failed (e.g. a full disk): the original error is the one to report.
  }
}
