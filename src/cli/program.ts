/**
 * The commander program: one file per command under commands/. Every long flag can also come from the environment as
 * EMBNAS_<FLAG> (e.g. EMBNAS_DB=runs.db), which the option helpers in options.ts arrange.
 */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { registerBench } from './commands/bench.js';
import { registerData } from './commands/data.js';
import { registerExport } from './commands/export.js';
import { registerList } from './commands/list.js';
import { registerReport } from './commands/report.js';
import { registerResume } from './commands/resume.js';
import { registerRun } from './commands/run.js';
import { registerShow } from './commands/show.js';
import { registerTrain } from './commands/train.js';
import { registerWorker } from './commands/worker.js';
import { UsageError } from '../errors.js';

export function createProgram(): Command {
  const program = new Command('embnas')
    .description(
      'Search per-feature embedding sizes and norm budgets for CTR / recommendation models within a memory budget.',
    )
    .version(packageVersion())
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: () => undefined })
    .exitOverride((err) => {
      // Help and version end normally; anything else commander rejects is a usage mistake: one line, exit code 1.
      if (err.exitCode === 0) process.exit(0);
      throw new UsageError(err.message.replace(/^error: /, ''), 'see `embnas --help` or `embnas <command> --help`');
    });
  for (const register of [
    registerRun,
    registerResume,
    registerWorker,
    registerList,
    registerShow,
    registerExport,
    registerReport,
    registerTrain,
    registerBench,
    registerData,
  ]) {
    register(program);
  }
  return program;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
