/**
 * The search loop: propose a batch, have it trained, feed the rewards back in trial-number order, and write
 * everything to the store as it happens.
 *
 * Why batches of fixed size (not "one per free worker"): the controller must see the same observations in the same
 * order whatever the number of workers or machines, so that a seed reproduces a search anywhere. The trials of a
 * batch that need training are dispatched to the store's queue; this process's own lanes (`workers`, 0 for none) and
 * `embnas worker` processes on any machine claim and train them (claim-loop.ts), and each result is written the moment
 * it finishes, by whoever trained it (nothing finished is lost on a kill). Once the whole batch is stored, the
 * controller observes it and its snapshot is written; the snapshot's `step` counts the trials it has observed, so a
 * resume restores the snapshot, regenerates the unfinished batch's proposals (deterministic) and trains only what is
 * not finished.
 */
import type { EncodedDataset } from '../data/encoded-dataset.js';
import { UsageError } from '../errors.js';
import type { Space } from '../space/schema.js';
import { configKey } from '../store/config-key.js';
import type { TrialRecord, TrialStore, TrialWorker } from '../store/trial-store.js';
import type { Controller, Observation, Proposal } from '../controllers/controller.js';
import type { TrialConfig } from '../engine/trial-config.js';
import type { SearchListener, TrialRunner } from './search-listener.js';
import { trialConfig, trialSeed } from './trial-plan.js';
import { TrialSettler } from './trial-settler.js';

/** Reward a controller sees for a trial that could not be trained (failed, or over the budget under `budget`). */
export const FAILED_REWARD = -1;
/** A search whose first trials all fail stops instead of burning its whole budget on the same error. */
const MAX_FAILURES_WITHOUT_SUCCESS = 3;

export interface SearchRunnerOptions {
  store: TrialStore;
  searchId: number;
  seed: number;
  space: Space;
  dataset: EncodedDataset;
  controller: Controller;
  /** Trains this process's share of the trials; unused when `workers` is 0. */
  trials: TrialRunner;
  /** This process's lanes: trials it trains at once (0: it only drives, `embnas worker` processes train). */
  workers: number;
  /** Who this process is as a claimant of trials (default: this host, pid and run). */
  worker?: TrialWorker;
  /** How often the store is read for trials trained elsewhere (ms). */
  pollMs?: number;
  batchSize: number;
  listener?: SearchListener;
}

export type SearchOutcome = { status: 'finished' | 'stopped'; observed: number };

export class SearchRunner {
  private stopRequested = false;
  private paused = false;
  /** Trials of the search that completed after training, and that failed, before this run. */
  private successesBefore = 0;
  private failuresBefore = 0;
  private settler: TrialSettler | undefined;

  constructor(private readonly o: SearchRunnerOptions) {}

  /** Graceful stop: no new proposals; running trials are aborted and left for a resume to train again. */
  stop(): void {
    this.stopRequested = true;
    void this.settler?.stop();
  }

  /** Pauses or resumes proposing new batches (running trials go on). Returns the new state. */
  togglePause(): boolean {
    this.paused = !this.paused;
    return this.paused;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  async run(): Promise<SearchOutcome> {
    let failed: unknown;
    this.settler = new TrialSettler({
      ...this.o,
      failed: (e) => {
        failed = e;
        this.stop();
      },
    });
    try {
      const outcome = await this.loop();
      if (failed !== undefined) throw failed;
      return outcome;
    } finally {
      await this.settler.stop();
    }
  }

  private async loop(): Promise<SearchOutcome> {
    const { store, searchId, controller } = this.o;
    const snapshot = await store.latestSnapshot(searchId);
    if (snapshot) controller.setState(snapshot.state as Parameters<Controller['setState']>[0]);
    let observed = snapshot?.step ?? 0;
    // A resumed search shows the restored policy now, not after its next batch.
    if (snapshot) this.o.listener?.batchObserved?.(controller, observed);
    // Trials numbered at or past `observed` belong to the batch the snapshot had not yet observed (resume).
    let pending = (await store.listTrials(searchId, { orderBy: 'number' })).filter((t) => t.number >= observed);
    for (const t of await store.listTrials(searchId, { status: ['completed', 'failed'] })) {
      if (t.status === 'completed' && !t.cacheHit) this.successesBefore++;
      else if (t.status === 'failed' && !isOverBudget(t.error)) this.failuresBefore++;
    }
    while (!this.stopRequested) {
      if (this.paused) {
        await sleep(200);
        continue;
      }
      const budget = (await store.getSearch(searchId)).trialsBudget;
      if (observed >= budget && pending.length === 0) return { status: 'finished', observed };
      // Always a whole batch, whatever the budget: a batch that crosses the budget trains only the trials within it
      // and is observed once a larger budget (`resume --trials`) completes it, so that run --trials 10 then resume
      // --trials 24 gives exactly the trials of run --trials 24.
      const proposals = controller.propose(Math.max(this.o.batchSize, pending.length));
      const whole = await this.planBatch(observed, proposals, pending, budget);
      const batch = whole.filter((b) => b.number < budget);
      pending = [];
      if (!(await this.runBatch(batch))) break;
      if (batch.length < whole.length) return { status: 'finished', observed };
      const observations: Observation[] = batch.map((b) => ({
        proposal: b.proposal,
        reward: b.reward ?? FAILED_REWARD,
      }));
      controller.observe(observations);
      observed += batch.length;
      await store.recordResults(searchId, [], { step: observed, state: controller.getState() });
      this.o.listener?.batchObserved?.(controller, observed);
      const successes = this.successesBefore + this.settler!.successes;
      const failures = this.failuresBefore + this.settler!.failures;
      if (successes === 0 && failures >= MAX_FAILURES_WITHOUT_SUCCESS) {
        const first = (await store.listTrials(searchId, { status: 'failed' })).find((t) => !isOverBudget(t.error));
        throw new UsageError(
          `every trial failed so far (${failures}); the first: ${first?.error?.split('\n')[0] ?? 'unknown'}`,
          'fix the data, then `embnas resume` to go on; or fix the space and start a new search with `embnas run <space> --name <another name>` (a resume keeps the space it started with)',
        );
      }
    }
    return { status: 'stopped', observed };
  }

  /**
   * Numbers the batch's proposals, matches the first ones to the trials stored for it (a resume: regenerated by the
   * restored controller, so they must be equal) and enqueues the others that fit in the budget.
   */
  private async planBatch(
    first: number,
    proposals: Proposal[],
    stored: TrialRecord[],
    budget: number,
  ): Promise<BatchItem[]> {
    const { store, searchId, space, seed } = this.o;
    const items = proposals.map((proposal, i) => {
      const number = first + i;
      const config = trialConfig(proposal, space, trialSeed(seed, number));
      return { number, proposal, config, key: configKey(config) } as BatchItem;
    });
    const fresh = items.slice(stored.length).filter((b) => b.number < budget);
    if (fresh.length > 0)
      await store.enqueueTrials(
        searchId,
        fresh.map(({ number, config }) => ({ number, config, seed: config.seed })),
      );
    for (const [i, item] of items.slice(0, stored.length).entries()) {
      const t = stored[i];
      if (!t || t.number !== item.number || JSON.stringify(t.config.fields) !== JSON.stringify(item.config.fields)) {
        throw new Error(
          `resume: trial ${item.number} regenerated differently from the stored one (controller state mismatch)`,
        );
      }
      if (t.status === 'completed') item.reward = t.reward ?? FAILED_REWARD;
      if (t.status === 'failed') item.reward = FAILED_REWARD;
      item.finished = t.status === 'completed' || t.status === 'failed';
    }
    return items;
  }

  /**
   * Settles the batch's unfinished trials: over-budget ones and repeats of a trained configuration here, the others
   * through the queue. A configuration repeated within the batch waits for its previous occurrence, then finds it in
   * the store (a cache hit) or, if that one failed, is trained itself: the outcome one worker gives, whatever the
   * number of workers. False when stopped before the batch was whole.
   */
  private async runBatch(batch: BatchItem[]): Promise<boolean> {
    const previous = new Map<string, Promise<void>>();
    const settle = (item: BatchItem): Promise<void> => {
      const before = previous.get(item.key);
      const mine = (async () => {
        if (before) await before;
        if (this.stopRequested) return;
        const record = await this.settler!.settle(item);
        if (!record) return;
        item.reward = record.status === 'completed' ? record.reward : FAILED_REWARD;
        item.finished = true;
      })();
      previous.set(item.key, mine);
      return mine;
    };
    await Promise.all(batch.filter((b) => !b.finished).map(settle));
    return batch.every((b) => b.finished);
  }
}

interface BatchItem {
  number: number;
  proposal: Proposal;
  config: TrialConfig;
  key: string;
  reward?: number;
  finished?: boolean;
}

export function isOverBudget(error: string | null | undefined): boolean {
  return error?.startsWith('over budget:') === true;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
