/**
 * Train / valid / test split: which rows go where. Rows are then physically reordered (finalize-rows.ts) so each split
 * is a contiguous range: train first, then valid, then test.
 *
 * `random`: a seeded, uniformly random subset of exact size per split, drawn by sequential selection sampling (no
 * permutation array); rows keep their read order inside each split. `file`: the last rows become valid, then test,
 * which is what time-ordered click logs want. Files given by role (`data.path: { train, valid, test }`) are read
 * in role order, so their plan is a `file` plan with the roles' row counts (`planRoles`).
 */
import seedrandom from 'seedrandom';
import { UsageError } from '../errors.js';
import type { SplitRange } from './encoded-dataset.js';
import type { DataSpec } from '../space/data-schema.js';

export type SplitSpec = DataSpec['split'];

export const TRAIN = 0;
export const VALID = 1;
export const TEST = 2;

export interface SplitPlan {
  ranges: { train: SplitRange; valid: SplitRange; test: SplitRange };
  /** Split of each row in read order: TRAIN, VALID or TEST. */
  assign: Uint8Array;
  /** True when the rows are already in split order (`by: file`): nothing moves. */
  inOrder: boolean;
}

export function splitSizes(numRows: number, split: SplitSpec): { train: number; valid: number; test: number } {
  const valid = Math.round(numRows * split.valid);
  const test = Math.round(numRows * split.test);
  const train = numRows - valid - test;
  if (valid === 0) {
    throw new UsageError(
      `data.split.valid: ${split.valid} of ${numRows} rows leaves the validation split empty`,
      'raise data.split.valid or use more rows',
    );
  }
  if (train <= 0) {
    throw new UsageError(
      `data.split: valid ${split.valid} + test ${split.test} of ${numRows} rows leaves no training rows`,
      'lower data.split.valid or data.split.test',
    );
  }
  return { train, valid, test };
}

export function planSplit(numRows: number, split: SplitSpec): SplitPlan {
  const n = splitSizes(numRows, split);
  const ranges = {
    train: { start: 0, end: n.train },
    valid: { start: n.train, end: n.train + n.valid },
    test: { start: n.train + n.valid, end: numRows },
  };
  const assign = new Uint8Array(numRows);
  if (split.by === 'file') {
    assign.fill(VALID, ranges.valid.start, ranges.valid.end).fill(TEST, ranges.test.start);
    return { ranges, assign, inOrder: true };
  }
  const rng = seedrandom.alea(`embnas-split:${split.seed}`);
  let needValid = n.valid;
  let needTest = n.test;
  for (let i = 0; i < numRows; i++) {
    // Each remaining row is valid / test with probability (still needed / rows left): exact sizes, uniform subsets.
    const u = rng() * (numRows - i);
    if (u < needValid) {
      assign[i] = VALID;
      needValid--;
    } else if (u < needValid + needTest) {
      assign[i] = TEST;
      needTest--;
    }
  }
  return { ranges, assign, inOrder: false };
}

/** The split of rows read role by role (train files, then valid, then test): each role's rows are its split. */
export function planRoles(
  rows: { train: number; valid: number; test: number },
  shown: (role: 'train' | 'valid') => string,
): SplitPlan {
  for (const role of ['train', 'valid'] as const) {
    if (rows[role] === 0) {
      throw new UsageError(
        `data.path.${role}: no rows were read from ${shown(role)}`,
        `give data.path.${role} a file with rows`,
      );
    }
  }
  const numRows = rows.train + rows.valid + rows.test;
  const ranges = {
    train: { start: 0, end: rows.train },
    valid: { start: rows.train, end: rows.train + rows.valid },
    test: { start: rows.train + rows.valid, end: numRows },
  };
  const assign = new Uint8Array(numRows)
    .fill(VALID, ranges.valid.start, ranges.valid.end)
    .fill(TEST, ranges.test.start);
  return { ranges, assign, inOrder: true };
}
