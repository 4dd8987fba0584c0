/**
 * What the terminal shows of a running search: a plain, serialisable snapshot that the search keeps up to date
 * (live-view.ts) and the ink components or the plain line reporter (src/tui/) render. The search owns this view model
 * and the UI only reads it, so imports point one way, from tui down to search; keeping the UI a pure function of this
 * object is what makes the components testable without a search.
 */
import type { TrainProgress } from '../engine/trial-config.js';

/** A training trial: which worker, which config, and its latest progress report. */
export interface RunningTrialView extends TrainProgress {
  /** This process's lane; for a trial trained by `embnas worker` elsewhere, only an order after the local lanes. */
  worker: number;
  /** Host and process of a remote worker training it (absent for this process's own lanes). */
  where?: string;
  trialNumber: number;
  /** Short form of the config, e.g. "user:16 item:8 city:0 …". */
  configShort: string;
}

export interface FinishedTrialView {
  number: number;
  status: 'completed' | 'failed';
  validAuc?: number;
  memoryBytes?: number;
  reward?: number;
  /** Per-field dims, in field order. */
  /** `technique`: how the field's rows are made when not a plain table, e.g. "/b16,4" (live-view.ts techniqueSuffix). */
  dims: { name: string; dim: number; normAlpha: number; technique?: string }[];
  cacheHit: boolean;
  error?: string;
  wallSeconds?: number;
}

/** A field's most likely dim and norm budget; `…Tied` when every candidate is equally likely (nothing leads yet). */
export interface PolicyFieldView {
  field: string;
  dim: number;
  dimProb: number;
  normBudget: number;
  normProb: number;
  dimTied?: boolean;
  normTied?: boolean;
}

/** The supernet phase of a one-shot search (search.mode: oneshot); its finalists then run as ordinary trials. */
export interface OneShotView {
  /** warmup: uniformly sampled configurations train the supernet; search: the controller samples and learns; done. */
  phase: 'warmup' | 'search' | 'done';
  /** Supernet training steps (mini-batches) taken, and in all. */
  step: number;
  totalSteps: number;
  /** Epochs of the train split the phase's steps make, all told (what runs, whatever the space's epochs rounded to). */
  epochs?: number;
  /** Controller rounds finished, and in all (each scores a few sampled configurations on validation rows). */
  round: number;
  rounds: number;
  /** Mean proxy reward of each finished round, oldest first (at most the last 240 rounds). */
  proxy: number[];
  /** Best proxy reward of any sampled configuration so far. */
  bestProxy?: number;
  /** Step the phase resumed from (0 when it started in this process): the rate and ETA count from here. */
  resumedAtStep: number;
  /** Milliseconds since this process started the phase (as of the last update). */
  phaseElapsedMs: number;
  /** Configurations kept for stand-alone training, once the phase is done. */
  finalists?: number;
}

export interface SearchView {
  name: string;
  spaceFile: string;
  seed: number;
  controller: string;
  backend: string;
  startedAt: number;
  /** Milliseconds since startedAt, as of the last update (so rendering is a pure function of the view). */
  elapsedMs: number;
  trialsDone: number;
  /** `elapsedMs` when the last trial finished: the ETA counts down from there between trials. */
  lastFinishedElapsedMs?: number;
  trialsTotal: number;
  bestReward?: number;
  running: RunningTrialView[];
  /** Every finished trial, in completion order. */
  finished: FinishedTrialView[];
  /** The controller's current policy; empty for controllers without one. */
  policy: PolicyFieldView[];
  /**
   * How settled the whole policy is: the mean over its decisions (every searched setting of every field) of
   * 1 − entropy/log(candidates); 0 while it is uniform (a warm-up), 1 once certain. Absent without a policy.
   */
  policySettled?: number;
  paused: boolean;
  stopping: boolean;
  /** Set once the search has ended: what to run to continue it, when it was stopped early. */
  resumeCommand?: string;
  /** Final message (finished / stopped / failed reason). */
  endMessage?: string;
  /** Present for one-shot searches. */
  oneShot?: OneShotView;
  /** The reward's memory budget in bytes; drawn as a line on the AUC × memory plot when set. */
  memoryBudgetBytes?: number;
  /** Set once the search has ended (finished or stopped): the commands that look at its result. */
  nextCommands?: string[];
  /** A synthetic dataset's planted true dims, "user:2 item:2 noise:0", to hold the search's answer against. */
  plantedTruth?: string;
  /** The reward with the search's budget and λ, e.g. "reward = AUC − 0.3·max(0, memory/0.03 MB − 1)" (reward.ts). */
  objective?: string;
}
