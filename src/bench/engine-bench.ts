/**
 * `embnas bench`: training throughput of the engine on the reference model, for 1 and 2 worker threads (one model
 * each), next to the PyTorch peer (shared/bench/torch_ref.py, one thread, OpenBLAS) measured in the same run, since
 * absolute numbers on a shared machine move with its load and only the ratio is comparable.
 *
 * Runnable alone: `node dist/bench/engine-bench.js [--quick] [--json]`.
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BackendChoice } from '../engine/backend.js';
import type { BackendName } from '../engine/trial-config.js';
import { REFERENCE_MODEL, towerFlopsPerStep, type BenchModelShape } from './engine-bench-model.js';
import type { WorkerRunReport, WorkerRunRequest } from './engine-bench-worker.js';
import { runTorch, torchRowsPerCpuSec, type TorchRun } from './torch-peer.js';

export type { TorchRun } from './torch-peer.js';

export interface EngineBenchOptions {
  quick?: boolean;
  /** Worker counts to measure (default [1, 2]). */
  workers?: number[];
  backend?: BackendChoice;
  /** Skip the PyTorch peer. */
  noTorch?: boolean;
}

export interface EngineRun {
  workers: number;
  /** The workers' rates added up; each worker's is the median of its timed runs. */
  rowsPerSecTotal: number;
  rowsPerSecPerWorker: number[];
  /** The first worker's rate in each timed run. */
  rowsPerSecRuns: number[];
  /** Per worker: rows per second of its own CPU time (Linux), the figure a loaded machine disturbs least. */
  rowsPerCpuSecPerWorker?: number[];
  /** All workers' rows ÷ the CPU seconds of their whole process (GC and helper threads included). */
  rowsPerProcessCpuSec: number;
  /** CPUs the process got while it ran (its CPU time ÷ wall time): on a shared machine, what the scaling can reach. */
  cpusUsed: number;
  /** Mean ms per step (first worker) by phase. */
  msPerStep: { total: number; gather: number; tower: number; sparse: number };
  /** The tower's arithmetic rate in the first worker: towerFlopsPerStep ÷ its tower time per step. */
  towerGflops: number;
  peakRssMB: number;
  peakRssMBPerWorker: number;
}

export interface BenchReport {
  model: BenchModelShape & { optimizer: 'adam' };
  backend: BackendName;
  /** The backend with what it runs on, e.g. the BLAS the native addon linked. */
  backendDetail: string;
  warmup: number;
  /** Timed steps per run. */
  steps: number;
  /** Timed runs; a worker's rate is the median of its runs'. */
  runs: number;
  engine: EngineRun[];
  /** PyTorch runs: before and (full mode) after the engine runs. */
  torch: TorchRun[];
  /** Engine rows/s on one worker ÷ PyTorch rows/s on one thread (mean of the torch runs). */
  ratioToTorchPerCore?: number;
  /**
   * The peer's rows per CPU-second of its process (full mode), and the engine's (1 worker, its whole process) ÷ it:
   * the ratio a loaded machine disturbs least.
   */
  torchRowsPerCpuSec?: number;
  cpuRatioToTorch?: number;
  /** Total rows/s with 2 workers ÷ with 1. */
  scaling2vs1?: number;
  cpus: number;
  loadAverage: number[];
}

function runWorkers(req: WorkerRunRequest): Promise<WorkerRunReport> {
  const script = fileURLToPath(new URL('./engine-bench-worker.js', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = fork(script, [JSON.stringify(req)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let report: WorkerRunReport | undefined;
    child.on('message', (m: WorkerRunReport | { error: string }) => {
      if ('error' in m) reject(new Error(`engine benchmark worker failed: ${m.error}`));
      else report = m;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      report ? resolve(report) : reject(new Error(`engine benchmark process exited with ${code}`)),
    );
  });
}

export async function runEngineBench(opts: EngineBenchOptions = {}): Promise<BenchReport> {
  const quick = opts.quick === true;
  const shape = REFERENCE_MODEL;
  // Timed as the peer times itself (torch_ref.py): runs of 10 steps after 3 warm-up, the median run's rate.
  const [warmup, steps, runs] = quick ? [2, 5, 1] : [3, 10, 5];
  const torch: TorchRun[] = [];
  // The runs go one after another, never side by side: each measurement gets the cores it asks for.
  if (!opts.noTorch) torch.push(await runTorch(shape, quick));
  const engine: EngineRun[] = [];
  let backend: BackendName = 'wasm';
  let backendDetail = 'wasm';
  for (const workers of opts.workers ?? [1, 2]) {
    const r = await runWorkers({ workers, shape, warmup, steps, runs, backend: opts.backend ?? 'auto' });
    ({ backend, backendDetail } = r.results[0]);
    const peakRssMB = r.peakRssBytes / 2 ** 20;
    engine.push({
      workers,
      rowsPerSecTotal: r.results.reduce((s, x) => s + x.rowsPerSec, 0),
      rowsPerSecPerWorker: r.results.map((x) => x.rowsPerSec),
      rowsPerSecRuns: r.results[0].runs,
      rowsPerProcessCpuSec: (workers * runs * steps * shape.batch) / (r.processCpuMs / 1000),
      cpusUsed: r.processCpuMs / r.wallMs,
      rowsPerCpuSecPerWorker: r.results.every((x) => x.rowsPerCpuSec)
        ? r.results.map((x) => x.rowsPerCpuSec!)
        : undefined,
      msPerStep: r.results[0].msPerStep,
      towerGflops: towerFlopsPerStep(shape) / (r.results[0].msPerStep.tower / 1000) / 1e9,
      peakRssMB,
      peakRssMBPerWorker: peakRssMB / workers,
    });
  }
  let torchCpu: number | undefined;
  if (!opts.noTorch && !quick && torch[0]?.ok) {
    torch.push(await runTorch(shape, quick));
    torchCpu = await torchRowsPerCpuSec(shape);
  }
  const okTorch = torch.filter((t): t is Extract<TorchRun, { ok: true }> => t.ok);
  const one = engine.find((e) => e.workers === 1);
  const two = engine.find((e) => e.workers === 2);
  const torchMean = okTorch.length ? okTorch.reduce((s, t) => s + t.rowsPerSec, 0) / okTorch.length : undefined;
  return {
    model: { ...shape, optimizer: 'adam' },
    backend,
    backendDetail,
    warmup,
    steps,
    runs,
    engine,
    torch,
    ratioToTorchPerCore: one && torchMean ? one.rowsPerSecTotal / torchMean : undefined,
    scaling2vs1: one && two ? two.rowsPerSecTotal / one.rowsPerSecTotal : undefined,
    torchRowsPerCpuSec: torchCpu,
    cpuRatioToTorch: torchCpu && one ? one.rowsPerProcessCpuSec / torchCpu : undefined,
    cpus: os.availableParallelism(),
    loadAverage: os.loadavg(),
  };
}

export function formatEngineBench(r: BenchReport): string {
  const m = r.model;
  const k = (x: number) => `${(x / 1000).toFixed(1)}k`;
  const lines = [
    `reference model: ${m.fields} fields × ${m.vocab} rows × dim ${m.dim}, tower ${m.tower.join('-')}, batch ${m.batch}, Adam; ` +
      `${r.runs} × ${r.steps} timed steps after ${r.warmup} warm-up, rates the median run's; backend ${r.backendDetail ?? r.backend}; ${r.cpus} CPUs, load ${r.loadAverage.map((x) => x.toFixed(1)).join(' ')}`,
  ];
  for (const e of r.engine) {
    const s = e.msPerStep;
    lines.push(
      `engine ${e.workers} worker${e.workers > 1 ? 's' : ''}: ${k(e.rowsPerSecTotal)} rows/s (${e.rowsPerSecPerWorker.map(k).join(' + ')}` +
        `${e.workers === 1 && e.rowsPerSecRuns.length > 1 ? `; runs ${e.rowsPerSecRuns.map(k).join(' ')}` : ''}` +
        `${e.rowsPerCpuSecPerWorker ? `; per CPU-second of its thread ${e.rowsPerCpuSecPerWorker.map(k).join(' + ')}` : ''}; ` +
        `per CPU-second of the process ${k(e.rowsPerProcessCpuSec)}; ${e.cpusUsed.toFixed(2)} CPUs used), ` +
        `step ${s.total.toFixed(0)} ms = tower ${s.tower.toFixed(0)} (${e.towerGflops.toFixed(0)} GFLOP/s) + gather ${s.gather.toFixed(0)} + sparse update ${s.sparse.toFixed(0)}; ` +
        `peak RSS ${e.peakRssMB.toFixed(0)} MB (${e.peakRssMBPerWorker.toFixed(0)} MB per worker)`,
    );
  }
  for (const t of r.torch) {
    lines.push(
      t.ok
        ? `pytorch ${t.torch}, ${t.threads} thread: ${k(t.rowsPerSec)} rows/s (runs ${t.runs.map(k).join(' ')}), ${t.blas}`
        : `pytorch: skipped, ${t.skipped}`,
    );
  }
  if (r.ratioToTorchPerCore !== undefined)
    lines.push(`engine ÷ pytorch per core: ${r.ratioToTorchPerCore.toFixed(2)}×`);
  if (r.cpuRatioToTorch !== undefined) {
    lines.push(
      `per CPU-second of the process: pytorch ${k(r.torchRowsPerCpuSec!)} rows, engine 1 worker ÷ pytorch ${r.cpuRatioToTorch.toFixed(2)}×`,
    );
  }
  if (r.scaling2vs1 !== undefined) lines.push(`2 workers ÷ 1 worker: ${r.scaling2vs1.toFixed(2)}×`);
  return lines.join('\n');
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const backendAt = args.indexOf('--backend');
  const backend = backendAt >= 0 ? (args[backendAt + 1] as BackendChoice) : undefined;
  const report = await runEngineBench({
    quick: args.includes('--quick'),
    noTorch: args.includes('--no-torch'),
    backend,
  });
  process.stdout.write(args.includes('--json') ? `${JSON.stringify(report)}\n` : `${formatEngineBench(report)}\n`);
}
