/** Axis labels shared by the plots: a left gutter of y labels and a bottom line with the x range. */

/** Prefixes each plot line with a right-aligned label gutter: top label, bottom label, blanks between. */
export function withYLabels(plot: string[], top: string, bottom: string): string[] {
  const gutter = Math.max(top.length, bottom.length);
  return plot.map((line, i) => {
    const label = i === 0 ? top : i === plot.length - 1 ? bottom : '';
    const tick = i === 0 || i === plot.length - 1 ? '┤' : '│';
    return `${label.padStart(gutter)}${tick}${line}`;
  });
}

/** The x-axis line under a plot: left label at the plot's left edge, right label flush with its right edge. */
export function xLabels(gutter: number, plotWidth: number, left: string, right: string): string {
  const space = Math.max(1, plotWidth - left.length - right.length);
  return `${' '.repeat(gutter + 1)}${left}${' '.repeat(space)}${right}`;
}

/** Maps value in [min, max] onto 0..steps-1; a degenerate range lands in the middle. */
export function scale(value: number, min: number, max: number, steps: number): number {
  if (steps <= 1) return 0;
  if (!(max > min)) return Math.floor((steps - 1) / 2);
  const t = (value - min) / (max - min);
  return Math.min(steps - 1, Math.max(0, Math.round(t * (steps - 1))));
}
