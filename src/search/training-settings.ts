/**
 * How the process that drives a search trains its trials — the backend asked for and the per-epoch batch cap of quick
 * runs — kept in the search's event log each time a session opens, so that `embnas worker` on another machine trains
 * the same trials the same way (the same seed then gives the same results wherever a trial is trained).
 */
import type { BackendName } from '../engine/trial-config.js';
import type { TrialStore } from '../store/trial-store.js';
import { sinceStart } from './start-flags.js';

export const TRAINING_EVENT = 'training';

export interface TrainingSettings {
  backend: 'auto' | BackendName;
  maxBatchesPerEpoch?: number;
}

/** The latest settings of the search's current start; undefined before its first session opened. */
export async function trainingSettings(store: TrialStore, searchId: number): Promise<TrainingSettings | undefined> {
  const event = (await sinceStart(store, searchId)).findLast((e) => e.kind === TRAINING_EVENT);
  return event?.payload as TrainingSettings | undefined;
}
