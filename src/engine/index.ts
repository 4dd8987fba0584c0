/** Public API of the training engine. */
export { train, TrainingAbortedError, PROGRESS_INTERVAL_MS, type TrainOptions, type TrainedModel } from './train.js';
export { inferenceBytes, trainingBytes } from './memory.js';
export { rocAuc, loglossFromLogits } from './metrics.js';
export { initBackend, activeBackend, describeBackend, BACKEND_NAMES, type BackendChoice } from './backend.js';
export {
  CtrModel,
  type BatchSource,
  type ModelGradients,
  type ModelWeights,
  type EmbeddingWeights,
  type DenseWeights,
} from './model.js';
export type * from './trial-config.js';
