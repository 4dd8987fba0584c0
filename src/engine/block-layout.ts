/**
 * Where each id of a multi-size field lives (NIS "embedding blocks"): value ids are frequency-ordered (ids 0..kept-1,
 * most frequent first; then the OOV row at kept and the missing row at kept + 1), so a block is an id range.
 *
 *   [0, cut)           the kept values that keep a row of their own (cut = round(keep · kept), keep = 1 by default),
 *                      split into the config's blocks by cumulative fractions, each with its own dim (dims[0] = the
 *                      field's dim D; a block of dim d < D is projected up to D by a d × D matrix; dim 0 = no rows)
 *   [cut, kept)        cut off by the vocabulary cut: read the OOV row
 *   [kept, kept + 2)   the OOV and missing rows, at dim D
 *
 * Ids of a dim-0 block read the OOV row too. This file is the single source of the layout: the embedding, the memory
 * estimate and the saved model all derive it from the config and the field's row count here.
 */
import type { FieldConfig } from './trial-config.js';

export interface Block {
  /** Id range [start, end). */
  start: number;
  end: number;
  /** 0 = no rows: these ids read the OOV row. */
  dim: number;
  /** Whether the block is projected up to the field's dim (0 < dim < D). */
  projected: boolean;
}

/** The blocks of a field with `rows` = kept + 2 table rows, in id order, the OOV/missing block last. */
export function blockLayout(field: FieldConfig, rows: number): Block[] {
  const D = field.dim;
  const kept = rows - 2;
  const cut = Math.round((field.keep ?? 1) * kept);
  const fractions = field.blocks?.fractions ?? [1];
  const dims = field.blocks?.dims ?? [D];
  const blocks: Block[] = [];
  let acc = 0;
  let start = 0;
  fractions.forEach((fraction, b) => {
    acc += fraction;
    const end = b === fractions.length - 1 ? cut : Math.min(cut, Math.round(acc * cut));
    blocks.push({ start, end, dim: dims[b], projected: dims[b] > 0 && dims[b] < D && end > start });
    start = end;
  });
  if (cut < kept) blocks.push({ start: cut, end: kept, dim: 0, projected: false });
  blocks.push({ start: kept, end: rows, dim: D, projected: false });
  return blocks;
}

/** Parameters of the inference model's blocks: Σ rows_b · d_b + Σ projections d_b · D. */
export function blockParams(field: FieldConfig, rows: number): number {
  return blockLayout(field, rows).reduce(
    (sum, b) => sum + (b.end - b.start) * b.dim + (b.projected ? b.dim * field.dim : 0),
    0,
  );
}
