/**
 * The plain table, every field's base: its candidate dims (0 drops the field), its norm budgets and the optional row
 * cap. Every field has these two decisions, whatever else it searches.
 */
import { z } from 'zod';
import { defineTechnique, num } from './technique.js';

export const dimList = z.array(z.number().int().min(0)).min(1);
const normBudgets = z.array(z.number().min(0)).min(1);
const maxNorm = z.number().positive();

export const plain = defineTechnique({
  name: 'plain',
  features: {
    dims: dimList.default([0, 2, 4, 8, 16]).describe('Candidate embedding sizes for every field (0 = drop the field).'),
    normBudgets: normBudgets
      .default([0])
      .describe("Candidate α of the adaptive per-row decay λ = min(1, α·steps since the row's last update); 0 = off."),
    maxNorm: maxNorm.optional().describe("Optional hard cap on every row's L2 norm."),
  },
  overrides: { dims: dimList.optional(), normBudgets: normBudgets.optional(), maxNorm: maxNorm.optional() },
  decisions: [
    {
      key: 'dim',
      list: 'dims',
      optional: false,
      whole: true,
      uniform: 'sweep',
      param: 'dim',
      label: 'dim',
      value: (f) => f.dim,
    },
    {
      key: 'normAlpha',
      label: 'α',
      list: 'normBudgets',
      optional: false,
      whole: false,
      uniform: 'sweep',
      param: 'alpha',
      value: (f) => f.normAlpha,
    },
  ],
  keyPart: (f) => `:${num(f.dim)}:${num(f.normAlpha)}`,
  // The dim and α lead every field's notation (search/live-view.ts, shortConfig); a plain table adds nothing.
  notation: () => '',
  // name, dim, normAlpha and maxNorm are every field's (BaseSettings, FieldConfig), written by the callers themselves;
  // engine/validate.ts checks them.
  configKeys: {},
  proposalKeys: {},
  config: () => ({}),
  active: (f) => f.dim > 0,
});
