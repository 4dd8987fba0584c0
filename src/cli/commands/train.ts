/**
 * `embnas train <space> --config <file>`: trains one configuration — an exported trial or a hand-written one — on the
 * space's data and reports its valid AUC and memory; with --test also the test AUC of the train + valid retrain,
 * as `export --retrain` reports it. The work is src/export/train-config.ts; this file is flags and output.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { TrainConfigOutcome } from '../../export/train-config.js';
import { backendOption, integer, jsonOption, option, positiveInt } from '../options.js';
import { fmt } from '../table.js';
import { backendFlag } from './run.js';

interface TrainFlags {
  config: string;
  index?: number;
  test?: boolean;
  modelDir?: string;
  seed?: number;
  backend: string;
  maxBatches?: number;
  json?: boolean;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description(
      "train one configuration (a file written by `embnas export`, or one of the same shape) on a space's data",
    )
    .argument('<space>', 'search-space YAML file: its data: and model: sections are read')
    .addOption(
      option(
        '--config <file>',
        'the configuration: per feature name, dim, normAlpha (json or yaml)',
      ).makeOptionMandatory(),
    )
    .addOption(
      option('--index <n>', 'which trial of a list (an `export --pareto` file), 0-based').argParser(
        nonNegative('--index'),
      ),
    )
    .addOption(option('--test', 'also retrain on train + valid and report the test AUC, as `export --retrain` does'))
    .addOption(option('--model-dir <dir>', 'with --test: save the retrained model in this new folder'))
    .addOption(
      option('--seed <n>', "training seed (default: the file's model.seed, else 0)").argParser(integer('--seed')),
    )
    .addOption(backendOption())
    .addOption(
      option('--max-batches <n>', 'cap batches per epoch (quick smoke runs)').argParser(positiveInt('--max-batches')),
    )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ embnas export frappe --format yaml --out best.yaml\n  $ embnas train search-spaces/frappe.yaml --config best.yaml --test --model-dir best-model',
    )
    .action(async (space: string, flags: TrainFlags) => {
      const { trainConfigFile } = await import('../../export/train-config.js');
      const r = await trainConfigFile({
        space,
        config: flags.config,
        index: flags.index,
        seed: flags.seed,
        test: flags.test,
        modelDir: flags.modelDir,
        backend: backendFlag(flags.backend),
        maxBatchesPerEpoch: flags.maxBatches,
        // Progress only on a terminal: in a script, standard error holds nothing but a mistake's one line.
        log: flags.json || !process.stderr.isTTY ? undefined : (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(
        flags.json ? `${JSON.stringify(trainJson(space, flags, r), null, 2)}\n` : `${trainLine(r)}\n`,
      );
    });
}

function nonNegative(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new UsageError(`${flag}: "${value}" is not an index (0, 1, 2, …)`, `pass e.g. ${flag} 0`);
    return n;
  };
}

function trainJson(space: string, flags: TrainFlags, r: TrainConfigOutcome) {
  return {
    space,
    config: flags.config,
    ...(flags.index !== undefined ? { index: flags.index } : {}),
    seed: r.config.seed,
    valid: r.valid,
    bestEpoch: r.bestEpoch,
    epochsTrained: r.epochsTrained,
    trainRows: r.trainRows,
    memoryBytes: r.memoryBytes,
    memoryMB: r.memoryBytes / 1e6,
    trainingBytes: r.trainingBytes,
    ...(r.test ? { test: r.test } : {}),
    ...(r.modelDir !== undefined ? { modelDir: r.modelDir } : {}),
    backend: r.backend,
    seconds: Number(r.seconds.toFixed(2)),
  };
}

function trainLine(r: TrainConfigOutcome): string {
  let line =
    `valid AUC ${fmt.auc(r.valid.auc)}, logloss ${r.valid.logloss.toFixed(4)} on ${r.valid.rows} rows ` +
    `(best epoch ${r.bestEpoch} of ${r.epochsTrained}, ${r.trainRows} train rows) · memory ${r.memoryBytes} bytes (${fmt.bytes(r.memoryBytes)})`;
  if (r.test) {
    line += ` · test AUC ${fmt.auc(r.test.auc)}, logloss ${r.test.logloss.toFixed(4)} on ${r.test.rows} rows (${r.test.epochs} epoch(s) on ${r.test.trainRows} train+valid rows)`;
  }
  if (r.modelDir !== undefined) line += ` · model saved to ${r.modelDir}`;
  return line;
}
