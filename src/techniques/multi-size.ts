/**
 * NIS multi-size embedding and the vocabulary cut: the kept values, most frequent first, split into blocks of their
 * own dims (a wide one for frequent values, narrow or none for rare ones), or only the top fraction keeping a row.
 * Besides the cut, it adds one block-dim decision per block after the first (a repeated decision).
 */
import { z } from 'zod';
import { dimList } from './plain.js';
import { type CheckContext, defineTechnique, isNonNegInt, nonNegativeInt, num } from './technique.js';

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
      label: 'keep',
      value: (f) => f.keep ?? 1,
    },
    {
      // One per block after the first, when the field has blocks and more than one candidate block dim.
      key: 'blockDim',
      list: 'blockDims',
      property: 'blockDims',
      optional: true,
      whole: true,
      uniform: 'largest',
      param: 'block',
      label: (n) => `block ${n + 1} dim`,
      repeat: {
        count: (l) =>
          l.blocks !== undefined && l.blocks.length > 1 && l.blockDims !== undefined ? l.blocks.length - 1 : 0,
        values: (f) => f.blocks?.dims.slice(1) ?? [],
        // Later block dims are clamped to the field's dim (one of `dims`), so their choices are both lists together.
        optunaChoices: (l) => [...new Set([...(l.blockDims ?? l.dims), ...l.dims])].sort((a, b) => a - b),
      },
    },
  ],
  // Candidate dims of a field's later blocks: its own `blockDims`, the space's, else its candidate dims.
  choices: (l) => (l.blocks ? { blocks: l.blocks, blockDims: l.blockDims ?? l.dims } : {}),
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
  describe: (f) => [
    ...(f.keep !== undefined && f.keep < 1 ? [`keep ${f.keep}`] : []),
    ...(f.blocks ? [`blocks ${f.blocks.fractions.join('/')} at dims ${f.blocks.dims.join('/')}`] : []),
  ],
  configKeys: {
    // Vocabulary cut: the fraction (0, 1] of the kept values, most frequent first, that keep a row; the rest read the
    // OOV row.
    keep: z.number().gt(0).max(1).optional(),
    // NIS multi-size embedding: the kept values, in frequency order, split into blocks by `fractions` (summing to 1),
    // block b with its own dim `dims[b]` (dims[0] = dim; a smaller dim is projected up to dim; 0 = those values read
    // the OOV row). Absent = one table. See engine/block-layout.ts.
    blocks: z
      .strictObject({
        fractions: z.array(z.number().gt(0)).min(1),
        dims: z.array(nonNegativeInt('a block dim')).min(1),
      })
      .optional(),
  },
  proposalKeys: { keep: z.number().optional(), blockDims: z.array(z.number()).optional() },
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
  check: checkMultiSize,
  active: (f) => f.dim > 0 && (f.blocks !== undefined || (f.keep !== undefined && f.keep < 1)),
  exclusive: {
    label: 'blocks/vocabKeep',
    enabledBy: (l) =>
      [l.blocks !== undefined && 'blocks', (l.vocabKeep ?? []).some((x) => x < 1) && 'vocabKeep'].filter(
        (x) => typeof x === 'string',
      ),
  },
});

/** Blocks: fractions > 0 summing to 1, one whole dim ≤ dim per block, the first = dim; keep in (0, 1]. */
function checkMultiSize(
  f: { dim: number; keep?: number; blocks?: { fractions: number[]; dims: number[] } },
  at: CheckContext,
): void {
  const where = at.field;
  if (f.keep !== undefined && !(Number.isFinite(f.keep) && f.keep > 0 && f.keep <= 1)) {
    at.fail(`${where}.keep is ${f.keep}`, 'use a fraction in (0, 1] of the kept values (1 = no cut)');
  }
  if (f.blocks === undefined) return;
  const { fractions, dims } = f.blocks;
  if (!Array.isArray(fractions) || !Array.isArray(dims) || fractions.length === 0 || fractions.length !== dims.length) {
    at.fail(
      `${where}.blocks needs as many dims as fractions`,
      'e.g. blocks: { fractions: [0.1, 0.4, 0.5], dims: [16, 4, 0] }',
    );
  }
  // The embedding keeps block indices in a Uint8Array and the layout adds a cut block and the OOV block: 254 + 2 = 256.
  if (fractions.length > 254) at.fail(`${where}.blocks has ${fractions.length} blocks`, 'use at most 254 blocks');
  if (
    !fractions.every((x) => Number.isFinite(x) && x > 0) ||
    Math.abs(fractions.reduce((a, b) => a + b, 0) - 1) > 1e-6
  ) {
    at.fail(
      `${where}.blocks.fractions is [${fractions.join(', ')}]`,
      'use positive fractions that sum to 1, most frequent block first',
    );
  }
  if (f.dim > 0 && (dims[0] !== f.dim || !dims.every((d) => isNonNegInt(d) && d <= f.dim))) {
    at.fail(
      `${where}.blocks.dims is [${dims.join(', ')}] with dim ${f.dim}`,
      `start with the field's dim ${f.dim}, then whole numbers from 0 to ${f.dim}`,
    );
  }
}
