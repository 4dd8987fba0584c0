/**
 * The one-shot proxy of a configuration's reward: the supernet's AUC on a window of validation rows with the
 * configuration's mask, minus the space's memory penalty for the configuration as a stand-alone model (the same
 * reward() and inferenceBytes() a trained trial is scored with). Also the rotating windows it is measured on, each
 * holding both classes.
 */
import type { EncodedDataset, SplitRange } from '../../data/encoded-dataset.js';
import { inferenceBytes } from '../../engine/memory.js';
import { rocAuc } from '../../engine/metrics.js';
import type { Supernet } from '../../engine/supernet/supernet.js';
import type { Space } from '../../space/schema.js';
import type { Proposal } from '../../controllers/controller.js';
import { reward } from '../reward.js';
import { trialConfig } from '../trial-plan.js';
import { subnetOf } from './supernet-spec.js';

export interface ProxyScore {
  auc: number;
  memoryBytes: number;
  reward: number;
}

export function proxyReward(
  supernet: Supernet,
  proposal: Proposal,
  space: Space,
  dataset: EncodedDataset,
  range: SplitRange,
): ProxyScore {
  const src = { ids: dataset.ids, labels: dataset.labels, numFields: dataset.fields.length };
  const logits = supernet.predict(subnetOf(proposal, supernet.spec), src, range.start, range.end);
  const auc = rocAuc(logits, dataset.labels.subarray(range.start, range.end));
  const memoryBytes = inferenceBytes(
    trialConfig(proposal, space, 0),
    dataset.fields.map((f) => f.rows),
  );
  const r = space.reward;
  return {
    auc,
    memoryBytes,
    reward: reward(r.form, { auc, memoryBytes }, { budgetBytes: r.budgetMB * 1e6, lambda: r.lambda }),
  };
}

/**
 * Window `i` of `rows` rows of `split`: window i starts where window i − 1 ended (modulo the split's size), shifted
 * back to end at the split's end when it would run past it, so successive rounds rotate through the whole split.
 * The whole split when it has no more than `rows` rows.
 *
 * A window must hold both classes, or its AUC is undefined: with rare positives (clicks at 0.2 %, say) 1,024 rows
 * often hold none. Such a window grows until it does: its end moves on to the next row of the missing class, or, when
 * the split has none after the window, its start moves back to the previous one. The windows are a function of the
 * labels alone (a resumed search scores on the same ones), and a window that held both classes is left as it was.
 * The split itself must hold both classes (checked before a search starts); a split that does not is a bug here.
 */
export function validWindow(split: SplitRange, rows: number, i: number, labels: ArrayLike<number>): SplitRange {
  const size = split.end - split.start;
  if (rows >= size) return { ...split };
  const start = split.start + Math.min((i * rows) % size, size - rows);
  const end = start + rows;
  const missing = missingClass(labels, start, end);
  if (missing === undefined) return { start, end };
  for (let r = end; r < split.end; r++) if (classOf(labels[r]) === missing) return { start, end: r + 1 };
  for (let r = start - 1; r >= split.start; r--) if (classOf(labels[r]) === missing) return { start: r, end };
  throw new Error(`validWindow: the valid split (rows ${split.start}..${split.end}) has no label ${missing}`);
}

const classOf = (label: number): 0 | 1 => (label > 0.5 ? 1 : 0);

/** The class rows [start, end) lack, or undefined when they hold both. */
function missingClass(labels: ArrayLike<number>, start: number, end: number): 0 | 1 | undefined {
  let positives = 0;
  for (let r = start; r < end; r++) positives += classOf(labels[r]);
  return positives === 0 ? 1 : positives === end - start ? 0 : undefined;
}
