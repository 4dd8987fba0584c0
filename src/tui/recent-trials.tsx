/**
 * The last few finished trials, newest last. Drawn in the live area rather than with ink's <Static>: Static is
 * append-only (the screen would stop being a function of the view) and, whenever the dashboard is as tall as
 * the terminal, ink repaints with clear-screen + the whole Static log on every frame, which floods and
 * flickers after a few hundred trials. The complete log is what the plain reporter and `embnas show` are for.
 */
import { Box, Text } from 'ink';
import { fitDims, formatBytes, formatDims, formatMetric, oneLine, truncate } from './format.js';
import { RECENT_SIZE } from './layout.js';
import type { FinishedTrialView, SearchView } from '../search/search-view.js';

/** A finished trial in `width` columns: the numbers, then its dims abbreviated to fit (format.ts fitDims). */
export function recentTrialLine(t: FinishedTrialView, width = Infinity): string {
  const head = `#${String(t.number).padEnd(4)} `;
  if (t.status === 'failed') return `${head} failed: ${oneLine(t.error ?? 'unknown error')}`;
  const cached = t.cacheHit ? ' (cached)' : '';
  const numbers = `${head} auc ${formatMetric(t.validAuc)}  ${formatBytes(t.memoryBytes ?? NaN).padStart(9)}  reward ${formatMetric(t.reward)}${cached}  `;
  return numbers + fitDims(formatDims(t.dims), width - numbers.length);
}

export function RecentTrials({ view, columns }: { view: SearchView; columns: number }) {
  const recent = view.finished.slice(-RECENT_SIZE);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>{truncate(`Finished (${view.finished.length})`, columns)}</Text>
      {recent.map((t) => (
        <Text key={t.number} color={t.status === 'failed' ? 'red' : undefined}>
          {truncate(recentTrialLine(t, columns), columns)}
        </Text>
      ))}
    </Box>
  );
}
