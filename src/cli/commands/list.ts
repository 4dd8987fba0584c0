import type { Command } from 'commander';
import { openStoreForReading } from '../open-for-reading.js';
import { dbOption, jsonOption } from '../options.js';
import { shownStatus, statusLine } from '../search-status.js';
import { fmt, table } from '../table.js';

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list the searches in a database')
    .addOption(dbOption())
    .addOption(jsonOption())
    .addHelpText('after', '\nExample:\n  $ embnas list --db trials.db')
    .action((flags: { db: string; json?: boolean }) => {
      const store = openStoreForReading(flags.db);
      try {
        const searches = store.listSearches();
        if (flags.json) {
          const out = searches.map(({ spaceText: _t, ...s }) => ({ ...s, ...shownStatus(s, flags.db) }));
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        if (searches.length === 0) {
          process.stdout.write(`no searches in ${flags.db} — start one with \`embnas run <space.yaml>\`\n`);
          return;
        }
        const shown = searches.map((s) => shownStatus(s, flags.db));
        const rows = searches.map((s, i) => [
          s.id, s.name, shown[i].status, `${s.counts.completed + s.counts.failed}/${s.trialsBudget}`, s.counts.failed,
          fmt.reward(s.bestReward), fmt.auc(s.bestAuc), fmt.date(s.createdAt),
        ]);
        const header = ['id', 'name', 'status', 'trials', 'failed', 'best reward', 'best AUC', 'created'];
        process.stdout.write(`${table(header, rows, [true, false, false, true, true, true, true, false])}\n`);
        const notes = searches.flatMap((s, i) => (shown[i].resumeWith ? [`${s.name}: ${statusLine(shown[i])}`] : []));
        if (notes.length > 0) process.stdout.write(`\n${notes.join('\n')}\n`);
      } finally {
        store.close();
      }
    });
}
