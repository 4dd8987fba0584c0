/**
 * `embnas data`: commands that look at the data a search space reads. They validate only the space's `data:` section
 * (loadDataSpace), so a file with nothing but `data:` is enough. `data export` lives in data-export.ts.
 */
import type { Command } from 'commander';
import { inspectDataset, formatInspect } from '../../data/inspect.js';
import { loadDataset } from '../../data/load-dataset.js';
import { loadDataSpace } from '../../space/load-space.js';
import { jsonOption } from '../options.js';
import { registerDataExport } from './data-export.js';

export function registerData(program: Command): void {
  const data = program.command('data').description('look at the data a search space reads');
  data
    .command('inspect')
    .description('per field: cardinality, coverage, OOV rate after minCount; label rate per split')
    .argument('<space>', 'search-space YAML file (only its data: section is read)')
    .addOption(jsonOption())
    .addHelpText('after', '\nExample:\n  $ embnas data inspect search-spaces/frappe.yaml')
    .action(async (space: string, flags: { json?: boolean }) => {
      const loaded = loadDataSpace(space);
      const { dataset, stats, fromCache, seconds } = await loadDataset(loaded.space.data, loaded.baseDir);
      const report = inspectDataset(dataset, stats);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ space: loaded.file, fromCache, seconds, ...report }, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `${space}: ${dataset.source} (${fromCache ? 'from cache' : `parsed in ${seconds.toFixed(1)} s`})\n`,
      );
      process.stdout.write(`${formatInspect(report)}\n`);
    });
  registerDataExport(data);
}
