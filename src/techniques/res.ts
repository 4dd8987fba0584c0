/**
 * Res-embedding: row v is a cluster centre C[cluster(v)] plus its own residual R[v] (clusters of the field's values by
 * co-occurrence on the train split), collapsed to a plain table for inference.
 */
import { z } from 'zod';
import { defineTechnique, num } from './technique.js';

const resClusters = z.array(z.number().int().min(0)).min(1);
const resNormBudgets = z.array(z.number().min(0)).min(1);

export const res = defineTechnique({
  name: 'res',
  features: {
    resClusters: resClusters
      .default([0])
      .describe(
        'Candidate Res-embedding cluster counts: k > 0 reads row v as C[cluster(v)] + R[v] (clusters of the field\'s ' +
          'values by co-occurrence on the train split), collapsed to a plain table for inference; 0 = off. Searched when more than one.',
      ),
    resNormBudgets: resNormBudgets
      .default([1e-4])
      .describe("Candidate α of the residual rows' own decay (used when resClusters > 0). Searched when more than one."),
  },
  overrides: { resClusters: resClusters.optional(), resNormBudgets: resNormBudgets.optional() },
  decisions: [
    { key: 'resClusters', list: 'resClusters', optional: true, whole: true },
    { key: 'resAlpha', list: 'resNormBudgets', optional: true, whole: false },
  ],
  keyPart: (f) => `${f.resClusters === undefined ? '' : `:r${num(f.resClusters)}`}${f.resAlpha === undefined ? '' : `:ra${num(f.resAlpha)}`}`,
  notation: (f) => (f.resClusters ? `/r${f.resClusters}` : ''),
  csv: {
    uses: (f) => f.resClusters !== undefined || f.resAlpha !== undefined,
    columns: [
      { prefix: 'res', value: (f) => f.resClusters ?? 0 },
      { prefix: 'res_alpha', value: (f) => f.resAlpha },
    ],
  },
});
