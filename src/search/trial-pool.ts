/**
 * The worker threads that train trials: a piscina pool of up to `workers` threads, started as trials need them, one
 * model per thread at a time.
 * A trial that throws, runs out of memory or kills its thread comes back as a failure with its reason; the pool
 * replaces the dead thread and the search goes on.
 */
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { EncodedDataset, EncodedField } from '../data/encoded-dataset.js';
import type { BackendName, TrainProgress, TrialConfig, TrialResult } from '../engine/trial-config.js';
import { compiledModule } from '../paths.js';
import type { WorkerOutcome, WorkerTask } from './worker.js';

export interface TrialPoolOptions {
  workers: number;
  backend?: 'auto' | BackendName;
  /** Heap limit of each worker thread; a trial past it fails instead of taking the process down. */
  maxHeapMB?: number;
  /** Caps batches per epoch (quick runs and tests). */
  maxBatchesPerEpoch?: number;
}

export type TrialOutcome = { ok: true; result: TrialResult } | { ok: false; error: string; aborted: boolean };

/**
 * The workers' Node flags: this process's, and no require() of ES modules where Node has it (20.19 and later).
 * piscina first loads a worker's module with require(); on such a Node that loads our ES module synchronously, and a
 * worker stopped in the middle of it (a search stopped while its first worker starts) aborts the whole process
 * ("FATAL ERROR: v8::Module::IsGraphAsync"). Without it, require() refuses at once and piscina imports the module
 * instead, which a stop interrupts cleanly.
 */
const NO_REQUIRE_ESM = '--no-experimental-require-module';
export const WORKER_EXEC_ARGV = process.allowedNodeEnvironmentFlags.has(NO_REQUIRE_ESM)
  ? [...process.execArgv, NO_REQUIRE_ESM]
  : process.execArgv;

export class TrialPool {
  private readonly pool: Piscina;

  constructor(
    dataset: EncodedDataset,
    private readonly options: TrialPoolOptions,
  ) {
    this.pool = new Piscina({
      filename: compiledModule('search/worker.js'),
      // Threads start on demand, up to `workers`: one is ready at once, the others only when trials wait for them.
      minThreads: 1,
      maxThreads: options.workers,
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
      // Training is async (tfjs) and talks over a MessagePort: atomics would block the worker's event loop.
      atomics: 'disabled',
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMB ?? 4096 },
      execArgv: WORKER_EXEC_ARGV,
      workerData: { dataset: forWorkers(dataset) },
    });
  }

  async run(config: TrialConfig, onProgress: (p: TrainProgress) => void, signal?: AbortSignal): Promise<TrialOutcome> {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (p: TrainProgress) => onProgress(p));
    // The worker closes its end after its last progress message; 'close' arrives after every message sent before it.
    // Waiting for it means no progress of a trial is reported after the trial's outcome.
    const drained = new Promise<void>((resolve) => port1.once('close', () => resolve()));
    const task: WorkerTask = {
      config,
      backend: this.options.backend ?? 'auto',
      port: port2,
      maxBatchesPerEpoch: this.options.maxBatchesPerEpoch,
    };
    try {
      const out = (await this.pool.run(task, { transferList: [port2], signal })) as WorkerOutcome;
      await drained;
      return out.ok ? out : { ok: false, error: out.error, aborted: false };
    } catch (e) {
      const aborted = signal?.aborted === true;
      const msg = e instanceof Error ? e.message : String(e);
      const code = (e as { code?: string }).code;
      const reason =
        code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `out of memory (worker heap limit ${this.options.maxHeapMB ?? 4096} MB)`
          : msg;
      return { ok: false, error: aborted ? 'interrupted' : `worker died: ${reason}`, aborted };
    } finally {
      port1.close();
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

/** Workers train on ids and labels only: the raw value strings (possibly millions) stay on the main thread. */
function forWorkers(dataset: EncodedDataset): EncodedDataset {
  return { ...dataset, fields: dataset.fields.map(withoutValues) };
}

/** Copies a field key by key, skipping `values` unread: it may be a lazy getter that would format every string. */
function withoutValues(field: EncodedField): EncodedField {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(field)) if (key !== 'values') copy[key] = field[key as keyof EncodedField];
  return { ...copy, values: [] } as unknown as EncodedField;
}
