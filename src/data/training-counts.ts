/**
 * The vocabulary is learnt from the training rows alone: a value first seen in the validation or test split must read
 * the out-of-vocabulary row, as it would in production, not a row of its own that no gradient ever reached (which
 * would also count toward the model's memory). So, once the split is known, each field's occurrence counts are
 * recounted over the training rows only, in place of the counts the encoder kept over every row.
 */
import type { InternedRows } from './encoder.js';
import { TRAIN, type SplitPlan } from './split.js';

/** Overwrites every field's interned counts with its occurrences in the rows `plan` assigns to training. */
export function countTrainingRows(rows: InternedRows, plan: SplitPlan): void {
  const F = rows.numFields;
  const counts = rows.fields.map((f, i) => {
    if (f === null) throw new Error(`field ${i} was already taken by the vocabulary`);
    return f.counts.fill(0);
  });
  const { ids } = rows;
  const { assign } = plan;
  for (let r = 0, p = 0; r < rows.numRows; r++, p += F) {
    if (assign[r] !== TRAIN) continue;
    for (let f = 0; f < F; f++) counts[f][ids[p + f]]++;
  }
}
