/**
 * `embnas export <search>`: the best trial, the Pareto front or every trial as YAML, JSON, CSV or an Optuna study,
 * optionally retrained on train + valid for its test AUC; a file that cannot be written is one line naming it.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { writingFile } from '../../environment-error.js';
import { UsageError } from '../../errors.js';
import { trialsCsv } from '../../export/csv.js';
import { exportTrial } from '../../export/exported-trial.js';
import type { RetrainOutcome } from '../../export/retrain.js';
import { paretoFront } from '../../search/pareto.js';
import type { TrialRecord, TrialStore } from '../../store/trial-store.js';
import { openStoreForReading } from '../open-for-reading.js';
import { backendOption, dbOption, integer, jsonOption, option } from '../options.js';
import { fmt } from '../table.js';
import { backendFlag } from './run.js';

const FORMATS = ['json', 'yaml', 'csv', 'optuna'];

interface ExportFlags {
  db: string;
  format: string;
  trial?: number;
  pareto?: boolean;
  out?: string;
  objectives?: string;
  retrain?: boolean;
  modelDir?: string;
  backend: string;
  json?: boolean;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export the best configuration (or a chosen trial, or the Pareto front) of a search')
    .argument('<search>', 'search id or name')
    .addOption(dbOption())
    .addOption(option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'json'))
    .addOption(option('--trial <n>', 'export this trial instead of the best by reward').argParser(integer('--trial')))
    .addOption(option('--pareto', 'export every trial on the AUC × memory Pareto front'))
    .addOption(option('--out <file>', 'write to a file instead of standard output'))
    .addOption(
      option(
        '--objectives <list>',
        "with --format optuna: the study's objectives, reward (default) or e.g. auc,memory",
      ),
    )
    .addOption(
      option('--retrain', 'retrain the trial on train + valid, report its test AUC and log loss, save the model'),
    )
    .addOption(
      option('--model-dir <dir>', 'with --retrain: folder of the saved model (default: <search>-trial<N>-model)'),
    )
    .addOption(backendOption('with --retrain: '))
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ embnas export synthetic --format yaml --out best.yaml\n  $ embnas export synthetic --format csv > trials.csv\n  $ embnas export synthetic --format optuna --out study.db\n  $ embnas export synthetic --format optuna --objectives auc,memory --out pareto.db\n  $ embnas export synthetic --retrain --model-dir best-model --out best.yaml --format yaml',
    )
    .action(async (search: string, flags: ExportFlags, cmd: Command) => {
      if (!FORMATS.includes(flags.format))
        throw new UsageError(`--format: unknown format "${flags.format}"`, `use one of ${FORMATS.join(', ')}`);
      if (
        flags.objectives !== undefined &&
        flags.format !== 'optuna' &&
        cmd.getOptionValueSource('objectives') === 'cli'
      ) {
        throw new UsageError('--objectives goes with --format optuna', 'add --format optuna, or drop --objectives');
      }
      if (flags.trial !== undefined && flags.pareto)
        throw new UsageError('--trial and --pareto cannot be combined', 'pick one');
      checkRetrainFlags(flags);
      const store = await openStoreForReading(flags.db);
      try {
        if (flags.retrain) {
          await retrain(store, search, flags);
          return;
        }
        if (flags.format === 'optuna') {
          if (!flags.out)
            throw new UsageError(
              '--format optuna writes a SQLite file: --out <file> is required',
              'e.g. --out study.db',
            );
          const { DEFAULT_OBJECTIVES, exportOptuna, parseObjectives } = await import('../../export/optuna/index.js');
          const objectives = flags.objectives === undefined ? DEFAULT_OBJECTIVES : parseObjectives(flags.objectives);
          const r = await exportOptuna(store, search, flags.out, objectives);
          const best = objectives.length === 1 ? 'best-trial' : 'best-trials';
          process.stderr.write(
            `wrote study '${r.studyName}' (${r.trials} trials; objectives: ${objectives.join(', ')}) to ${flags.out}; ` +
              `open it with \`optuna ${best} --storage sqlite:///${flags.out} --study-name ${r.studyName}\`\n`,
          );
          return;
        }
        const s = await store.getSearch(search);
        const completed = await store.listTrials(s.id, { status: 'completed', orderBy: 'reward' });
        let text: string;
        if (flags.format === 'csv') {
          text = trialsCsv(await store.listTrials(s.id, { orderBy: 'number' }));
        } else {
          const chosen = choose(completed, flags, s.name);
          const out = await Promise.all(chosen.map((t) => exportTrial(store, s, t)));
          const doc = flags.pareto ? out : out[0];
          text = flags.format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc);
        }
        if (flags.out) writeOut(flags.out, text);
        else process.stdout.write(text);
      } finally {
        await store.close();
      }
    });
}

/** --out: a missing folder, a folder, a read-only place or a full disk is one line naming the file. */
function writeOut(file: string, text: string): void {
  writingFile(file, () => writeFileSync(file, text));
}

function choose(completed: TrialRecord[], flags: { trial?: number; pareto?: boolean }, name: string): TrialRecord[] {
  if (completed.length === 0)
    throw new UsageError(
      `search '${name}' has no completed trial yet`,
      `run it further with \`embnas resume ${name}\``,
    );
  if (flags.pareto) {
    return paretoFront(
      completed.map((t) => ({ ...t, id: t.number, auc: t.result!.validAuc, memoryBytes: t.result!.inferenceBytes })),
    );
  }
  if (flags.trial !== undefined) {
    const t = completed.find((x) => x.number === flags.trial);
    if (!t)
      throw new UsageError(
        `--trial ${flags.trial}: search '${name}' has no completed trial ${flags.trial}`,
        'see `embnas show` for trial numbers',
      );
    return [t];
  }
  return [completed[0]];
}

function checkRetrainFlags(flags: ExportFlags): void {
  if (!flags.retrain) {
    if (flags.modelDir !== undefined)
      throw new UsageError('--model-dir goes with --retrain', 'add --retrain, or drop --model-dir');
    // Without --retrain the document itself is the output: --json only agrees with --format json.
    if (flags.json && flags.format !== 'json')
      throw new UsageError(`--json and --format ${flags.format} disagree`, 'drop one of them');
    return;
  }
  if (flags.pareto)
    throw new UsageError(
      '--retrain retrains one trial and cannot be combined with --pareto',
      'pick a trial with --trial N (default: the best)',
    );
  if (flags.format !== 'json' && flags.format !== 'yaml') {
    throw new UsageError(
      `--retrain writes the trial as json or yaml, not ${flags.format}`,
      'use --format json or --format yaml (with --out)',
    );
  }
}

/**
 * --retrain: the summary (a line, or a JSON object with --json) goes to standard output; with --out the trial's
 * document, now carrying `test: { auc, logloss, epochs }`, is written to the file.
 */
async function retrain(store: TrialStore, search: string, flags: ExportFlags): Promise<void> {
  const { retrainTrial } = await import('../../export/retrain.js');
  const log = flags.json ? undefined : (line: string) => process.stderr.write(`${line}\n`);
  const r = await retrainTrial(store, search, {
    trial: flags.trial,
    modelDir: flags.modelDir,
    backend: backendFlag(flags.backend),
    log,
  });
  if (flags.out) {
    const doc = {
      ...(await exportTrial(store, r.search, r.trial)),
      test: { auc: r.test.auc, logloss: r.test.logloss, epochs: r.epochs },
    };
    writeOut(flags.out, flags.format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc));
  }
  process.stdout.write(flags.json ? `${JSON.stringify(retrainJson(r), null, 2)}\n` : `${retrainLine(r)}\n`);
}

function retrainJson(r: RetrainOutcome) {
  return {
    search: { id: r.search.id, name: r.search.name },
    trial: r.trial.number,
    epochs: r.epochs,
    trainRows: r.trainRows,
    test: r.test,
    searchValidAuc: r.searchValidAuc,
    memoryBytes: r.memoryBytes,
    modelDir: r.modelDir,
    backend: r.backend,
    seconds: Number(r.seconds.toFixed(2)),
  };
}

function retrainLine(r: RetrainOutcome): string {
  return (
    `trial ${r.trial.number}: test AUC ${fmt.auc(r.test.auc)}, test logloss ${r.test.logloss.toFixed(4)} on ${r.test.rows} rows ` +
    `(valid AUC in the search ${fmt.auc(r.searchValidAuc)}) · ${r.epochs} epoch(s) on ${r.trainRows} train+valid rows · ` +
    `${fmt.bytes(r.memoryBytes)} · model saved to ${r.modelDir}`
  );
}
