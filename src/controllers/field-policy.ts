/**
 * Groups per-decision probabilities back into per-field lists, the shape the terminal UI's policy panel reads. Any
 * controller with a distribution over each decision (REINFORCE's softmax, TPE's l(x)) can show it this way.
 */
import type { Choice, FieldPolicy } from './controller.js';
import { decisionSource } from '../techniques/index.js';
import type { Decision } from './decisions.js';

export type { FieldPolicy } from './controller.js';

/** The most likely value of a decision and its probability (ties: the first listed). */
export function argmaxChoice(xs: Choice): { value: number; prob: number } {
  return xs.reduce((a, b) => (b.prob > a.prob ? b : a));
}

/** Every candidate equally likely (within rounding): nothing learnt yet, so no value leads (a warm-up's policy). */
export function isUniform(xs: Choice): boolean {
  return xs.length < 2 || xs.every((c) => Math.abs(c.prob - 1 / xs.length) < 1e-9);
}

/**
 * How settled a decision is: 1 − H(p)/log k, 0 for a uniform distribution over its k candidates (nothing learnt yet),
 * 1 when one candidate has all the probability.
 */
export function settledShare(choices: Choice): number {
  if (choices.length < 2) return 1;
  const h = choices.reduce((s, c) => (c.prob > 0 ? s - c.prob * Math.log(c.prob) : s), 0);
  return Math.min(1, Math.max(0, 1 - h / Math.log(choices.length)));
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
    // A decision's distribution is named as its candidate list (dims, normBudgets, mletFactors, …); a repeated
    // decision's (block dims) is a list of them, one per block.
    const s = decisionSource(d.key);
    const lists = f as unknown as Record<string, Choice | Choice[]>;
    if (s.repeat) ((lists[s.list] ??= []) as Choice[]).push(list);
    else lists[s.list] = list;
  });
  return out;
}
