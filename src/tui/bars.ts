/** Horizontal bars drawn with eighth-block characters, so a 20-cell bar has 160 visible steps. */
const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const FULL = '█';
const EMPTY = '░';

/** A bar exactly `width` characters wide filled to `fraction` (clamped to 0..1). */
export function bar(fraction: number, width: number): string {
  if (width <= 0) return '';
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = PARTIAL[eighths % 8];
  const filled = FULL.repeat(full) + partial;
  return filled + EMPTY.repeat(width - full - (partial ? 1 : 0));
}
