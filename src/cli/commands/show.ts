import type { Command } from 'commander';
import { shortConfig } from '../../search/live-view.js';
import { paretoFront } from '../../search/pareto.js';
import type { TrialRecord } from '../../store/trial-store.js';
import { openStoreForReading } from '../open-for-reading.js';
import { dbOption, jsonOption, option, positiveInt } from '../options.js';
import { fmt, table } from '../table.js';

export function registerShow(program: Command): void {
  program
    .command('show')
    .description('show a search: its progress, the best trials and the AUC × memory Pareto front')
    .argument('<search>', 'search id or name')
    .addOption(dbOption())
    .addOption(jsonOption())
    .addOption(option('--top <n>', 'how many of the best trials to list', '10').argParser(positiveInt('--top')))
    .addHelpText('after', '\nExample:\n  $ embnas show synthetic --top 5')
    .action((search: string, flags: { db: string; json?: boolean; top: number | string }) => {
      const top = Number(flags.top);
      const store = openStoreForReading(flags.db);
      try {
        const s = store.getSummary(search);
        const best = store.listTrials(s.id, { status: 'completed', orderBy: 'reward', limit: top });
        const front = paretoFront(
          store.listTrials(s.id, { status: 'completed' }).map((t) => ({ ...t, id: t.number, auc: t.result!.validAuc, memoryBytes: t.result!.inferenceBytes })),
        );
        if (flags.json) {
          const { spaceText: _t, ...summary } = s;
          process.stdout.write(`${JSON.stringify({ search: summary, best: best.map(trialJson), pareto: front.map(trialJson) }, null, 2)}\n`);
          return;
        }
        const lines = [
          `search ${s.id} '${s.name}' — ${s.status}, ${s.counts.completed} completed, ${s.counts.failed} failed, ${s.counts.queued + s.counts.interrupted} queued of ${s.trialsBudget}; seed ${s.seed}; ${s.cacheHits} cache hits`,
          `space ${s.spacePath}`,
          '',
          `best ${best.length} by reward:`,
          trialTable(best),
          '',
          `Pareto front (AUC ↑, memory ↓), ${front.length} trials:`,
          trialTable(front),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        store.close();
      }
    });
}

function trialTable(trials: TrialRecord[]): string {
  const rows = trials.map((t) => [
    t.number, fmt.auc(t.result?.validAuc), fmt.mb(t.result?.inferenceBytes), fmt.reward(t.reward),
    shortConfig(t.config), // the live view's notation: dim, then α, MLET, Res-embedding, cut and block dims when set
  ]);
  return table(['trial', 'AUC', 'MB', 'reward', 'dims'], rows, [true, true, true, true, false]);
}

function trialJson(t: TrialRecord) {
  return {
    number: t.number, reward: t.reward, validAuc: t.result?.validAuc, validLogloss: t.result?.validLogloss,
    memoryBytes: t.result?.inferenceBytes, cacheHit: t.cacheHit, config: t.config,
  };
}
