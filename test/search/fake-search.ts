/**
 * A search of a space text in a SQLite store (in memory unless one is given), and SearchRunners over it: the setup
 * the search-loop tests share. The runner's seed, budget and batch are the space's.
 */
import type { EncodedDataset } from '../../src/data/encoded-dataset.js';
import type { Controller } from '../../src/controllers/controller.js';
import type { SearchListener, TrialRunner } from '../../src/search/search-listener.js';
import { SearchRunner } from '../../src/search/search-runner.js';
import { parseSpace } from '../../src/space/load-space.js';
import { openSqliteStore, type SqliteTrialStore } from '../../src/store/sqlite/sqlite-store.js';
import { tinyDataset } from './fake-trials.js';

export interface FakeSearchOptions {
  /** Another run of a search already in this store (a resume). */
  store?: SqliteTrialStore;
  searchId?: number;
  dataset?: EncodedDataset;
}

export function fakeSearch(spaceText: string, o: FakeSearchOptions = {}) {
  const { space } = parseSpace(spaceText, 'space.yaml');
  const dataset = o.dataset ?? tinyDataset();
  const store = o.store ?? openSqliteStore(':memory:');
  const id =
    o.searchId ??
    store.core.createSearch({
      name: 's',
      spacePath: 'space.yaml',
      spaceText,
      spaceHash: 'h',
      seed: space.search.seed,
      trialsBudget: space.search.trials,
    }).id;
  const runner = (r: { controller: Controller; trials: TrialRunner; workers: number; listener?: SearchListener }) =>
    new SearchRunner({
      store,
      searchId: id,
      seed: space.search.seed,
      space,
      dataset,
      batchSize: space.search.batch,
      ...r,
    });
  return { store, id, space, dataset, runner };
}
