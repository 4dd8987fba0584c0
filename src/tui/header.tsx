/** Top lines: what is being searched, how far along it is, and the objective it maximises (when known). */
import { Box, Text } from 'ink';
import { formatDuration, formatMetric, truncate } from './format.js';
import { inSupernetPhase, isEnded } from './layout.js';
import { liveRemainingMs } from './search-stats.js';
import { epochsLabel } from '../search/oneshot/oneshot-length.js';
import type { SearchView } from '../search/search-view.js';

/** The formula in full when it fits, else without "reward = " and spaces, and only then cut. */
export function abbreviateObjective(objective: string, columns: number): string {
  if (objective.length <= columns) return objective;
  const short = objective.replace(/^reward = /, 'R = ').replace(/ ?([−+·=]) ?/g, '$1');
  return truncate(short, columns);
}

export function Header({ view, columns }: { view: SearchView; columns: number }) {
  const badges = `${view.paused ? ' PAUSED ' : ''}${view.stopping ? ' stopping… ' : ''}`;
  const about = `  ${view.spaceFile}  seed ${view.seed}  ${view.controller}  ${view.backend}`;
  const eta = isEnded(view) ? '' : `  ETA ${formatDuration(liveRemainingMs(view))}`;
  // The trial ETA averages finished trials' wall times: before the supernet phase ends there are none to average.
  const epochs = view.oneShot?.epochs;
  const supernet = `supernet phase${epochs === undefined ? '' : ` (${epochsLabel(epochs)})`}`;
  const trials = inSupernetPhase(view) ? supernet : `trials ${view.trialsDone}/${view.trialsTotal}${eta}`;
  const progress = `elapsed ${formatDuration(view.elapsedMs)}  ${trials}  best reward `;
  const best = formatMetric(view.bestReward);
  // Every line is cut to the width here: ink would otherwise truncate it itself and keep each distinct
  // over-long line in a cache that never shrinks, one entry per frame.
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold color="cyan">
          {truncate(view.name, columns)}
        </Text>
        {view.paused && (
          <Text color="black" backgroundColor="yellow">
            {' PAUSED '}
          </Text>
        )}
        {view.stopping && <Text color="red">{' stopping… '}</Text>}
        {truncate(about, columns - view.name.length - badges.length)}
      </Text>
      {progress.length + best.length <= columns ? (
        <Text>
          {progress}
          <Text bold color="green">
            {best}
          </Text>
        </Text>
      ) : (
        <Text>{truncate(progress + best, columns)}</Text>
      )}
      {view.objective !== undefined && <Text dimColor>{abbreviateObjective(view.objective, columns)}</Text>}
    </Box>
  );
}
