/**
 * `embnas data export <space> --out <dir> [--format csv|npy]`: the encoded splits exactly as they are trained on, for
 * training or checking a model outside embnas. The writing is src/data/export/; this file checks the flags and loads.
 */
import type { Command } from 'commander';
import { EXPORT_FORMATS, exportDataset, type ExportFormat } from '../../data/export/export-dataset.js';
import { checkOutDir } from '../../data/export/out-dir.js';
import { loadDataset } from '../../data/load-dataset.js';
import { UsageError } from '../../errors.js';
import { loadDataSpace } from '../../space/load-space.js';
import { jsonOption, option } from '../options.js';

export function registerDataExport(data: Command): void {
  data
    .command('export')
    .description('write the encoded train / valid / test splits (labels and per-field ids) and meta.json to a folder')
    .argument('<space>', 'search-space YAML file (only its data: section is read)')
    .addOption(option('--out <dir>', 'new (or empty) folder to write into').makeOptionMandatory())
    .addOption(option('--format <format>', `file format: ${EXPORT_FORMATS.join(', ')}`, 'npy'))
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nExample:\n  $ embnas data export search-spaces/frappe.yaml --out frappe-encoded --format npy',
    )
    .action(async (space: string, flags: { out: string; format: string; json?: boolean }) => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(flags.format)) {
        throw new UsageError(`--format: unknown format "${flags.format}"`, `use one of ${EXPORT_FORMATS.join(', ')}`);
      }
      checkOutDir(flags.out); // before the (long) load
      const loaded = loadDataSpace(space);
      const load = await loadDataset(loaded.space.data, loaded.baseDir);
      const meta = exportDataset(
        { dataset: load.dataset, fingerprint: load.fingerprint },
        flags.out,
        flags.format as ExportFormat,
      );
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ out: flags.out, ...meta }, null, 2)}\n`);
        return;
      }
      const rows = Object.entries(meta.splits)
        .map(([name, s]) => `${name} ${s.rows}`)
        .join(', ');
      process.stdout.write(
        `${flags.out}: ${meta.fields.length} fields, rows ${rows} (${flags.format}) from ${meta.source}\n`,
      );
    });
}
