/** The two plots side by side: best reward so far over completed trials, and AUC against memory. */
import { Box, Text } from 'ink';
import { memo } from 'react';
import { truncate } from './format.js';
import { BUDGET_GLYPH, FRONT_GLYPH, memoryScatter, POINT_GLYPH } from './plots/memory-scatter.js';
import { stepChart } from './plots/step-chart.js';
import { bestRewardCurve, isScored, sameFinished } from './search-stats.js';
import type { SearchView } from '../search/search-view.js';

const GAP = 3;
const TITLE = 'AUC × memory';

function fit(lines: string[], width: number): string {
  return lines.map((line) => truncate(line, width)).join('\n');
}

interface PlotsPanelProps {
  view: SearchView;
  columns: number;
  /** Rows of each plot (layout.ts: full, or compact on a short terminal). */
  rows: number;
}

function PlotsPanelImpl({ view, columns, rows }: PlotsPanelProps) {
  const width = Math.floor((columns - GAP) / 2);
  const reward = stepChart(bestRewardCurve(view.finished), { width, height: rows });
  const scatter = memoryScatter(view.finished.filter(isScored), {
    width,
    height: rows,
    budgetBytes: view.memoryBudgetBytes,
  });
  const legend = `${FRONT_GLYPH} front ${POINT_GLYPH} other${view.memoryBudgetBytes !== undefined ? ` ${BUDGET_GLYPH} budget` : ''}`;
  return (
    <Box marginTop={1} gap={GAP}>
      <Box flexDirection="column" width={width}>
        <Text bold>{truncate('Best reward over trials', width)}</Text>
        {/* One Text per plot: far cheaper for ink than a node per line. Lines are pre-cut to the width. */}
        <Text>{fit(reward, width)}</Text>
      </Box>
      <Box flexDirection="column" width={width}>
        <Text>
          <Text bold>{truncate(TITLE, width)}</Text>
          <Text dimColor>{truncate(`  ${legend}`, width - TITLE.length)}</Text>
        </Text>
        <Text>{fit(scatter, width)}</Text>
      </Box>
    </Box>
  );
}

/** Redrawn only when a trial finishes (finished trials are append-only) or the width or budget changes. */
export const PlotsPanel = memo(
  PlotsPanelImpl,
  (a, b) =>
    a.columns === b.columns &&
    a.rows === b.rows &&
    a.view.memoryBudgetBytes === b.view.memoryBudgetBytes &&
    sameFinished(a.view.finished, b.view.finished),
);
