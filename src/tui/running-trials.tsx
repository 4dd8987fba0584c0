/** One live line per busy worker: which trial, how far its training is, how fast, and the current loss. */
import { Box, Text } from 'ink';
import { bar } from './bars.js';
import { fitDims, formatMetric, formatRate, truncate } from './format.js';
import { trialProgress } from './search-stats.js';
import type { RunningTrialView, SearchView } from '../search/search-view.js';

const BAR_WIDTH = 12;

/** The fixed-width part of a row; the config fills what is left of the terminal width. */
export function runningTrialPrefix(t: RunningTrialView): string {
  const progress = trialProgress(t);
  const percent = `${Math.floor(progress * 100)}%`.padStart(4);
  return (
    `#${String(t.trialNumber).padEnd(4)}${t.where ? `@${t.where}` : `w${t.worker}`} ▕${bar(progress, BAR_WIDTH)}▏${percent} ` +
    `ep ${t.epoch}/${t.epochs} ${formatRate(t.rowsPerSec).padStart(6)} rows/s  loss ${formatMetric(t.loss)}  `
  );
}

export function RunningTrials({ view, columns }: { view: SearchView; columns: number }) {
  const rows = [...view.running].sort((a, b) => a.worker - b.worker);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>{`Running (${rows.length})`}</Text>
      {rows.length === 0 && (
        <Text dimColor>
          {view.paused
            ? 'proposing is paused — p resumes'
            : view.stopping
              ? 'no trial left running'
              : 'waiting for the next trial…'}
        </Text>
      )}
      {rows.map((t) => {
        const prefix = truncate(runningTrialPrefix(t), columns);
        return (
          <Text key={t.trialNumber}>
            {prefix}
            <Text dimColor>{fitDims(t.configShort, columns - prefix.length)}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
