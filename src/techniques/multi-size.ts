/**
 * NIS multi-size embedding and the vocabulary cut: the kept values, most frequent first, split into blocks of their
 * own dims (a wide one for frequent values, narrow or none for rare ones), or only the top fraction keeping a row.
 * Besides the cut, it adds one block-dim decision per block after the first (controllers/decisions.ts).
 */
import { z } from 'zod';
import { dimList } from './plain.js';
import { defineTechnique, num } from './technique.js';

const vocabKeep = z.array(z.number().gt(0).max(1)).min(1);
const blocks = z
  .array(z.number().gt(0).max(1))
  .min(2)
  .max(8)
  .refine((f) => Math.abs(f.reduce((a, b) => a + b, 0) - 1) < 1e-6, 'the block fractions must sum to 1, e.g. [0.1, 0.4, 0.5]');

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
      .describe('Candidate dims of every block after the first (default: `dims`); a decision per block when more than one.'),
  },
  overrides: { vocabKeep: vocabKeep.optional(), blocks: blocks.optional(), blockDims: dimList.optional() },
  decisions: [{ key: 'keep', list: 'vocabKeep', optional: true, whole: false }],
  keyPart: (f) => `${f.keep === undefined ? '' : `:k${num(f.keep)}`}${f.blockDims === undefined ? '' : `:b${f.blockDims.map(num).join('/')}`}`,
  notation: (f) => `${f.keep ? `/k${f.keep}` : ''}${f.blocks ? `/b${f.blocks.dims.join(',')}` : ''}`,
  csv: {
    uses: (f) => f.keep !== undefined || f.blocks !== undefined,
    columns: [
      { prefix: 'keep', value: (f) => f.keep ?? 1 },
      { prefix: 'blocks', value: (f) => f.blocks?.dims.join('/') },
    ],
  },
});
