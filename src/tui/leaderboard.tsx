/** The best completed trials by reward (the objective in the header), with the AUC and the penalty it is made of. */
import { Box, Text } from 'ink';
import { memo } from 'react';
import { fitDims, formatBytes, formatDims, formatMetric, truncate } from './format.js';
import { leaderboard, penaltyOf, sameFinished } from './search-stats.js';
import type { SearchView } from '../search/search-view.js';

const COLUMNS_HEADER = `${'#'.padStart(2)}  ${'trial'.padStart(5)}  ${'AUC'.padStart(6)}  ${'memory'.padStart(8)}  ${'penalty'.padStart(7)}  ${'reward'.padStart(7)}  dims`;

interface LeaderboardProps {
  view: SearchView;
  rows: number;
  columns: number;
}

function LeaderboardImpl({ view, rows, columns }: LeaderboardProps) {
  const top = leaderboard(view.finished, rows);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>{truncate(COLUMNS_HEADER, columns)}</Text>
      {top.map((t, i) => {
        const numbers =
          `${String(i + 1).padStart(2)}  ${String(t.number).padStart(5)}  ${formatMetric(t.validAuc)}  ` +
          `${formatBytes(t.memoryBytes).padStart(8)}  ${formatMetric(penaltyOf(t)).padStart(7)}  ${formatMetric(t.reward).padStart(7)}  `;
        return (
          <Text key={t.number} color={i === 0 ? 'green' : undefined}>
            {truncate(numbers + fitDims(formatDims(t.dims), columns - numbers.length), columns)}
          </Text>
        );
      })}
    </Box>
  );
}

/** Redrawn only when a trial finishes (finished trials are append-only) or the space for it changes. */
export const Leaderboard = memo(
  LeaderboardImpl,
  (a, b) => a.rows === b.rows && a.columns === b.columns && sameFinished(a.view.finished, b.view.finished),
);
