/**
 * `embnas bench`: training throughput of this machine's engine against a PyTorch peer run side by side in the same
 * process tree (and optionally data parsing), reported as ratios, since wall clock alone says little on a shared machine.
 */
import type { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { backendOption, jsonOption, option, positiveInt } from '../options.js';
import { backendFlag } from './run.js';

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('measure training throughput (and optionally data parsing) against a PyTorch peer run side by side')
    .addOption(jsonOption())
    .addOption(option('--quick', 'fewer steps (a smoke run, numbers less stable)'))
    .addOption(backendOption())
    .addOption(option('--data', 'measure Criteo-format parse + encode throughput instead of training'))
    .addOption(
      option('--lines <n>', 'lines of the generated Criteo file for --data', '1000000').argParser(
        positiveInt('--lines'),
      ),
    )
    .addHelpText('after', '\nExamples:\n  $ embnas bench\n  $ embnas bench --data --json')
    .action(
      async (flags: { json?: boolean; quick?: boolean; data?: boolean; lines: number | string; backend: string }) => {
        if (flags.data) {
          const { benchDataPipeline } = await import('../../data/encode-bench.js');
          const dir = mkdtempSync(path.join(tmpdir(), 'embnas-bench-'));
          try {
            const r = await benchDataPipeline({ lines: Number(flags.lines), dir });
            if (flags.json) process.stdout.write(`${JSON.stringify(r)}\n`);
            else {
              process.stdout.write(
                `criteo parse+encode: ${r.lines} lines in ${r.seconds.toFixed(2)} s = ${Math.round(r.linesPerSec)} lines/s; ` +
                  `encoded ${(r.encodedBytes / 1e6).toFixed(1)} MB, peak RSS ${(r.peakRssBytes / 1e6).toFixed(0)} MB\n`,
              );
            }
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
          return;
        }
        const { runEngineBench, formatEngineBench } = await import('../../bench/engine-bench.js');
        const report = await runEngineBench({ quick: flags.quick === true, backend: backendFlag(flags.backend) });
        process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${formatEngineBench(report)}\n`);
      },
    );
}
