/**
 * The AUC × memory scatter: one character cell per point (braille would merge neighbours into one glyph and
 * hide which of them is on the front), front points drawn with their own glyph, the memory budget as a
 * dotted vertical line when it falls inside the plotted range.
 */
import { formatBytes } from '../format.js';
import { paretoFront, type AucMemoryPoint } from '../pareto.js';
import { scale, withYLabels, xLabels } from './axis.js';

export const FRONT_GLYPH = '◆';
export const POINT_GLYPH = '·';
export const BUDGET_GLYPH = '┊';

export interface MemoryScatterOptions {
  /** Total width in characters, labels included. */
  width: number;
  /** Plot rows; one line of x labels comes in addition. */
  height: number;
  budgetBytes?: number;
}

/** Lines of the scatter (height + 1 of them), or an empty array when there is no point. */
export function memoryScatter(points: readonly AucMemoryPoint[], options: MemoryScatterOptions): string[] {
  const valid = points.filter((p) => Number.isFinite(p.validAuc) && Number.isFinite(p.memoryBytes));
  if (valid.length === 0) return [];
  const front = new Set<AucMemoryPoint>(paretoFront(valid));
  const aucs = valid.map((p) => p.validAuc);
  const mems = valid.map((p) => p.memoryBytes);
  const [minAuc, maxAuc] = [Math.min(...aucs), Math.max(...aucs)];
  const [minMem, maxMem] = [Math.min(...mems), Math.max(...mems)];
  const top = maxAuc.toFixed(4);
  const bottom = minAuc.toFixed(4);
  const gutter = Math.max(top.length, bottom.length);
  const plotWidth = Math.max(1, options.width - gutter - 1);
  const height = Math.max(1, options.height);
  const grid = Array.from({ length: height }, () => Array<string>(plotWidth).fill(' '));

  const budget = options.budgetBytes;
  if (budget !== undefined && maxMem > minMem && budget >= minMem && budget <= maxMem) {
    const col = scale(budget, minMem, maxMem, plotWidth);
    for (const row of grid) row[col] = BUDGET_GLYPH;
  }
  // Dominated points first, so a front point sharing a cell with one keeps its glyph.
  const ordered = [...valid.filter((p) => !front.has(p)), ...valid.filter((p) => front.has(p))];
  for (const p of ordered) {
    const col = scale(p.memoryBytes, minMem, maxMem, plotWidth);
    const row = height - 1 - scale(p.validAuc, minAuc, maxAuc, height);
    grid[row][col] = front.has(p) ? FRONT_GLYPH : POINT_GLYPH;
  }
  return [
    ...withYLabels(
      grid.map((row) => row.join('')),
      top,
      bottom,
    ),
    xLabels(gutter, plotWidth, formatBytes(minMem), formatBytes(maxMem)),
  ];
}
