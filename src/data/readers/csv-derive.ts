/**
 * csv `derive`: which fields a timestamp column adds (`<column>_hour`, `<column>_weekday`) and where each of the
 * reader's categorical fields comes from — a column's text or a part of a timestamp column. Checked before any row is
 * read, so a derive on an unknown or numeric column fails at once, naming the key.
 */
import { UsageError } from '../../errors.js';
import type { DataSpec } from '../../space/data-schema.js';
import { rejectDuplicates, unknownName } from './fields.js';

/** A categorical field's source: the text of a column, or one calendar part of a timestamp column. */
export type CategoricalSource = { column: number } | { column: number; part: 'hour' | 'weekday' };

export interface DerivedFields {
  /** Names of the derived fields, in the order `derive` lists them. */
  names: string[];
  sources: CategoricalSource[];
  /** Columns that feed a derive (left out of the default fields: a raw timestamp is nearly unique per row). */
  timestampColumns: Set<number>;
}

export function planDerive(spec: DataSpec, columns: readonly string[], label: number): DerivedFields {
  const out: DerivedFields = { names: [], sources: [], timestampColumns: new Set() };
  for (const [name, parts] of Object.entries(spec.derive ?? {})) {
    const column = columns.indexOf(name);
    if (column < 0) throw unknownName(`data.derive.${name}`, name, columns, 'columns');
    if (column === label)
      throw new UsageError(`data.derive.${name}: '${name}' is the label column`, 'derive from a timestamp column');
    if (spec.numeric?.includes(name)) {
      throw new UsageError(
        `data.derive.${name}: '${name}' is also in data.numeric`,
        'a timestamp column is derived from, not bucketized: remove it from data.numeric',
      );
    }
    rejectDuplicates(parts, `data.derive.${name}`);
    out.timestampColumns.add(column);
    for (const part of parts) {
      const derived = `${name}_${part}`;
      if (columns.includes(derived)) {
        throw new UsageError(
          `data.derive.${name}: the derived field '${derived}' clashes with a column of that name`,
          'rename the column, or derive from another one',
        );
      }
      out.names.push(derived);
      out.sources.push({ column, part });
    }
  }
  return out;
}
