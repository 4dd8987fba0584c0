/**
 * A step chart in braille (used for the best reward over trials): each value holds until the next one, and a
 * change is drawn as a vertical riser, so a running maximum reads as a staircase.
 */
import { BrailleCanvas } from './braille-canvas.js';
import { scale, withYLabels, xLabels } from './axis.js';

export interface StepChartOptions {
  /** Total width in characters, labels included. */
  width: number;
  /** Plot rows; one line of x labels comes in addition. */
  height: number;
  /** Formats the y labels (top = max, bottom = min). */
  formatY?: (value: number) => string;
  /** Label of the first value on the x axis (default 1): a chart of the latest values counts from where they start. */
  firstX?: number;
}

/** Lines of the chart (height + 1 of them), or an empty array when there is nothing to plot. */
export function stepChart(values: readonly number[], options: StepChartOptions): string[] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0 || finite.length !== values.length) return [];
  const formatY = options.formatY ?? ((v: number) => v.toFixed(4));
  const firstX = options.firstX ?? 1;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const top = formatY(max);
  const bottom = formatY(min);
  const gutter = Math.max(top.length, bottom.length);
  const plotWidth = Math.max(1, options.width - gutter - 1);
  const canvas = new BrailleCanvas(plotWidth, Math.max(1, options.height));

  let previousY: number | undefined;
  for (let x = 0; x < canvas.dotWidth; x++) {
    // The dot column shows the last value whose slot starts at or before it.
    const index = Math.min(values.length - 1, Math.floor((x * values.length) / canvas.dotWidth));
    const y = canvas.dotHeight - 1 - scale(values[index], min, max, canvas.dotHeight);
    canvas.vertical(x, previousY ?? y, y);
    previousY = y;
  }
  return [
    ...withYLabels(canvas.lines(), top, bottom),
    xLabels(gutter, plotWidth, String(firstX), String(firstX + values.length - 1)),
  ];
}
