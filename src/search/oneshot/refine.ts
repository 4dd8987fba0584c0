/**
 * The last step of a one-shot search: a greedy local search on the final shared weights. Scoring a configuration
 * with the final weights on the whole validation split costs one forward pass, so after the shortlist is rescored,
 * the best ones are improved one field at a time: every one-step neighbour (one field's dim one candidate down or
 * up) is scored, and the search moves to the best neighbour while it beats the current configuration. The memory
 * term of the reward is exact, so this is where a field one step too large, or a noise field the controller left at
 * a small dim, is cut — within a budget of `budget` extra scorings.
 */
import type { FieldChoices, Proposal } from '../../controllers/controller.js';
import type { ProxyScore } from './proxy-reward.js';

export interface Scored {
  proposal: Proposal;
  score: ProxyScore;
}

/** One-step neighbours of a proposal, field by field, down before up. */
export function neighbours(p: Proposal, fields: readonly FieldChoices[]): Proposal[] {
  const out: Proposal[] = [];
  p.fields.forEach((f, i) => {
    const dims = [...fields[i].dims].sort((a, b) => a - b);
    const at = dims.indexOf(f.dim);
    for (const j of [at - 1, at + 1]) {
      if (at < 0 || j < 0 || j >= dims.length) continue;
      out.push({ fields: p.fields.map((g, k) => (k === i ? { ...g, dim: dims[j] } : g)) });
    }
  });
  return out;
}

/**
 * Hill-climbs from each start in order, spending at most `budget` scorings in all; `key` identifies a configuration.
 * Configurations in `known` (the starts, and any scored before) are not scored again — a known neighbour is not
 * moved to either — and neither is anything it scored. Returns every configuration it scored.
 */
export function refine(
  starts: readonly Scored[],
  fields: readonly FieldChoices[],
  score: (p: Proposal) => ProxyScore,
  key: (p: Proposal) => string,
  budget: number,
  known: ReadonlySet<string> = new Set(),
): Scored[] {
  const seen = new Set([...known, ...starts.map((s) => key(s.proposal))]);
  const found: Scored[] = [];
  let left = budget;
  for (const start of starts) {
    let current = start;
    while (left > 0) {
      let best: Scored | undefined;
      for (const n of neighbours(current.proposal, fields)) {
        if (left === 0) break;
        if (seen.has(key(n))) continue;
        seen.add(key(n));
        left--;
        const s = { proposal: n, score: score(n) };
        found.push(s);
        if (s.score.reward > (best?.score.reward ?? -Infinity)) best = s;
      }
      if (!best || best.score.reward <= current.score.reward) break;
      current = best;
    }
  }
  return found;
}
