import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { isUsageError } from '../../src/errors.js';
import { initBackend } from '../../src/engine/backend.js';
import { loadNative } from '../../src/engine/native-addon.js';

function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

describe('initBackend', () => {
  it("'auto' picks the best backend that loads (native when built, wasm when tfjs-node is absent) and activates it", async () => {
    const name = await initBackend('auto');
    const tfjsBest = installed('@tensorflow/tfjs-node-gpu')
      ? 'tensorflow-gpu'
      : installed('@tensorflow/tfjs-node')
        ? 'tensorflow'
        : 'wasm';
    expect(name).toBe(loadNative().ok ? 'native' : tfjsBest);
    // the native tower runs no tfjs backend of its own
    if (name !== 'native') expect(tf.getBackend()).toBe(name.startsWith('tensorflow') ? 'tensorflow' : name);
  });

  it('switches between explicit backends', async () => {
    expect(await initBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await initBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it.skipIf(installed('@tensorflow/tfjs-node'))(
    'asking for a native backend that is not installed is a UsageError naming the package',
    async () => {
      const error = await initBackend('tensorflow').catch((e: unknown) => e);
      expect(isUsageError(error)).toBe(true);
      expect((error as Error).message).toMatch(/'tensorflow' is not available/);
      expect((error as { hint?: string }).hint).toMatch(/@tensorflow\/tfjs-node/);
      // the previous backend stays usable
      expect(await initBackend('wasm')).toBe('wasm');
    },
  );

  it('rejects an unknown backend name', async () => {
    const error = await initBackend('webgpu' as never).catch((e: unknown) => e);
    expect(isUsageError(error)).toBe(true);
    expect((error as Error).message).toMatch(/unknown engine backend 'webgpu'/);
  });
});
