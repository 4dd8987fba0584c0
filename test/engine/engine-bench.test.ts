import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { formatEngineBench, type BenchReport } from '../../src/bench/engine-bench.js';
import {
  REFERENCE_MODEL,
  referenceConfig,
  runReferenceModel,
  towerFlopsPerStep,
} from '../../src/bench/engine-bench-model.js';
import { initBackend } from '../../src/engine/backend.js';
import { inferenceBytes } from '../../src/engine/memory.js';

describe('engine benchmark', () => {
  it('the reference model is the documented one (26 × 100k × 16, tower 400-400, batch 2048)', () => {
    const config = referenceConfig(REFERENCE_MODEL);
    expect(config.fields).toHaveLength(26);
    expect(config.batchSize).toBe(2048);
    // 26·100,000·16 embedding floats + 416·400+400 + 400·400+400 + 400+1 tower floats
    expect(inferenceBytes(config, new Array(26).fill(100_000))).toBe((26 * 100_000 * 16 + 166_800 + 160_400 + 401) * 4);
    // 3 products (forward, dW, dX) × 2 flops × 2048 rows × (416·400 + 400·400 + 400·1) ≈ 4.02 GFLOP
    expect(towerFlopsPerStep(REFERENCE_MODEL)).toBe(6 * 2048 * (416 * 400 + 400 * 400 + 400));
  });

  it('times a scaled-down model in-thread and frees its tensors', async () => {
    await initBackend('wasm');
    const before = tf.memory().numTensors;
    const shape = { fields: 4, vocab: 1000, dim: 8, tower: [32, 32], batch: 256 };
    const r = await runReferenceModel({ shape, warmup: 1, steps: 2, runs: 3, backend: 'wasm' });
    expect(r.backend).toBe('wasm');
    expect(r.steps).toBe(6);
    expect(r.runs).toHaveLength(3);
    // the rate is the median run's, as the peer reports its own
    expect(r.rowsPerSec).toBe([...r.runs].sort((a, b) => a - b)[1]);
    expect(r.rowsPerSec).toBeGreaterThan(0);
    const { total, gather, tower, sparse } = r.msPerStep;
    expect(gather + tower + sparse).toBeLessThanOrEqual(total * 1.01);
    expect(tower).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('formats a report with the ratio to PyTorch and the 2-worker scaling', () => {
    const report: BenchReport = {
      model: { ...REFERENCE_MODEL, optimizer: 'adam' },
      backend: 'native',
      backendDetail: 'native (OpenBLAS 0.3.21 Zen, 1 BLAS thread)',
      warmup: 3,
      steps: 10,
      runs: 5,
      engine: [
        {
          workers: 1,
          rowsPerSecTotal: 7900,
          rowsPerSecPerWorker: [7900],
          rowsPerSecRuns: [7000, 7900, 8100, 7800, 8000],
          rowsPerCpuSecPerWorker: [15800],
          rowsPerProcessCpuSec: 15000,
          cpusUsed: 0.52,
          msPerStep: { total: 259, gather: 15, tower: 200, sparse: 40 },
          towerGflops: 20.1,
          peakRssMB: 720,
          peakRssMBPerWorker: 720,
        },
      ],
      torch: [
        { ok: true, rowsPerSec: 23500, runs: [23500], torch: '1.13', blas: 'openblas', threads: 1, maxRssMB: 900 },
      ],
      ratioToTorchPerCore: 7900 / 23500,
      cpus: 2,
      loadAverage: [0.1, 0.2, 0.3],
    };
    const text = formatEngineBench(report);
    expect(text).toMatch(
      /engine 1 worker: 7\.9k rows\/s \(7\.9k; runs 7\.0k 7\.9k 8\.1k 7\.8k 8\.0k; per CPU-second of its thread 15\.8k; per CPU-second of the process 15\.0k; 0\.52 CPUs used\)/,
    );
    expect(text).toMatch(/5 × 10 timed steps after 3 warm-up, rates the median run's/);
    expect(text).toMatch(/backend native \(OpenBLAS 0\.3\.21 Zen, 1 BLAS thread\)/);
    expect(text).toMatch(/tower 200 \(20 GFLOP\/s\)/);
    expect(text).toMatch(/engine ÷ pytorch per core: 0\.34×/);
    expect(text).not.toMatch(/2 workers ÷ 1/);
  });
});
