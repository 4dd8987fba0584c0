/**
 * The PyTorch peer of the engine benchmark (shared/bench/torch_ref.py: the same model, one thread, OpenBLAS): its
 * rows/s, and its rows per CPU-second, the figure a shared, loaded machine disturbs least. torch_ref.py times wall
 * clock only, so its CPU per step is the difference between two runs of different lengths, each wrapped to report
 * the process's CPU time at exit (import, data and warm-up cancel out).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BenchModelShape } from './engine-bench-model.js';

export type TorchRun =
  | { ok: true; rowsPerSec: number; runs: number[]; torch: string; blas: string; threads: number; maxRssMB: number }
  | { ok: false; skipped: string };

/** The peer script: $EMBNAS_TORCH_REF, else shared/bench/torch_ref.py next to the project folder. */
const TORCH_REF = path.resolve(
  process.env.EMBNAS_TORCH_REF ?? path.join(process.cwd(), '../shared/bench/torch_ref.py'),
);
const PYTHON = '/usr/bin/python3';

/** Runs the script through runpy and prints the process's CPU seconds as a last JSON line. */
const CPU_WRAPPER =
  'import resource, runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name="__main__"); ' +
  'r = resource.getrusage(resource.RUSAGE_SELF); print(\'{"cpuSeconds": %f}\' % (r.ru_utime + r.ru_stime))';

function peerMissing(): string | undefined {
  if (!existsSync(TORCH_REF)) return `${path.relative(process.cwd(), TORCH_REF)} not found`;
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  return undefined;
}

function shapeArgs(shape: BenchModelShape): string[] {
  return [
    '--threads',
    '1',
    '--fields',
    `${shape.fields}`,
    '--vocab',
    `${shape.vocab}`,
    '--dim',
    `${shape.dim}`,
    '--batch',
    `${shape.batch}`,
    '--hidden',
    `${shape.tower[0]}`,
  ];
}

/** Runs python with `args`; resolves with the JSON lines it printed, or the reason it failed. */
function runPython(args: string[]): Promise<{ lines: unknown[] } | { failed: string }> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, args, {
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => resolve({ failed: `could not run ${PYTHON}: ${e.message}` }));
    child.on('close', (code) => {
      try {
        resolve({
          lines: out
            .trim()
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as unknown),
        });
      } catch {
        resolve({ failed: `torch_ref.py did not run (${err.trim().split('\n').pop() || `exit code ${code}`})` });
      }
    });
  });
}

export async function runTorch(shape: BenchModelShape, quick: boolean): Promise<TorchRun> {
  const missing = peerMissing();
  if (missing) return { ok: false, skipped: missing };
  const args = [
    TORCH_REF,
    ...shapeArgs(shape),
    ...(quick ? ['--steps', '5', '--runs', '1', '--warmup', '2'] : ['--steps', '10', '--runs', '5', '--warmup', '3']),
  ];
  const r = await runPython(args);
  const line = 'lines' in r ? (r.lines.at(-1) as { rowsPerSec?: number } | undefined) : undefined;
  if (!line || typeof line.rowsPerSec !== 'number')
    return { ok: false, skipped: 'failed' in r ? r.failed : 'torch_ref.py printed no result' };
  const t = line as {
    rowsPerSec: number;
    runs: number[];
    torch: string;
    blas: string;
    threads: number;
    maxRssMB: number;
  };
  return {
    ok: true,
    rowsPerSec: t.rowsPerSec,
    runs: t.runs,
    torch: t.torch,
    blas: t.blas,
    threads: t.threads,
    maxRssMB: t.maxRssMB,
  };
}

/** The peer's rows per CPU-second: batch ÷ (CPU of a 35-step run − CPU of a 5-step run) / 30. Undefined if it fails. */
export async function torchRowsPerCpuSec(shape: BenchModelShape): Promise<number | undefined> {
  if (peerMissing()) return undefined;
  const cpu = async (steps: number): Promise<number | undefined> => {
    const r = await runPython([
      '-c',
      CPU_WRAPPER,
      TORCH_REF,
      ...shapeArgs(shape),
      '--steps',
      `${steps}`,
      '--runs',
      '1',
      '--warmup',
      '3',
    ]);
    const last = 'lines' in r ? (r.lines.at(-1) as { cpuSeconds?: number } | undefined) : undefined;
    return typeof last?.cpuSeconds === 'number' ? last.cpuSeconds : undefined;
  };
  const [short, long] = [await cpu(5), await cpu(35)];
  if (short === undefined || long === undefined || long <= short) return undefined;
  return shape.batch / ((long - short) / 30);
}
