/**
 * `embnas worker`: trains the queued trials of searches driven by `embnas run` / `resume` with the same --db (a
 * PostgreSQL database shared by several machines, or a SQLite file on this one). Plain lines on stderr; Ctrl-C or
 * SIGTERM (or SIGHUP: its terminal closed) stops it gracefully (the trials it was training go back to the queue for another worker).
 */
import type { Command } from 'commander';
import { takeSignals } from '../signals.js';
import { BACKEND_NAMES } from '../../engine/trial-config.js';
import { dbOption, option, positiveInt } from '../options.js';
import { backendFlag } from './run.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('train the queued trials of searches run elsewhere with the same --db (e.g. on other machines)')
    .addOption(dbOption())
    .addOption(option('--search <name>', 'serve only this search, and end when it is no longer running'))
    .addOption(option('--workers <n>', 'trials trained at once', '1').argParser(positiveInt('--workers')))
    .addOption(
      option(
        '--backend <name>',
        `backend of the dense tower: auto (the one the search was started with), ${BACKEND_NAMES.join(', ')}`,
        'auto',
      ),
    )
    .addOption(
      option('--space <file>', "this machine's copy of the search's space file (its data beside it, same paths)"),
    )
    .addHelpText('after', '\nExample:\n  $ embnas worker --db postgresql://embnas@db-host:5432/embnas --workers 2')
    .action(
      async (flags: { db: string; search?: string; workers: number | string; backend: string; space?: string }) => {
        const { startWorker } = await import('../../search/remote-worker.js');
        const log = (line: string) => process.stderr.write(`${line}\n`);
        const worker = await startWorker({
          db: flags.db,
          search: flags.search,
          workers: Number(flags.workers),
          backend: flags.backend === 'auto' ? undefined : backendFlag(flags.backend),
          space: flags.space,
          log,
        });
        const release = takeSignals(() => {
          log('stopping: the trials in training go back to the queue');
          worker.stop();
        });
        try {
          const s = await worker.done;
          log(`worker done: ${s.trained} trial(s) trained, ${s.failed} failed`);
        } finally {
          release();
        }
      },
    );
}
