/**
 * What the search loop tells whoever watches it (the live view, a script's callbacks), and what it trains trials
 * with (the worker pool in production, anything of the same shape in tests).
 */
import type { TrainProgress, TrialConfig, TrialResult } from '../engine/trial-config.js';
import type { Controller } from '../controllers/controller.js';
import type { TrialOutcome } from './trial-pool.js';

export interface FinishedTrial {
  number: number;
  config: TrialConfig;
  status: 'completed' | 'failed';
  result?: TrialResult;
  reward?: number;
  cacheHit: boolean;
  error?: string;
}

export interface SearchListener {
  /** `worker`: this process's lane; `where`: the host and process of a remote worker (then `worker` only orders). */
  trialStarted?(t: { number: number; worker: number; config: TrialConfig; where?: string }): void;
  trialProgress?(number: number, p: TrainProgress): void;
  trialFinished?(t: FinishedTrial): void;
  /** Trials whose claimant died went back to the queue: they are no longer running. */
  trialsRequeued?(numbers: number[]): void;
  batchObserved?(controller: Controller, observed: number): void;
}

/** What trains a trial: the worker pool in production, anything with the same shape in tests. */
export interface TrialRunner {
  run(config: TrialConfig, onProgress: (p: TrainProgress) => void, signal?: AbortSignal): Promise<TrialOutcome>;
}
