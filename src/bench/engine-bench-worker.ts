/**
 * Child process of the engine benchmark: starts N worker threads, each training its own reference model (the way a
 * search uses its workers), starts their timed steps together, and reports rows/s per worker and the process's peak
 * RSS. Runs in a process of its own so the peak RSS belongs to this measurement alone.
 *
 * Protocol: forked with one JSON argument (WorkerRunRequest); sends one message (WorkerRunReport) back over IPC.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runReferenceModel, type BenchModelShape, type ModelRunResult } from './engine-bench-model.js';
import type { BackendChoice } from '../engine/backend.js';

export interface WorkerRunRequest {
  workers: number;
  shape: BenchModelShape;
  warmup: number;
  steps: number;
  runs: number;
  backend: BackendChoice;
}

export interface WorkerRunReport {
  workers: number;
  results: ModelRunResult[];
  peakRssBytes: number;
  /** CPU milliseconds of the whole process (every thread: workers, GC, the idle main thread) from the start to the last worker's end. */
  processCpuMs: number;
  /** Wall milliseconds of the same span: processCpuMs ÷ wallMs is how many CPUs the process got. */
  wallMs: number;
}

type ThreadMessage = { type: 'ready' } | { type: 'done'; result: ModelRunResult } | { type: 'error'; message: string };

async function modelThread(req: WorkerRunRequest, index: number): Promise<void> {
  const port = parentPort!;
  const go = new Promise<void>((resolve) => port.once('message', () => resolve()));
  try {
    const result = await runReferenceModel({
      shape: req.shape,
      warmup: req.warmup,
      steps: req.steps,
      runs: req.runs,
      backend: req.backend,
      seed: index + 1,
      ready: async () => {
        port.postMessage({ type: 'ready' } satisfies ThreadMessage);
        await go;
      },
    });
    port.postMessage({ type: 'done', result } satisfies ThreadMessage);
  } catch (e) {
    port.postMessage({
      type: 'error',
      message: e instanceof Error ? (e.stack ?? e.message) : String(e),
    } satisfies ThreadMessage);
  }
}

async function coordinate(req: WorkerRunRequest): Promise<WorkerRunReport> {
  const threads = Array.from(
    { length: req.workers },
    (_, i) => new Worker(new URL(import.meta.url), { workerData: { req, index: i } }),
  );
  let ready = 0;
  let cpuStart = process.cpuUsage();
  let wallStart = performance.now();
  const results = await Promise.all(
    threads.map(
      (t) =>
        new Promise<ModelRunResult>((resolve, reject) => {
          t.on('error', reject);
          t.on('message', (m: ThreadMessage) => {
            if (m.type === 'ready' && ++ready === threads.length) {
              cpuStart = process.cpuUsage();
              wallStart = performance.now();
              threads.forEach((x) => x.postMessage('go'));
            } else if (m.type === 'done') resolve(m.result);
            else if (m.type === 'error') reject(new Error(m.message));
          });
        }),
    ),
  );
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = performance.now() - wallStart;
  await Promise.all(threads.map((t) => t.terminate()));
  return {
    workers: req.workers,
    results,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    processCpuMs: (cpu.user + cpu.system) / 1000,
    wallMs,
  };
}

if (!isMainThread) {
  const { req, index } = workerData as { req: WorkerRunRequest; index: number };
  await modelThread(req, index);
} else if (process.send) {
  const req = JSON.parse(process.argv[2]) as WorkerRunRequest;
  try {
    const report = await coordinate(req);
    process.send(report, () => process.exit(0));
  } catch (e) {
    process.send({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) }, () => process.exit(1));
  }
}
