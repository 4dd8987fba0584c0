/**
 * The last pass over the interned rows: temporary ids become final ids, and rows move into split order — in one
 * sequential sweep over the shared buffer the rows were read into.
 *
 * Train rows are compacted forward in place (a row is only ever written at or before the position it is read from);
 * valid and test rows are set aside in a scratch buffer, in order, and copied to the tail at the end. Every access
 * except the remap lookups is sequential, and the extra memory is the valid + test share of the data, not a second
 * copy of it. (Remapping block by block, field by field, to keep one remap table in cache was measured: no faster.)
 */
import type { InternedRows } from './encoder.js';
import { TEST, TRAIN, VALID, type SplitPlan } from './split.js';
import type { Vocabulary } from './vocabulary.js';

export function finalizeRows(rows: InternedRows, vocab: Vocabulary, plan: SplitPlan): void {
  const F = rows.numFields;
  const n = rows.numRows;
  const { ids, labels } = rows;
  // A remap sends MISSING_TMP to the field's missingId itself, so a cell needs no branch.
  const remaps = vocab.remaps;
  const remapRow = (from: number, into: Int32Array, to: number): void => {
    for (let f = 0; f < F; f++) into[to + f] = remaps[f][ids[from + f]];
  };

  if (plan.inOrder) {
    for (let p = 0; p < n * F; p += F) remapRow(p, ids, p);
    return;
  }
  const { train, valid, test } = plan.ranges;
  const asideRows = n - train.end;
  const asideIds = new Int32Array(asideRows * F);
  const asideLabels = new Float32Array(asideRows);
  const cursor = [train.start, valid.start - train.end, test.start - train.end];
  const assign = plan.assign;
  for (let r = 0; r < n; r++) {
    const split = assign[r];
    const to = cursor[split]++;
    if (split === TRAIN) {
      remapRow(r * F, ids, to * F);
      labels[to] = labels[r];
    } else {
      remapRow(r * F, asideIds, to * F);
      asideLabels[to] = labels[r];
    }
  }
  if (cursor[TRAIN] !== train.end || cursor[VALID] !== valid.end - train.end || cursor[TEST] !== test.end - train.end) {
    throw new Error('split plan and row count disagree');
  }
  ids.set(asideIds, train.end * F);
  labels.set(asideLabels, train.end);
}
