/**
 * Res-embedding: row v is a cluster centre C[cluster(v)] plus its own residual R[v] (clusters of the field's values by
 * co-occurrence on the train split), collapsed to a plain table for inference.
 */
import { z } from 'zod';
import { defineTechnique, isNonNegInt, isNonNegNumber, nonNegativeInt, num } from './technique.js';

const resClusters = z.array(z.number().int().min(0)).min(1);
const resNormBudgets = z.array(z.number().min(0)).min(1);

export const res = defineTechnique({
  name: 'res',
  features: {
    resClusters: resClusters
      .default([0])
      .describe(
        "Candidate Res-embedding cluster counts: k > 0 reads row v as C[cluster(v)] + R[v] (clusters of the field's " +
          'values by co-occurrence on the train split), collapsed to a plain table for inference; 0 = off. Searched when more than one.',
      ),
    resNormBudgets: resNormBudgets
      .default([1e-4])
      .describe(
        "Candidate α of the residual rows' own decay (used when resClusters > 0). Searched when more than one.",
      ),
  },
  overrides: { resClusters: resClusters.optional(), resNormBudgets: resNormBudgets.optional() },
  decisions: [
    {
      key: 'resClusters',
      list: 'resClusters',
      optional: true,
      whole: true,
      uniform: 'sweep',
      param: 'res',
      label: 'Res clusters',
      value: (f) => f.resClusters ?? 0,
    },
    {
      key: 'resAlpha',
      list: 'resNormBudgets',
      optional: true,
      whole: false,
      uniform: 'sweep',
      param: 'res_alpha',
      label: 'Res α',
      value: (f) => f.resAlpha ?? NaN,
    },
  ],
  keyPart: (f) =>
    `${f.resClusters === undefined ? '' : `:r${num(f.resClusters)}`}${f.resAlpha === undefined ? '' : `:ra${num(f.resAlpha)}`}`,
  notation: (f) => (f.resClusters ? `/r${f.resClusters}` : ''),
  csv: {
    uses: (f) => f.resClusters !== undefined || f.resAlpha !== undefined,
    columns: [
      { prefix: 'res', value: (f) => f.resClusters ?? 0 },
      { prefix: 'res_alpha', value: (f) => f.resAlpha },
    ],
  },
  describe: (f, formats) =>
    f.resClusters
      ? [`Res-embedding ${f.resClusters} clusters${f.resAlpha !== undefined ? `, α ${formats.alpha(f.resAlpha)}` : ''}`]
      : [],
  configKeys: {
    // Row v is C[cluster(v)] + R[v], with k = resClusters clusters of the field's values by co-occurrence on the
    // training rows (engine/res-clusters.ts); inference uses the collapsed rows × dim table. 0 or absent = off. A
    // field's maxNorm then caps the central rows C, not the sum.
    resClusters: nonNegativeInt('0 = Res-embedding off').optional(),
    // α of the residual rows' own decay λ = min(1, α·Δ) (default 1e-4); used only when resClusters > 0.
    resAlpha: z.number().min(0).optional(),
  },
  proposalKeys: { resClusters: z.number().optional(), resAlpha: z.number().optional() },
  // Searched values come with the proposal. A single listed cluster count > 0 applies without being searched, and a
  // field with Res-embedding on gets its residual α from the space when the α is not searched. A field with
  // Res-embedding off (and α not searched) gets neither key.
  config: (f, lists) => {
    const out: { resClusters?: number; resAlpha?: number } = {};
    if (f.resClusters !== undefined) out.resClusters = f.resClusters;
    if (f.resAlpha !== undefined) out.resAlpha = f.resAlpha;
    const ks = lists.resClusters;
    if (f.resClusters === undefined && ks.length === 1 && ks[0] > 0) out.resClusters = ks[0];
    if (f.resAlpha === undefined && (out.resClusters ?? 0) > 0 && lists.resNormBudgets.length === 1)
      out.resAlpha = lists.resNormBudgets[0];
    return out;
  },
  check: (f, at) => {
    if (f.resClusters !== undefined && !isNonNegInt(f.resClusters))
      at.fail(`${at.key('resClusters')} is ${f.resClusters}`, 'use a whole number ≥ 0 (0 = Res-embedding off)');
    if (f.resAlpha !== undefined && !isNonNegNumber(f.resAlpha))
      at.fail(`${at.key('resAlpha')} is ${f.resAlpha}`, 'use a number ≥ 0');
  },
  active: (f) => (f.resClusters ?? 0) > 0,
  // A residual α does nothing without Res-embedding.
  unused: (f) => ((f.resClusters ?? 0) === 0 && f.resAlpha !== undefined ? ['resAlpha'] : []),
  largest: (l) => ({ resClusters: Math.max(0, ...(l.resClusters ?? [])), resAlpha: 0 }),
  exclusive: {
    label: 'resClusters',
    enabledBy: (l) => ((l.resClusters ?? []).some((x) => x > 0) ? ['resClusters'] : []),
  },
});
