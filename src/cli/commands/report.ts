/**
 * `embnas report`: one self-contained HTML file of a search (plots and tables, src/report/), read from the store
 * read-only like `show` and `export`, so it can be written while the search runs or from a read-only copy.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { writingFile } from '../../environment-error.js';
import { collectReport } from '../../report/report-data.js';
import { renderReport } from '../../report/render-html.js';
import { formatBytes } from '../../units.js';
import { openStoreForReading } from '../open-for-reading.js';
import { dbOption, option } from '../options.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write one self-contained HTML report of a search: reward, Pareto front, dims, policy, best config')
    .argument('<search>', 'search id or name')
    .addOption(dbOption())
    .addOption(option('--out <file>', 'the HTML file to write (default: <search name>-report.html)'))
    .addHelpText('after', '\nExample:\n  $ embnas report synthetic --out report.html')
    .action(async (search: string, flags: { db: string; out?: string }) => {
      const store = await openStoreForReading(flags.db);
      let html: string;
      let name: string;
      let trials: number;
      try {
        const data = await collectReport(store, search);
        // A report is shared: the space file as the user would type it from here, not this machine's absolute path.
        const rel = path.relative(process.cwd(), data.search.spacePath);
        if (!rel.startsWith('..') && !path.isAbsolute(rel)) data.search.spacePath = rel;
        html = renderReport(data);
        name = data.search.name;
        trials = data.trials.length;
      } finally {
        await store.close();
      }
      const out = flags.out ?? `${name}-report.html`;
      writingFile(out, () => writeFileSync(out, html));
      process.stderr.write(
        `wrote the report of search '${name}' (${trials} finished trials, ${formatBytes(Buffer.byteLength(html))}) to ${out}; open it in a browser, no network needed\n`,
      );
    });
}
