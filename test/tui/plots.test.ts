import { describe, expect, it } from 'vitest';
import { BUDGET_GLYPH, FRONT_GLYPH, memoryScatter, POINT_GLYPH } from '../../src/tui/plots/memory-scatter.js';
import { stepChart } from '../../src/tui/plots/step-chart.js';

const MB = 1_000_000;
const count = (text: string, glyph: string) => text.split(glyph).length - 1;

describe('step chart', () => {
  it('draws a rising staircase in braille with min and max labels', () => {
    const lines = stepChart([0.1, 0.3], { width: 11, height: 2 });
    expect(lines).toEqual([
      // 4 plot cells = 8 dot columns: 0.1 fills the first 4 (bottom dot row), 0.3 the last 4 (top dot row),
      // the riser fills dot column 4 from the bottom to the top.
      '0.3000┤  ⡏⠉',
      '0.1000┤⣀⣀⡇ ',
      '       1  2',
    ]);
  });

  it('puts a flat series in the middle and returns nothing for no data', () => {
    const [top, bottom] = stepChart([0.5, 0.5, 0.5], { width: 11, height: 2 });
    // 8 dot rows, middle = dot row 4 = the top dots of the lower cell row.
    expect(top).toBe('0.5000┤    ');
    expect(bottom).toBe('0.5000┤⠉⠉⠉⠉');
    expect(stepChart([], { width: 20, height: 4 })).toEqual([]);
  });
});

describe('memory scatter', () => {
  const points = [
    { validAuc: 0.7, memoryBytes: 1 * MB }, // front (smallest)
    { validAuc: 0.74, memoryBytes: 3 * MB }, // dominated by the 2 MB one
    { validAuc: 0.75, memoryBytes: 2 * MB }, // front
    { validAuc: 0.8, memoryBytes: 5 * MB }, // front (most accurate)
  ];

  it('marks the Pareto front with its own glyph at the right cells', () => {
    const lines = memoryScatter(points, { width: 7 + 9, height: 3 });
    expect(lines).toHaveLength(4);
    const plot = lines.slice(0, 3).map((l) => l.slice(7));
    // x: 1..5 MB over 9 columns → columns 0, 2 (2 MB), 4 (3 MB), 8; y: 0.70..0.80 over 3 rows.
    expect(plot).toEqual(['        ◆', '  ◆ ·    ', '◆        ']);
    expect(count(lines.join('\n'), FRONT_GLYPH)).toBe(3);
    expect(count(lines.join('\n'), POINT_GLYPH)).toBe(1);
    expect(lines[0].startsWith('0.8000┤')).toBe(true);
    expect(lines[2].startsWith('0.7000┤')).toBe(true);
    expect(lines[3]).toContain('1.00 MB');
    expect(lines[3].trimEnd().endsWith('5.00 MB')).toBe(true);
  });

  it('draws the memory budget as a vertical line behind the points', () => {
    const lines = memoryScatter(points, { width: 16, height: 3, budgetBytes: 3 * MB });
    const column = lines.slice(0, 3).map((l) => l[7 + 4]);
    // Column 4 holds the 3 MB point in the middle row; the budget line shows above and below it.
    expect(column).toEqual([BUDGET_GLYPH, POINT_GLYPH, BUDGET_GLYPH]);
    expect(memoryScatter([], { width: 20, height: 3 })).toEqual([]);
  });
});
