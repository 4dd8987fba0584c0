/**
 * The first phase of a `search.mode: oneshot` search, between the store and the OneShotSearch loop: it resumes from
 * the search's checkpoint when there is one, checkpoints as it goes (TrialStore.saveCheckpoint), and on finishing
 * records the ranked finalists in a `oneshot_finished` event and drops the checkpoint. A search whose event exists
 * skips the phase: its finalists are read back, and the second phase trains them as ordinary trials.
 */
import type { EncodedDataset } from '../../data/encoded-dataset.js';
import type { BackendName } from '../../engine/trial-config.js';
import type { Space } from '../../space/schema.js';
import type { TrialStore } from '../../store/trial-store.js';
import type { Controller, SearchChoices } from '../../controllers/controller.js';
import { argmaxChoice } from '../../controllers/field-policy.js';
import { createController } from '../../controllers/create-controller.js';
import { controllerOptions } from '../../controllers/registry.js';
import { decodeCheckpoint, encodeCheckpoint } from './oneshot-checkpoint.js';
import { oneShotFromSpace, supernetEpochs } from './oneshot-length.js';
import { ONESHOT_REINFORCE, ONESHOT_TPE } from './oneshot-options.js';
import { OneShotSearch, type OneShotProgress } from './oneshot-search.js';
import { ONESHOT_FINISHED, oneShotSummary, proxyCurve, type OneShotSummary } from './oneshot-summary.js';

export interface OneShotPhaseOptions {
  store: TrialStore;
  searchId: number;
  seed: number;
  space: Space;
  dataset: EncodedDataset;
  choices: SearchChoices;
  backend?: 'auto' | BackendName;
  spaceLabel: string;
  progress?(p: OneShotProgress, controller: Controller): void;
  /** Called once the supernet is built or restored, before the first unit of work; epochs of the train split in all. */
  started?(resumedAtStep: number, totalSteps: number, epochs: number): void;
  shouldStop(): boolean;
  isPaused(): boolean;
  /** Called often during long synchronous work (a Heartbeat's tick: the owner stays alive through the phase). */
  tick?(): boolean | void;
}

/** Ranked configurations kept per finalist to be trained (a later --trials can go further down the list). */
const KEPT_PER_FINALIST = 4;

/** Runs (or resumes, or skips) the phase; undefined when stopped before its end. */
export async function runOneShotPhase(o: OneShotPhaseOptions): Promise<OneShotSummary | undefined> {
  const done = await oneShotSummary(o.store, o.searchId);
  if (done) return done;
  const { space, store, searchId } = o;
  const kind = space.search.controller;
  const base = { reinforce: ONESHOT_REINFORCE, tpe: ONESHOT_TPE };
  const controller = createController(
    kind,
    o.choices,
    controllerOptions(kind, { ...space.search, seed: o.seed }, base),
  );
  const { checkpointSeconds, ...own } = space.search.oneshot;
  const train = o.dataset.splits.train;
  const trainRows = train.end - train.start;
  const saved = await store.latestCheckpoint(searchId);
  const c = saved && decodeCheckpoint(saved.payload);
  // A checkpoint goes on with the schedule it was taken under: the space cannot change on resume, but an earlier
  // embnas turned its epochs into batches differently (at least one per round), and a resume must end as it would have.
  const loop = {
    ...oneShotFromSpace(own, trainRows, space.model.batchSize),
    ...(c ? { warmupBatches: c.options.warmupBatches, searchBatches: c.options.searchBatches } : {}),
  };
  const search = await OneShotSearch.create(
    space,
    o.dataset,
    o.choices,
    controller,
    { ...loop, seed: o.seed, backend: o.backend },
    o.spaceLabel,
  );
  try {
    let secondsBefore = 0;
    if (c) {
      search.restore(c);
      secondsBefore = c.seconds ?? 0;
    }
    const epochs = (steps: number) => supernetEpochs(steps, trainRows, space.model.batchSize);
    o.started?.(search.supernet.step, search.totalSteps, epochs(search.totalSteps));
    const t0 = performance.now();
    const result = await search.run({
      checkpointSeconds: checkpointSeconds ?? 30,
      checkpoint: async (c) => {
        const payload = encodeCheckpoint({ ...c, seconds: secondsBefore + (performance.now() - t0) / 1000 });
        await store.saveCheckpoint(searchId, { step: c.step, payload });
      },
      progress: o.progress,
      shouldStop: o.shouldStop,
      isPaused: o.isPaused,
      tick: o.tick,
    });
    if (!result) return undefined;
    const summary: OneShotSummary = {
      steps: result.steps,
      epochs: epochs(result.steps),
      seconds: secondsBefore + result.seconds,
      ranked: result.ranked.slice(0, space.search.finalists * KEPT_PER_FINALIST),
      ...policySummary(controller),
      curve: proxyCurve(result.history),
    };
    await store.appendEvent(searchId, ONESHOT_FINISHED, summary);
    await store.deleteCheckpoint(searchId);
    return summary;
  } finally {
    search.dispose();
  }
}

function policySummary(controller: Controller): Pick<OneShotSummary, 'policy' | 'fieldPolicy'> {
  const policy = controller.policy?.();
  if (policy === undefined) return {};
  return {
    policy: policy.map((f) => ({ field: f.field, dim: argmaxChoice(f.dims).value, prob: argmaxChoice(f.dims).prob })),
    fieldPolicy: policy,
  };
}
