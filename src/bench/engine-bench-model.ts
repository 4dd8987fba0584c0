/**
 * The reference model of `embnas bench` and its timed training loop, shared by the benchmark's worker threads and
 * by tests (which run it in-thread on a scaled-down shape).
 *
 * Reference: 26 fields × 100,000 rows × dim 16 (416 wide) → 400 → 400 → 1, batch 2048, Adam (sparse on the tables),
 * trained on uniform random ids and Bernoulli(0.25) labels, cycling over 8 pre-generated batches like the PyTorch
 * peer (shared/bench/torch_ref.py) does. Timed the way the peer times itself: `runs` runs of `steps` steps, the rate
 * the median of the runs', so a stall of the shared machine in one run moves neither side's figure.
 */
import { readFileSync } from 'node:fs';
import seedrandom from 'seedrandom';
import { describeBackend, initBackend, type BackendChoice } from '../engine/backend.js';
import { CtrModel, type BatchSource } from '../engine/model.js';
import type { BackendName, TrialConfig } from '../engine/trial-config.js';

export interface BenchModelShape {
  fields: number;
  vocab: number;
  dim: number;
  tower: number[];
  batch: number;
}

export const REFERENCE_MODEL: BenchModelShape = { fields: 26, vocab: 100_000, dim: 16, tower: [400, 400], batch: 2048 };

export interface ModelRunOptions {
  shape: BenchModelShape;
  warmup: number;
  /** Timed steps per run. */
  steps: number;
  /** Timed runs (default 1); the rate reported is their median. */
  runs?: number;
  backend?: BackendChoice;
  seed?: number;
  /** Called after warm-up; timing starts when the returned promise resolves (lets several workers start together). */
  ready?: () => Promise<void>;
}

export interface ModelRunResult {
  backend: BackendName;
  /** The backend with what it runs on (the native addon's BLAS). */
  backendDetail: string;
  /** The median of the runs' rates. */
  rowsPerSec: number;
  /** Each timed run's rows per second. */
  runs: number[];
  /**
   * Rows per second of this thread's own CPU time over all timed runs (Linux: /proc/thread-self/stat, 10 ms ticks; undefined elsewhere).
   * On a shared machine it tells a slow engine from a thread that was waiting for a core.
   */
  rowsPerCpuSec?: number;
  /** Timed steps in all. */
  steps: number;
  /** Mean milliseconds per timed step by phase, over all timed runs. */
  msPerStep: { total: number; gather: number; tower: number; sparse: number };
  initSeconds: number;
}

const BATCHES = 8;

/** CPU milliseconds this thread has used (user + system), or undefined where /proc/thread-self is missing. */
export function threadCpuMs(): number | undefined {
  try {
    // Fields after the command name (which may hold spaces): state is field 3, utime and stime fields 14 and 15.
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Floating-point operations of the tower per training step: forward, weight gradients and input gradients, 2·B·in·out each. */
export function towerFlopsPerStep(shape: BenchModelShape): number {
  const sizes = [shape.fields * shape.dim, ...shape.tower, 1];
  const macs = sizes.slice(1).reduce((s, out, l) => s + sizes[l] * out, 0);
  return 3 * 2 * shape.batch * macs;
}

export function referenceConfig(shape: BenchModelShape, seed = 1): TrialConfig {
  return {
    fields: Array.from({ length: shape.fields }, (_, i) => ({ name: `C${i + 1}`, dim: shape.dim, normAlpha: 0 })),
    tower: shape.tower,
    optimizer: 'adam',
    lr: 1e-3,
    batchSize: shape.batch,
    epochs: 1,
    patience: 1,
    seed,
  };
}

function syntheticBatches(shape: BenchModelShape, seed: number): BatchSource {
  const rng = seedrandom.alea(`bench:${seed}`);
  const ids = new Int32Array(BATCHES * shape.batch * shape.fields);
  for (let i = 0; i < ids.length; i++) ids[i] = Math.floor(rng() * shape.vocab);
  const labels = new Float32Array(BATCHES * shape.batch);
  for (let i = 0; i < labels.length; i++) labels[i] = rng() < 0.25 ? 1 : 0;
  return { ids, labels, numFields: shape.fields };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Builds the model, runs `warmup` untimed steps, then times `runs` runs of `steps` steps. Disposes everything it created. */
export async function runReferenceModel(opts: ModelRunOptions): Promise<ModelRunResult> {
  const { shape, warmup, steps, seed = 1 } = opts;
  const backend = await initBackend(opts.backend ?? 'auto');
  const initStart = performance.now();
  const src = syntheticBatches(shape, seed);
  const model = new CtrModel(
    referenceConfig(shape, seed),
    new Array<number>(shape.fields).fill(shape.vocab),
    shape.batch,
  );
  const initSeconds = (performance.now() - initStart) / 1000;
  try {
    let i = 0;
    const step = () => model.trainBatch(src, null, (i++ % BATCHES) * shape.batch, shape.batch);
    for (let w = 0; w < warmup; w++) step();
    await opts.ready?.();
    const runs = opts.runs ?? 1;
    const total = runs * steps;
    const t = { ...model.timing };
    const cpuStart = threadCpuMs();
    const rates: number[] = [];
    let ms = 0;
    for (let r = 0; r < runs; r++) {
      const start = performance.now();
      for (let s = 0; s < steps; s++) step();
      const runMs = performance.now() - start;
      rates.push((steps * shape.batch) / (runMs / 1000));
      ms += runMs;
    }
    const cpuEnd = threadCpuMs();
    const cpuMs = cpuStart !== undefined && cpuEnd !== undefined ? cpuEnd - cpuStart : undefined;
    return {
      backend,
      backendDetail: describeBackend(backend),
      rowsPerSec: median(rates),
      runs: rates,
      rowsPerCpuSec: cpuMs ? (total * shape.batch) / (cpuMs / 1000) : undefined,
      steps: total,
      msPerStep: {
        total: ms / total,
        gather: (model.timing.gatherMs - t.gatherMs) / total,
        tower: (model.timing.towerMs - t.towerMs) / total,
        sparse: (model.timing.sparseMs - t.sparseMs) / total,
      },
      initSeconds,
    };
  } finally {
    model.dispose();
  }
}
