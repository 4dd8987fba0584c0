/**
 * NIS multi-size embedding and the vocabulary cut: the kept values, most frequent first, split into blocks of their
 * own dims (a wide one for frequent values, narrow or none for rare ones), or only the top fraction keeping a row.
 * Besides the cut, it adds one block-dim decision per block after the first (controllers/decisions.ts).
 */
import { z } from 'zod';
import { dimList } from './plain.js';
import { defineTechnique, nonNegativeInt, num } from './technique.js';

const vocabKeep = z.array(z.number().gt(0).max(1)).min(1);
const blocks = z
  .array(z.number().gt(0).max(1))
  .min(2)
  .max(8)
  .refine(
    (f) => Math.abs(f.reduce((a, b) => a + b, 0) - 1) < 1e-6,
    'the block fractions must sum to 1, e.g. [0.1, 0.4, 0.5]',
  );

export const multiSize = defineTechnique({
  name: 'multi-size',
  features: {
    vocabKeep: vocabKeep
      .default([1])
      .describe(
        "Candidate vocabulary cuts: the fraction (0, 1] of each field's kept values, most frequent first, that keep a row " +
          'of their own; the rest read the OOV row. Searched when more than one is listed.',
      ),
    blocks: blocks
      .optional()
      .describe(
        "NIS multi-size embedding: fractions of each field's kept values per block, most frequent first, summing to 1 " +
          "(e.g. [0.1, 0.4, 0.5]). The first block has the field's dim; each later block's dim comes from `blockDims` " +
          "(at most the field's dim; smaller ones are projected up to it; 0 = those values read the OOV row).",
      ),
    blockDims: dimList
      .optional()
      .describe(
        'Candidate dims of every block after the first (default: `dims`); a decision per block when more than one.',
      ),
  },
  overrides: { vocabKeep: vocabKeep.optional(), blocks: blocks.optional(), blockDims: dimList.optional() },
  decisions: [
    {
      key: 'keep',
      list: 'vocabKeep',
      optional: true,
      whole: false,
      uniform: 'largest',
      param: 'keep',
      value: (f) => f.keep ?? 1,
    },
  ],
  keyPart: (f) =>
    `${f.keep === undefined ? '' : `:k${num(f.keep)}`}${f.blockDims === undefined ? '' : `:b${f.blockDims.map(num).join('/')}`}`,
  notation: (f) => `${f.keep ? `/k${f.keep}` : ''}${f.blocks ? `/b${f.blocks.dims.join(',')}` : ''}`,
  csv: {
    uses: (f) => f.keep !== undefined || f.blocks !== undefined,
    columns: [
      { prefix: 'keep', value: (f) => f.keep ?? 1 },
      { prefix: 'blocks', value: (f) => f.blocks?.dims.join('/') },
    ],
  },
  configKeys: ['keep', 'blocks'],
  fileKeys: {
    keep: z.number().gt(0).max(1).optional(),
    blocks: z
      .strictObject({
        fractions: z.array(z.number().gt(0)).min(1),
        dims: z.array(nonNegativeInt('a block dim')).min(1),
      })
      .optional(),
  },
  // A kept field's vocabulary cut (searched, or the single listed value) when below 1, and the blocks when the space
  // has them: their later dims searched, or the first candidate (`blockDims`, else the field's dims), clamped to the
  // field's dim. A dropped field has no rows to cut or split.
  config: (f, lists) => {
    if (f.dim === 0) return {};
    const keep = f.keep ?? (lists.vocabKeep.length === 1 ? lists.vocabKeep[0] : 1);
    const out: { keep?: number; blocks?: { fractions: number[]; dims: number[] } } = keep < 1 ? { keep } : {};
    const fractions = lists.blocks;
    if (fractions === undefined) return out;
    const later = f.blockDims ?? fractions.slice(1).map(() => (lists.blockDims ?? lists.dims)[0]);
    return { ...out, blocks: { fractions: [...fractions], dims: [f.dim, ...later.map((d) => Math.min(d, f.dim))] } };
  },
  active: (f) => f.dim > 0 && (f.blocks !== undefined || (f.keep !== undefined && f.keep < 1)),
  exclusive: {
    label: 'blocks/vocabKeep',
    enabledBy: (l) =>
      [l.blocks !== undefined && 'blocks', (l.vocabKeep ?? []).some((x) => x < 1) && 'vocabKeep'].filter(
        (x) => typeof x === 'string',
      ),
  },
});
