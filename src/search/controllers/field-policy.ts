/**
 * Groups per-decision probabilities back into per-field lists, the shape the terminal UI's policy panel reads. Any
 * controller with a distribution over each decision (REINFORCE's softmax, TPE's l(x)) can show it this way.
 */
import type { Choice, FieldPolicy } from './controller.js';
import { DECISION_SOURCES } from '../../techniques/index.js';
import type { Decision } from './decisions.js';

const LIST_OF = new Map(DECISION_SOURCES.map((s) => [s.key, s.list]));

export type { FieldPolicy } from './controller.js';

/** The most likely value of a decision and its probability (ties: the first listed). */
export function argmaxChoice(xs: Choice): { value: number; prob: number } {
  return xs.reduce((a, b) => (b.prob > a.prob ? b : a));
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
    // A decision's distribution is named as its candidate list (dims, normBudgets, mletFactors, …); block dims, one per block.
    if (d.key === 'blockDim') (f.blockDims ??= []).push(list);
    else f[LIST_OF.get(d.key)!] = list;
  });
  return out;
}
