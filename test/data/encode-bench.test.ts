import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchDataPipeline } from '../../src/data/encode-bench.js';

describe('benchDataPipeline', () => {
  it('times a small generated Criteo file and reports sizes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'embnas-bench-test-'));
    try {
      const r = await benchDataPipeline({ lines: 4000, dir });
      expect(r.lines).toBe(4000);
      expect(r.encodedBytes).toBe(4000 * 39 * 4 + 4000 * 4);
      expect(r.seconds).toBeGreaterThan(0);
      expect(r.linesPerSec).toBeCloseTo(4000 / r.seconds, 6);
      expect(r.cpuSeconds).toBeGreaterThan(0);
      expect(r.peakRssBytes).toBeGreaterThanOrEqual(r.baselineRssBytes);
      expect(r.fileBytes).toBeGreaterThan(4000 * 40);
      expect(readdirSync(dir)).toEqual([]); // the generated file is removed
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
