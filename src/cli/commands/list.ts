/**
 * `embnas list`: every search in a database, one line each with its status, progress and objective, so a user finds
 * the name to show, export, report or resume.
 */
import type { Command } from 'commander';
import { openStoreForReading } from '../open-for-reading.js';
import { dbOption, jsonOption } from '../options.js';
import { shownStatus, statusLine } from '../search-status.js';
import { searchObjective, shortObjective } from '../search-objective.js';
import { fmt, table } from '../table.js';

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list the searches in a database')
    .addOption(dbOption())
    .addOption(jsonOption())
    .addHelpText('after', '\nExample:\n  $ embnas list --db trials.db')
    .action(async (flags: { db: string; json?: boolean }) => {
      const store = await openStoreForReading(flags.db);
      try {
        const searches = await store.listSearches();
        if (flags.json) {
          const out = searches.map(({ spaceText: _t, ...s }) => ({ ...s, ...shownStatus(s, flags.db) }));
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        if (searches.length === 0) {
          process.stdout.write(`no searches in ${flags.db} — start one with \`embnas run <space.yaml>\`\n`);
          return;
        }
        // The best trial is the one with the highest reward; its AUC is that trial's, not the highest AUC of any trial.
        const shown = searches.map((s) => shownStatus(s, flags.db));
        const bests = await Promise.all(
          searches.map(
            async (s) => (await store.listTrials(s.id, { status: 'completed', orderBy: 'reward', limit: 1 }))[0],
          ),
        );
        const rows = searches.map((s, i) => {
          const best = bests[i];
          return [
            s.id,
            s.name,
            shown[i].status,
            `${s.counts.completed + s.counts.failed}/${s.trialsBudget}`,
            s.counts.failed,
            shortObjective(searchObjective(s)),
            fmt.reward(best?.reward),
            best ? best.number : '-',
            fmt.auc(best?.result?.validAuc),
            fmt.bytes(best?.result?.inferenceBytes),
            fmt.date(s.createdAt),
          ];
        });
        const header = [
          'id',
          'name',
          'status',
          'trials',
          'failed',
          'objective',
          'best reward',
          'trial',
          'AUC',
          'memory',
          'created',
        ];
        process.stdout.write(
          `${table(header, rows, [true, false, false, true, true, false, true, true, true, true, false])}\n`,
        );
        process.stdout.write(
          "best = the trial with the highest reward (AUC − memory penalty); AUC and memory are that trial's\n",
        );
        const notes = searches.flatMap((s, i) => (shown[i].resumeWith ? [`${s.name}: ${statusLine(shown[i])}`] : []));
        if (notes.length > 0) process.stdout.write(`\n${notes.join('\n')}\n`);
      } finally {
        await store.close();
      }
    });
}
