/**
 * A limit that no setting can raise: one JavaScript typed array holds at most `buffer.constants.MAX_LENGTH` numbers
 * (2³² on Node 20), and each embedding table, optimizer slot, batch buffer and the tower's first weight matrix is one
 * such array. A space that needs a longer one is refused with one line naming its key, instead of every trial
 * failing with a RangeError.
 *
 * 1. From the space alone (`checkSpaceLimits`, before the search row is written): a candidate dim d puts
 *    batchSize × d numbers in a batch's input and d × (the tower's first width, 1 without a tower) in the first
 *    weight matrix; either over the limit is refused, naming the dims key.
 * 2. With the data's row counts (`checkRowLimits`, before any trial): a field of r rows at dim d has a table of r × d
 *    numbers, r × f·d with MLET factor f (its factor A); over the limit is refused, naming the field, its key, rows.
 */
import { constants } from 'node:buffer';
import { UsageError } from '../errors.js';
import type { Space } from '../space/schema.js';
import type { FieldChoices } from '../controllers/controller.js';
import { widestRow } from '../techniques/index.js';

/** The most numbers one typed array holds on this Node.js. */
export const MAX_ARRAY_LENGTH = constants.MAX_LENGTH;

const n = (x: number) => x.toLocaleString('en-US');

export function tooLong(where: string, what: string, length: number, max: number): UsageError {
  return new UsageError(
    `${where}: ${what} needs one array of ${n(length)} numbers, over the ${n(max)} a JavaScript typed array can hold`,
    'lower it: no setting raises this limit',
  );
}

/** Refuses a candidate dim that makes a batch buffer or the first weight matrix too long (see the header, 1). */
export function checkSpaceLimits(space: Space, spaceLabel: string, max = MAX_ARRAY_LENGTH): void {
  const first = space.model.tower[0] ?? 1;
  const keyed: [string, number[]][] = [
    ['features.dims', space.features.dims],
    ...Object.entries(space.features.fields).map(([name, f]): [string, number[]] => [
      `features.fields.${name}.dims`,
      f.dims ?? [],
    ]),
  ];
  for (const [key, dims] of keyed) {
    const d = Math.max(0, ...dims);
    if (space.model.batchSize * d > max) {
      throw tooLong(
        `${spaceLabel}: ${key}`,
        `dim ${d} with model.batchSize ${space.model.batchSize}`,
        space.model.batchSize * d,
        max,
      );
    }
    if (d * first > max)
      throw tooLong(`${spaceLabel}: ${key}`, `dim ${d} with a first tower layer of ${first}`, d * first, max);
  }
}

/** Refuses a field whose largest table is too long for its row count (see the header, 2). */
export function checkRowLimits(
  space: Space,
  fields: readonly FieldChoices[],
  rows: readonly number[],
  spaceLabel: string,
  max = MAX_ARRAY_LENGTH,
): void {
  fields.forEach((f, i) => {
    const own = space.features.fields[f.name];
    const d = Math.max(0, ...f.dims);
    // A technique may train rows wider than the dim (src/techniques/, `widest`: MLET's A is factor · dim wide).
    const wide = widestRow(f);
    const width = d * Math.max(1, wide.factor);
    if (rows[i] * width <= max) return;
    const list = wide.factor > 1 ? wide.list! : 'dims';
    const key = own?.[list as keyof typeof own] ? `features.fields.${f.name}.${list}` : `features.${list}`;
    const what = wide.factor > 1 ? wide.what!(d) : `dim ${d}`;
    throw tooLong(`${spaceLabel}: ${key}`, `${what} for field "${f.name}" (${n(rows[i])} rows)`, rows[i] * width, max);
  });
}
