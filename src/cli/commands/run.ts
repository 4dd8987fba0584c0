/**
 * `embnas run <space.yaml>`: start a search (or continue one that has no completed trial yet) from a space file,
 * with the flags that override its search: section; the driving itself is drive-search.ts.
 */
import type { Command } from 'commander';
import { nativeUnavailable } from '../../engine/native-addon.js';
import type { BackendName } from '../../engine/trial-config.js';
import { UsageError } from '../../errors.js';
import { CONTROLLER_KINDS, CONTROLLERS, type ControllerKind, isControllerKind } from '../../controllers/registry.js';
import { backendOption, dbOption, integer, option, positiveInt, searchName, wholeNumber } from '../options.js';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('start a search on a search-space file')
    .argument('<space>', 'search-space YAML file (see search-spaces/)')
    .addOption(dbOption())
    .addOption(
      option(
        '--name <name>',
        'name of the search: letters, digits, ".", "_", "-" (default: the space\'s name)',
      ).argParser(searchName),
    )
    .addOption(
      option(
        '--trials <n>',
        'number of trials (default: search.trials of the space; one-shot: search.finalists)',
      ).argParser(positiveInt('--trials')),
    )
    .addOption(
      option(
        '--workers <n>',
        'trials this process trains at once; 0 only drives the search for `embnas worker` processes (default: search.workers, else the number of cores)',
      ).argParser(wholeNumber('--workers')),
    )
    .addOption(option('--seed <n>', 'search seed (default: search.seed of the space)').argParser(integer('--seed')))
    .addOption(
      option(
        '--controller <kind>',
        `search algorithm: ${CONTROLLER_KINDS.join(', ')} (default: search.controller of the space)`,
      ),
    )
    .addOption(
      option(
        '--mode <mode>',
        'pertrial: train every proposal on its own; oneshot: one weight-sharing supernet, then the finalists (default: search.mode of the space)',
      ),
    )
    .addOption(backendOption())
    .addOption(
      option('--max-batches <n>', 'cap batches per epoch (quick smoke runs)').argParser(positiveInt('--max-batches')),
    )
    .addOption(option('--no-tui', 'plain lines instead of the terminal UI'))
    .addHelpText('after', `\nControllers:\n${controllerHelp()}`)
    .addHelpText(
      'after',
      '\nExamples:\n  $ embnas run search-spaces/synthetic.yaml --trials 24 --workers 2\n  $ embnas run search-spaces/synthetic.yaml --mode oneshot --name synthetic-oneshot',
    )
    .action(async (space: string, flags: RunFlags) => {
      // Loaded on use: the engine (tfjs) takes a while to import, and `embnas list` should not pay for it.
      const { startSearch } = await import('../../search/start-search.js');
      const { canUseTui, driveSearch } = await import('../drive-search.js');
      await driveSearch(
        () =>
          startSearch({
            spaceFile: space,
            db: flags.db,
            name: flags.name,
            trials: flags.trials,
            workers: flags.workers,
            seed: flags.seed,
            controller: controllerFlag(flags.controller),
            mode: modeFlag(flags.mode),
            backend: backendFlag(flags.backend),
            maxBatchesPerEpoch: flags.maxBatches,
            log: (l) => process.stderr.write(`${l}\n`),
          }),
        canUseTui(flags.tui),
      );
    });
}

interface RunFlags {
  db: string;
  name?: string;
  trials?: number;
  workers?: number;
  seed?: number;
  backend: string;
  controller?: string;
  mode?: string;
  maxBatches?: number;
  tui: boolean;
}

function controllerFlag(value: string | undefined): ControllerKind | undefined {
  if (value === undefined) return undefined;
  if (!isControllerKind(value))
    throw new UsageError(`--controller: unknown controller "${value}"`, `use one of ${CONTROLLER_KINDS.join(', ')}`);
  return value;
}

/** One line per controller of the registry, names aligned. */
function controllerHelp(): string {
  const width = Math.max(...CONTROLLER_KINDS.map((k) => k.length));
  return CONTROLLER_KINDS.map((k) => `  ${k.padEnd(width)}  ${CONTROLLERS[k].description}`).join('\n');
}

function modeFlag(value: string | undefined): 'pertrial' | 'oneshot' | undefined {
  if (value === undefined) return undefined;
  if (value !== 'pertrial' && value !== 'oneshot')
    throw new UsageError(`--mode: unknown mode "${value}"`, 'use pertrial or oneshot');
  return value;
}

export function backendFlag(value: string): 'auto' | BackendName {
  const all = ['auto', 'native', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
  if (!all.includes(value))
    throw new UsageError(`--backend: unknown backend "${value}"`, `use one of ${all.join(', ')}`);
  // Checked here, before a search is created: the workers would otherwise fail every trial on it.
  if (value === 'native') {
    const missing = nativeUnavailable();
    if (missing) throw missing;
  }
  return value as 'auto' | BackendName;
}
