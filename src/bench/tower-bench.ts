/**
 * The native tower alone, against the machine's FMA peak (native/tools/fma-peak.c): GFLOP/s of a whole training step
 * of the reference tower (forward, both backward products, Adam) and of each of its three large products. Timed per
 * call, best and median of `reps` (on a shared machine the best call is the one nothing interrupted, the median shows
 * how much the load took), and per second of the thread's own CPU time over all calls.
 *
 * Runnable alone: `node dist/bench/tower-bench.js [--reps 30]` (needs the embnas-native addon).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import seedrandom from 'seedrandom';
import { initBackend } from '../engine/backend.js';
import { nativeKernels } from '../engine/native-addon.js';
import { NativeTower } from '../engine/native-tower.js';
import { REFERENCE_MODEL, threadCpuMs, towerFlopsPerStep } from './engine-bench-model.js';

export interface TowerBenchLine {
  what: string;
  gflop: number;
  bestGflops: number;
  medianGflops: number;
  /** GFLOP per second of this thread's CPU time over all the calls (Linux; 10 ms ticks). */
  cpuGflops?: number;
}

function timed(what: string, gflop: number, reps: number, f: () => void): TowerBenchLine {
  f();
  const ms: number[] = [];
  const cpu0 = threadCpuMs();
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    f();
    ms.push(performance.now() - t);
  }
  const cpu1 = threadCpuMs();
  ms.sort((a, b) => a - b);
  const cpuGflops =
    cpu0 !== undefined && cpu1 !== undefined && cpu1 > cpu0 ? (gflop * reps) / ((cpu1 - cpu0) / 1000) : undefined;
  return {
    what,
    gflop,
    bestGflops: gflop / (ms[0] / 1000),
    medianGflops: gflop / (ms[Math.floor(reps / 2)] / 1000),
    cpuGflops,
  };
}

export async function runTowerBench(reps = 30): Promise<TowerBenchLine[]> {
  await initBackend('native');
  const k = nativeKernels();
  const { batch: B, fields, dim, tower } = REFERENCE_MODEL;
  const [I, O] = [fields * dim, tower[0]];
  const rng = seedrandom.alea('tower-bench');
  const random = (n: number) => Float32Array.from({ length: n }, () => rng() - 0.5);
  const [x, w, g, y, dx, dw] = [
    random(B * I),
    random(I * O),
    random(B * O),
    random(B * O),
    random(B * I),
    random(I * O),
  ];
  const product = (2 * B * I * O) / 1e9;
  const labels = Float32Array.from({ length: B }, () => (rng() < 0.25 ? 1 : 0));
  const model = new NativeTower(I, tower, 'adam', 1e-3, rng, k);
  try {
    return [
      timed(
        `training step of the tower ${[I, ...tower, 1].join('-')}, batch ${B}`,
        towerFlopsPerStep(REFERENCE_MODEL) / 1e9,
        reps,
        () => model.trainStep(x, labels, B),
      ),
      timed(`forward x·W (${B}×${I} · ${I}×${O})`, product, reps, () => k.sgemm(false, false, B, O, I, 1, x, w, 0, y)),
      timed(`weight gradient xᵀ·g (${I}×${B} · ${B}×${O})`, product, reps, () =>
        k.sgemm(true, false, I, O, B, 1, x, g, 0, dw),
      ),
      timed(`input gradient g·Wᵀ (${B}×${O} · ${O}×${I})`, product, reps, () =>
        k.sgemm(false, true, B, I, O, 1, g, w, 0, dx),
      ),
    ];
  } finally {
    model.dispose();
  }
}

export function formatTowerBench(lines: TowerBenchLine[]): string {
  const cpu = (l: TowerBenchLine) => (l.cpuGflops ? `, per CPU-second ${l.cpuGflops.toFixed(1)}` : '');
  return lines
    .map(
      (l) =>
        `${l.what}: ${l.gflop.toFixed(2)} GFLOP, GFLOP/s best ${l.bestGflops.toFixed(1)}, median ${l.medianGflops.toFixed(1)}${cpu(l)}`,
    )
    .join('\n');
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const at = process.argv.indexOf('--reps');
  process.stdout.write(`${formatTowerBench(await runTowerBench(at > 0 ? Number(process.argv[at + 1]) : 30))}\n`);
}
