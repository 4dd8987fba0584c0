/**
 * What the synthetic generator planted, so a search's result can be checked against it: which fields matter, their
 * true embedding size, and the best valid AUC any model could reach (the AUC of the true logit).
 */
import { readFileSync } from 'node:fs';

export interface SyntheticTruthField {
  name: string;
  kind: 'informative' | 'noise';
  /** Rank of the field's latent vectors (0 for noise). Only interactions need more than one dimension of it. */
  trueDim: number;
  vocab: number;
  /** Whether the field is in the dataset (data.fields may hide some; hidden ones still drive the label). */
  observed: boolean;
}

export interface SyntheticTruth {
  fields: SyntheticTruthField[];
  interactions: [string, string][];
  seed: number;
  rows: number;
  /** Share of positive labels over all rows. */
  positiveRate: number;
  /** AUC of the true logit on the valid split: the ceiling for any model (null if valid holds one class only). */
  bayesValidAuc: number | null;
}

/** Area under the ROC curve of `scores` against 0/1 `labels`, over the rows where `include(i)`; ties count half. */
export function aucOf(scores: ArrayLike<number>, labels: ArrayLike<number>, include: (i: number) => boolean): number {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (include(i)) idx.push(i);
  idx.sort((x, y) => scores[x] - scores[y]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j < idx.length && scores[idx[j]] === scores[idx[i]]) j++;
    const midRank = (i + j + 1) / 2; // 1-based average rank of the tie group
    for (let k = i; k < j; k++) {
      if (labels[idx[k]] === 1) {
        pos++;
        rankSum += midRank;
      }
    }
    i = j;
  }
  const neg = idx.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Reads a truth file written next to a cached dataset; null when absent or not a truth file. */
export function readTruthFile(path: string): SyntheticTruth | null {
  try {
    const t = JSON.parse(readFileSync(path, 'utf8')) as SyntheticTruth;
    const ok =
      Array.isArray(t.fields) &&
      Array.isArray(t.interactions) &&
      (typeof t.bayesValidAuc === 'number' || t.bayesValidAuc === null);
    return ok ? t : null;
  } catch {
    return null;
  }
}
