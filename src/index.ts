/**
 * embnas as a library (`import { runSearch } from 'embnas'`): load and check a search space, run or resume a search
 * with progress events and `stop()`, train the queued trials of searches run elsewhere (a worker), open a trial
 * store by path or URL, read its trials and export them. docs/api.md has an example. Everything here is also what
 * the CLI uses; the CLI adds the terminal UI and the signal handling.
 */
export { loadSpace, parseSpace, type LoadedSpace } from './space/load-space.js';
export { SpaceSchema, type Space } from './space/schema.js';
export {
  resumeSearch,
  runSearch,
  type ProgressEvent,
  type ResumeSearchOptions,
  type RunningSearch,
  type SearchOptions,
  type StartSearchOptions,
  type TrialEvent,
} from './api/search.js';
export { exportBest, exportCsv, exportTrial, openStore, paretoFront, readTrials, trialsCsv } from './api/store.js';
export type { SearchOutcome } from './search/search-runner.js';
export { startWorker, type RunningWorker, type WorkerOptions, type WorkerSummary } from './search/remote-worker.js';
export type {
  SearchRecord,
  SearchSummary,
  TrialRecord,
  TrialStore,
  TrialStatus,
  TrialWorker,
} from './store/trial-store.js';
export type { TrialConfig, FieldConfig, TrialResult } from './engine/trial-config.js';
export type { ExportedTrial } from './export/exported-trial.js';
export { CONTROLLER_KINDS, type ControllerKind } from './controllers/registry.js';
export { isUsageError, UsageError } from './errors.js';
