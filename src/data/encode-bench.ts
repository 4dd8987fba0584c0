/**
 * Benchmark of the data pipeline on a generated Criteo-format file: parse + intern + vocabulary + split, cache off.
 * Peak memory is the resident set size high-water mark of the load (it includes the Node runtime itself), compared
 * with the size of what is produced (ids + labels). On Linux the kernel's mark is reset just before the load, so the
 * file generation does not count; elsewhere it is sampled during the load.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSchema } from '../space/data-schema.js';
import { writeCriteoFile } from './readers/criteo-fixture.js';
import { loadDataset } from './load-dataset.js';

export interface DataBenchOptions {
  lines?: number;
  /** Folder for the generated file (default: a fresh temporary folder, removed afterwards). */
  dir?: string;
  seed?: number;
}

export interface DataBenchResult {
  lines: number;
  /** Load time: parse, intern, vocabulary, split (file generation not included). */
  seconds: number;
  linesPerSec: number;
  /** CPU time of the load (user + system, all threads): the honest figure on a machine shared with other work. */
  cpuSeconds: number;
  linesPerCpuSec: number;
  /** Bytes of the encoded ids and labels. */
  encodedBytes: number;
  /** Highest resident set size seen during the load. */
  peakRssBytes: number;
  /** Resident set size just before the load (the runtime and the benchmark itself). */
  baselineRssBytes: number;
  fileBytes: number;
}

export async function benchDataPipeline(opts: DataBenchOptions = {}): Promise<DataBenchResult> {
  const lines = opts.lines ?? 1_000_000;
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'embnas-bench-'));
  const file = path.join(dir, `criteo-${lines}.txt`);
  try {
    await writeCriteoFile(file, lines, opts.seed ?? 1);
    const fileBytes = statSync(file).size;
    const spec = DataSchema.parse({ format: 'criteo', path: file, cache: false, split: { by: 'file' } });

    global.gc?.();
    const baselineRssBytes = process.memoryUsage.rss();
    const kernelMark = resetPeakRss();
    let peakRssBytes = baselineRssBytes;
    const sample = () => {
      peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
    };
    // Progress callbacks sample during parsing; the timer catches the phases after it (vocabulary, split).
    const timer = setInterval(sample, 50);
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const { dataset } = await loadDataset(spec, dir, { onProgress: sample });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    sample();
    clearInterval(timer);
    if (kernelMark) peakRssBytes = Math.max(peakRssBytes, readPeakRss() ?? 0);

    return {
      lines: dataset.numRows,
      seconds,
      linesPerSec: dataset.numRows / seconds,
      cpuSeconds,
      linesPerCpuSec: dataset.numRows / cpuSeconds,
      encodedBytes: dataset.ids.byteLength + dataset.labels.byteLength,
      peakRssBytes,
      baselineRssBytes,
      fileBytes,
    };
  } finally {
    if (opts.dir === undefined) rmSync(dir, { recursive: true, force: true });
    else rmSync(file, { force: true });
  }
}

/** Resets the kernel's resident-set high-water mark of this process (Linux: clear_refs 5); false where unsupported. */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return readPeakRss() !== null;
  } catch {
    return false;
  }
}

/** VmHWM of this process in bytes, or null. */
function readPeakRss(): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
