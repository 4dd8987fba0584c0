/**
 * The native tower (BLAS GEMMs in the embnas-native addon) against the tfjs wasm tower: same initial weights, same
 * forward outputs and gradients (relative 1e-4), the same optimizer state layout both ways, and a short training run
 * to the same validation AUC. Skips with a message when the addon was not built (a failure under EMBNAS_REQUIRE_ALL=1).
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { describeBackend, initBackend } from '../../src/engine/backend.js';
import { backendLabel, loadNative, nativeKernels } from '../../src/engine/native-addon.js';
import { NativeTower } from '../../src/engine/native-tower.js';
import { TfjsTower } from '../../src/engine/tfjs-tower.js';
import type { Tower } from '../../src/engine/tower-common.js';
import { train } from '../../src/engine/train.js';
import { isUsageError } from '../../src/errors.js';
import { requireOrSkip } from '../require.js';
import { configFor, plantedDataset } from './fixtures.js';

const load = loadNative();
const present = requireOrSkip(
  load.ok,
  `the native tower addon embnas-native (${load.ok ? '' : load.reason})`,
  'apt-get install libopenblas-dev g++ make, then npm run build:native',
);

/** max |a − b| over max |b|: the arrays agree to that relative precision. */
function relativeError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let [diff, scale] = [0, 0];
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  expect(scale).toBeGreaterThan(0);
  return diff / scale;
}

function batch(rows: number, width: number, seed: string): { x: Float32Array; y: Float32Array } {
  const rng = seedrandom.alea(seed);
  const x = Float32Array.from({ length: rows * width }, () => rng() * 2 - 1);
  const y = Float32Array.from({ length: rows }, () => (rng() < 0.3 ? 1 : 0));
  return { x, y };
}

function pair(width: number, hidden: number[], optimizer: 'adam' | 'adagrad'): [Tower, Tower] {
  const wasm = new TfjsTower(width, hidden, optimizer, 0.01, seedrandom.alea('tower'));
  const native = new NativeTower(width, hidden, optimizer, 0.01, seedrandom.alea('tower'), nativeKernels());
  return [native, wasm];
}

describe.runIf(present)('native tower', () => {
  it.each([
    [37, [64, 48]],
    [13, []],
    [0, [8]],
  ])('agrees with the wasm tower on outputs and gradients (width %i)', async (width, hidden) => {
    await initBackend('wasm');
    const [native, wasm] = pair(width, hidden, 'adam');
    try {
      native.parameters().forEach((p, i) => expect(p).toEqual(wasm.parameters()[i]));
      const { x, y } = batch(300, width, 'batch');
      if (width > 0) expect(relativeError(native.predict(x, 300), wasm.predict(x, 300))).toBeLessThan(1e-4);
      const [gn, gw] = [native.gradients(x, y, 300), wasm.gradients(x, y, 300)];
      expect(Math.abs(gn.loss - gw.loss) / gw.loss).toBeLessThan(1e-4);
      if (width > 0) expect(relativeError(gn.dx, gw.dx)).toBeLessThan(1e-4);
      expect(gn.params).toHaveLength(gw.params.length);
      gn.params.forEach((g, i) => expect(relativeError(g, gw.params[i]), `parameter ${i}`).toBeLessThan(1e-4));
    } finally {
      native.dispose();
      wasm.dispose();
    }
  });

  it.each(['adam', 'adagrad'] as const)(
    'keeps %s state in the tfjs layout: a state moves between the backends unchanged',
    async (optimizer) => {
      await initBackend('wasm');
      const [native, wasm] = pair(12, [10], optimizer);
      try {
        expect(native.captureState().meta.slots).toBe(0);
        const { x, y } = batch(50, 12, 'steps');
        for (let s = 0; s < 3; s++) [native, wasm].forEach((t) => t.trainStep(x, y, 50));
        const [sn, sw] = [native.captureState(), wasm.captureState()];
        expect(sn.meta).toEqual(sw.meta);
        sn.buffers.forEach((b, i) => expect(relativeError(b, sw.buffers[i]), `buffer ${i}`).toBeLessThan(1e-3));
        // native → wasm → native, exactly
        wasm.restoreState(sn);
        const back = wasm.captureState();
        expect(back.meta).toEqual(sn.meta);
        back.buffers.forEach((b, i) => expect(b).toEqual(sn.buffers[i]));
        native.restoreState(sw);
        native.captureState().buffers.forEach((b, i) => expect(b).toEqual(sw.buffers[i]));
        expect(() => native.restoreState({ meta: { ...sw.meta, shapes: [[3]] }, buffers: sw.buffers })).toThrow(
          /does not fit/,
        );
      } finally {
        native.dispose();
        wasm.dispose();
      }
    },
  );

  it('trains to the same validation AUC as wasm', async () => {
    const data = plantedDataset({ rows: 4000, informative: 2, noise: 2, seed: 5 });
    const config = configFor(data, { tower: [16, 8], epochs: 2 });
    const [n, w] = [await train(config, data, { backend: 'native' }), await train(config, data, { backend: 'wasm' })];
    expect(n.backend).toBe('native');
    expect(w.backend).toBe('wasm');
    expect(n.validAuc).toBeGreaterThan(0.7);
    expect(Math.abs(n.validAuc - w.validAuc)).toBeLessThan(0.005);
    expect(n.epochs.length).toBe(w.epochs.length);
  });

  it("'auto' prefers it and names the BLAS it runs on", async () => {
    expect(await initBackend('auto')).toBe('native');
    expect(describeBackend('native')).toMatch(/^native \(.+, 1 BLAS thread\)$/);
    expect(backendLabel('auto')).toMatch(/^native \(.+, 1 BLAS thread\)$/);
    expect(backendLabel('wasm')).toBe('wasm');
  });

  it('rejects arrays too short for the shapes it is given', () => {
    const k = nativeKernels();
    expect(() =>
      k.sgemm(false, false, 4, 4, 4, 1, new Float32Array(16), new Float32Array(15), 0, new Float32Array(16)),
    ).toThrow(/argument 7 has 15 elements, needs 16/);
    expect(() => k.biasAct(new Float32Array(6), new Float32Array(3), 2, 3, 1 as unknown as boolean)).toThrow(
      /should be a boolean/,
    );
    expect(() => k.colSums(new Float64Array(4) as unknown as Float32Array, 2, 2, new Float32Array(2))).toThrow(
      /Float32Array/,
    );
  });
});

describe.runIf(!present)('native backend missing', () => {
  it('asking for it is a one-line UsageError saying how to build it', async () => {
    const error = await initBackend('native').catch((e: unknown) => e);
    expect(isUsageError(error)).toBe(true);
    expect((error as { hint?: string }).hint).toMatch(/libopenblas-dev.*npm run build:native/);
  });
});
