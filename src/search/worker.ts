/**
 * The piscina worker entry: one model at a time per worker thread. The encoded dataset arrives once, in workerData,
 * backed by SharedArrayBuffers (no copy per trial); progress goes back over the MessagePort sent with each task.
 */
import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'node:worker_threads';
import type { EncodedDataset } from '../data/encoded-dataset.js';
import { train } from '../engine/index.js';
import type { BackendName, TrialConfig, TrialResult } from '../engine/trial-config.js';
import { isUsageError } from '../errors.js';

export interface WorkerTask {
  config: TrialConfig;
  backend: 'auto' | BackendName;
  port: MessagePort;
  maxBatchesPerEpoch?: number;
}

/** A failed trial's reason crosses the thread boundary as plain data (Error subclasses lose their class). */
export type WorkerOutcome = { ok: true; result: TrialResult } | { ok: false; error: string; usage: boolean };

const dataset = (workerData as { dataset: EncodedDataset }).dataset;

export default async function runTrial(task: WorkerTask): Promise<WorkerOutcome> {
  try {
    const result = await train(
      task.config,
      dataset,
      { backend: task.backend, maxBatchesPerEpoch: task.maxBatchesPerEpoch },
      (p) => task.port.postMessage(p),
    );
    return { ok: true, result };
  } catch (e) {
    const usage = isUsageError(e);
    return { ok: false, usage, error: usage ? e.toLine() : e instanceof Error ? (e.stack ?? e.message) : String(e) };
  } finally {
    task.port.close();
  }
}
