/**
 * The one-shot proxy of a configuration's reward: the supernet's AUC on a window of validation rows with the
 * configuration's mask, minus the space's memory penalty for the configuration as a stand-alone model (the same
 * reward() and inferenceBytes() a trained trial is scored with). Also the rotating windows it is measured on.
 */
import type { EncodedDataset, SplitRange } from '../../data/encoded-dataset.js';
import { inferenceBytes } from '../../engine/memory.js';
import { rocAuc } from '../../engine/metrics.js';
import type { Supernet } from '../../engine/supernet/supernet.js';
import type { Space } from '../../space/schema.js';
import type { Proposal } from '../controllers/controller.js';
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
 */
export function validWindow(split: SplitRange, rows: number, i: number): SplitRange {
  const size = split.end - split.start;
  if (rows >= size) return { ...split };
  const start = split.start + Math.min((i * rows) % size, size - rows);
  return { start, end: start + rows };
}
