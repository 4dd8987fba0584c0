/**
 * `embnas resume <search>`: continue a stopped or interrupted search where it left off, optionally with a larger
 * trial budget, another backend or this machine's copy of the space file.
 */
import type { Command } from 'commander';
import { backendOption, dbOption, option, positiveInt, wholeNumber } from '../options.js';
import { backendFlag } from './run.js';

export function registerResume(program: Command): void {
  program
    .command('resume')
    .description('continue a stopped or interrupted search where it left off')
    .argument('<search>', 'search id or name (see `embnas list`)')
    .addOption(dbOption())
    .addOption(option('--trials <n>', 'raise the trial budget').argParser(positiveInt('--trials')))
    .addOption(
      option('--workers <n>', 'trials this process trains at once (0: only drive)').argParser(wholeNumber('--workers')),
    )
    .addOption(backendOption())
    .addOption(
      option('--max-batches <n>', 'cap batches per epoch (quick smoke runs)').argParser(positiveInt('--max-batches')),
    )
    .addOption(
      option('--space <file>', "this machine's copy of the search's space file, when not where the search started"),
    )
    .addOption(option('--no-tui', 'plain lines instead of the terminal UI'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ embnas resume synthetic --trials 48\n  $ embnas resume frappe --db "$DB" --space /data/frappe/frappe.yaml',
    )
    .action(
      async (
        search: string,
        flags: {
          db: string;
          trials?: number;
          workers?: number;
          backend: string;
          maxBatches?: number;
          space?: string;
          tui: boolean;
        },
      ) => {
        const { resumeSearch } = await import('../../search/session.js');
        const { canUseTui, driveSearch } = await import('../drive-search.js');
        await driveSearch(
          () =>
            resumeSearch({
              search,
              db: flags.db,
              trials: flags.trials,
              workers: flags.workers,
              backend: backendFlag(flags.backend),
              maxBatchesPerEpoch: flags.maxBatches,
              space: flags.space,
              log: (l) => process.stderr.write(`${l}\n`),
            }),
          canUseTui(flags.tui),
        );
      },
    );
}
