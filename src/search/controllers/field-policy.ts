/**
 * Groups per-decision probabilities back into per-field lists, the shape the terminal UI's policy panel reads. Any
 * controller with a distribution over each decision (REINFORCE's softmax, TPE's l(x)) can show it this way.
 */
import type { Decision } from './decisions.js';

type Choice = { value: number; prob: number }[];
/** A controller's distribution over each of a field's decisions, for display. */
export interface FieldPolicy {
  field: string;
  dims: Choice;
  normBudgets: Choice;
  /** Only when the field's MLET factor, Res-embedding settings or vocabulary cut are searched. */
  mletFactors?: Choice;
  resClusters?: Choice;
  resNormBudgets?: Choice;
  vocabKeep?: Choice;
  /** Only when the field's block dims are searched: one list per block after the first. */
  blockDims?: Choice[];
}

/** `probs[i]` is decision i's distribution over its candidate values. */
export function fieldPolicies(decisions: Decision[], probs: number[][]): FieldPolicy[] {
  const out: FieldPolicy[] = [];
  decisions.forEach((d, i) => {
    let f = out[out.length - 1];
    if (!f || f.field !== d.field) {
      f = { field: d.field, dims: [], normBudgets: [] };
      out.push(f);
    }
    const list = d.values.map((value, k) => ({ value, prob: probs[i][k] }));
    if (d.key === 'dim') f.dims = list;
    else if (d.key === 'normAlpha') f.normBudgets = list;
    else if (d.key === 'mletFactor') f.mletFactors = list;
    else if (d.key === 'resClusters') f.resClusters = list;
    else if (d.key === 'resAlpha') f.resNormBudgets = list;
    else if (d.key === 'keep') f.vocabKeep = list;
    else (f.blockDims ??= []).push(list);
  });
  return out;
}
