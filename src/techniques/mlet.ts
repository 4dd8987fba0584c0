/** MLET (arXiv 2309.15881): a field's table trained as a product A·B, collapsed to a plain table for inference. */
import { z } from 'zod';
import { defineTechnique, isNonNegInt, nonNegativeInt, num } from './technique.js';

const mletFactors = z.array(z.number().int().min(0)).min(1);

export const mlet = defineTechnique({
  name: 'mlet',
  features: {
    mletFactors: mletFactors
      .default([0])
      .describe(
        'Candidate MLET factors (arXiv 2309.15881): factor f > 0 trains the table as A (rows × f·dim) · B (f·dim × dim), ' +
          'collapsed to a plain table for inference; 0 = a plain table. Searched only when more than one is listed.',
      ),
  },
  overrides: { mletFactors: mletFactors.optional() },
  decisions: [
    {
      key: 'mletFactor',
      list: 'mletFactors',
      optional: true,
      whole: true,
      uniform: 'sweep',
      param: 'mlet',
      label: 'MLET factor',
      value: (f) => f.mletFactor ?? 0,
    },
  ],
  keyPart: (f) => (f.mletFactor === undefined ? '' : `:m${num(f.mletFactor)}`),
  notation: (f) => (f.mletFactor ? `/m${f.mletFactor}` : ''),
  describe: (f) => (f.mletFactor ? [`MLET ×${f.mletFactor}`] : []),
  csv: { uses: (f) => f.mletFactor !== undefined, columns: [{ prefix: 'mlet', value: (f) => f.mletFactor ?? 0 }] },
  configKeys: {
    // Train the table as A (rows × k) · B (k × dim) with k = mletFactor · dim; inference uses the collapsed rows × dim
    // product. 0 or absent = a plain table. A field's maxNorm caps the effective rows A[i]·B.
    mletFactor: nonNegativeInt('0 = a plain table').optional(),
  },
  proposalKeys: { mletFactor: z.number().optional() },
  // A searched factor comes with the proposal (0 included); a single listed factor > 0 is not a decision but still
  // applies; a single 0 leaves `mletFactor` out altogether.
  config: (f, lists) => {
    if (f.mletFactor !== undefined) return { mletFactor: f.mletFactor };
    const factors = lists.mletFactors;
    return factors.length === 1 && factors[0] > 0 ? { mletFactor: factors[0] } : {};
  },
  check: (f, at) => {
    if (f.mletFactor !== undefined && !isNonNegInt(f.mletFactor))
      at.fail(`${at.key('mletFactor')} is ${f.mletFactor}`, 'use a whole number ≥ 0 (0 = a plain table)');
  },
  active: (f) => (f.mletFactor ?? 0) > 0,
  largest: (l) => ({ mletFactor: Math.max(0, ...(l.mletFactors ?? [])) }),
  // A's rows are factor · dim wide.
  widest: (l) => {
    const factor = Math.max(0, ...(l.mletFactors ?? []));
    return { factor, list: 'mletFactors', what: (dim) => `MLET factor ${factor} at dim ${dim}` };
  },
  exclusive: {
    label: 'mletFactors',
    enabledBy: (l) => ((l.mletFactors ?? []).some((x) => x > 0) ? ['mletFactors'] : []),
  },
});
