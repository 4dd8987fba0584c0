/**
 * The supernet phase of a one-shot search. It trains one weight-sharing network for thousands of steps before any
 * trial runs, so without this panel the screen would sit on an empty trial list: it shows how far the phase is,
 * when it should end, and whether the controller's proxy reward is still climbing. Once the phase is done, one
 * line says so and the finalists show up below as ordinary trials.
 */
import { Box, Text } from 'ink';
import { bar } from './bars.js';
import { formatDuration, formatMetric, truncate } from './format.js';
import { ONE_SHOT_PLOT_ROWS } from './layout.js';
import { stepChart } from './plots/step-chart.js';
import { supernetRemainingMs } from './search-stats.js';
import { epochsLabel } from '../search/oneshot/oneshot-length.js';
import type { OneShotView } from '../search/search-view.js';

const BAR_MAX = 20;
const BAR_MIN = 4;

/** 12000 → "12,000", whatever the locale. */
function count(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** "supernet  search  step 1,200/3,000 ▕████░░░░▏ 40%  round 40/100  ETA 0:01:12"; the bar shrinks to fit. */
export function supernetProgressLine(o: OneShotView, columns: number): string {
  const fraction = o.totalSteps > 0 ? Math.min(1, Math.max(0, o.step / o.totalSteps)) : 0;
  const phase = o.phase === 'warmup' ? 'warm-up (uniform sampling)' : 'search';
  const head = `supernet  ${phase}  step ${count(o.step)}/${count(o.totalSteps)} `;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const round = o.phase === 'search' ? `  round ${count(o.round)}/${count(o.rounds)}` : '';
  const tail = `${round}  ETA ${formatDuration(supernetRemainingMs(o))}`;
  const barWidth = Math.min(BAR_MAX, columns - head.length - 2 - percent.length - tail.length);
  const line =
    barWidth >= BAR_MIN ? `${head}▕${bar(fraction, barWidth)}▏${percent}${tail}` : `${head}${percent.trim()}${tail}`;
  return truncate(line, columns);
}

/** "proxy reward  last 0.7712  best 0.7801", or why there is none yet. */
export function proxyLine(o: OneShotView): string {
  if (o.phase === 'warmup') return 'proxy reward  none yet: the controller starts sampling after the warm-up';
  const last = o.proxy.at(-1);
  if (last === undefined) return 'proxy reward  none yet: the first round is running';
  return `proxy reward  last ${formatMetric(last)}  best ${formatMetric(o.bestProxy)}`;
}

/** "supernet done: 3,000 steps (4 epochs), 4 finalists trained on their own below". */
export function supernetDoneLine(o: OneShotView): string {
  const finalists =
    o.finalists === undefined ? 'the finalists' : `${o.finalists} finalist${o.finalists === 1 ? '' : 's'}`;
  const epochs = o.epochs === undefined ? '' : ` (${epochsLabel(o.epochs)})`;
  return `supernet done: ${count(o.step)} steps${epochs}, ${finalists} trained on their own below`;
}

/** Lines of the proxy reward chart, x labelled with round numbers (the view keeps only the latest rounds). */
export function proxyChart(o: OneShotView, columns: number): string[] {
  const firstRound = Math.max(1, o.round - o.proxy.length + 1);
  return stepChart(o.proxy, { width: columns, height: ONE_SHOT_PLOT_ROWS, firstX: firstRound }).map((l) =>
    truncate(l, columns),
  );
}

export function OneShotPanel(props: { oneShot: OneShotView; columns: number; showChart: boolean }) {
  const { oneShot: o, columns, showChart } = props;
  if (o.phase === 'done') {
    return (
      <Box marginTop={1}>
        <Text bold>{truncate(supernetDoneLine(o), columns)}</Text>
      </Box>
    );
  }
  const chart = showChart ? proxyChart(o, columns) : [];
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>{supernetProgressLine(o, columns)}</Text>
      <Text dimColor={o.proxy.length === 0}>{truncate(proxyLine(o), columns)}</Text>
      {/* One Text for the chart: far cheaper for ink than a node per line. Lines are pre-cut to the width. */}
      {chart.length > 0 && <Text>{chart.join('\n')}</Text>}
    </Box>
  );
}
