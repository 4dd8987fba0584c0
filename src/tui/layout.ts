/**
 * Which sections fit on the screen. Ink repaints the whole terminal (clear + redraw, visible flicker at every
 * update) once its output is as tall as the terminal, so the dashboard drops its optional sections, least
 * useful last, until it is at least one row shorter. Heights here mirror the components line for line.
 */
import { endLines, endLinesHeight } from './end-lines.js';
import { isScored } from './search-stats.js';
import type { SearchView } from '../search/search-view.js';

export const LEADERBOARD_SIZE = 10;
export const RECENT_SIZE = 5;
export const PLOT_ROWS = 6;
/** Plot rows on a short terminal, so the plots and the policy both stay on screen at 80×24. */
export const PLOT_ROWS_COMPACT = 3;
/** Leaderboard rows kept before the plots and the policy get their room; more rows come after them. */
export const LEADERBOARD_FIRST_ROWS = 3;
/** Rows of the proxy reward chart in the one-shot panel (one line of x labels comes in addition). */
export const ONE_SHOT_PLOT_ROWS = 5;
/** Narrower terminals skip the plots: two side by side need room for labels and a readable plot. */
export const PLOTS_MIN_COLUMNS = 60;
export const POLICY_CELL_WIDTH = 46;
/** A field's policy without bars ("user       16  72%  α   1e-3  35%"), when full cells would stand one per line. */
export const POLICY_COMPACT_CELL_WIDTH = 34;
export const POLICY_CELL_GAP = 2;

export interface Layout {
  showRunning: boolean;
  /** The one-shot panel's text lines, and its proxy reward chart. */
  showOneShot: boolean;
  showOneShotChart: boolean;
  showRecent: boolean;
  /** Leaderboard rows to show (0 hides the section). */
  leaderboardRows: number;
  showPlots: boolean;
  /** Rows of each plot: PLOT_ROWS, or PLOT_ROWS_COMPACT on a short terminal. */
  plotRows: number;
  showPolicy: boolean;
  policyColumns: number;
}

export function isEnded(view: SearchView): boolean {
  return view.endMessage !== undefined || view.resumeCommand !== undefined;
}

/** While a one-shot search trains its supernet: no trial runs or has finished yet, the header has no trial ETA. */
export function inSupernetPhase(view: SearchView): boolean {
  return view.oneShot !== undefined && view.oneShot.phase !== 'done';
}

/** Lines of the one-shot panel without its chart: margin + progress and proxy lines, or margin + one once done. */
export function oneShotTextHeight(view: SearchView): number {
  if (view.oneShot === undefined) return 0;
  return view.oneShot.phase === 'done' ? 1 + 1 : 1 + 2;
}

/** Name line, progress line, and the objective's line when the view carries it. */
export function headerHeight(view: SearchView): number {
  return view.objective === undefined ? 2 : 3;
}

/** Whether the policy panel uses compact cells: full ones would stand one per line where compact ones fit two. */
export function policyCompact(columns: number): boolean {
  const per = (w: number) => Math.floor((columns + POLICY_CELL_GAP) / (w + POLICY_CELL_GAP));
  return per(POLICY_CELL_WIDTH) < 2 && per(POLICY_COMPACT_CELL_WIDTH) >= 2;
}

export function policyColumns(columns: number): number {
  const width = policyCompact(columns) ? POLICY_COMPACT_CELL_WIDTH : POLICY_CELL_WIDTH;
  return Math.max(1, Math.floor((columns + POLICY_CELL_GAP) / (width + POLICY_CELL_GAP)));
}

/** Lines of the footer: key hints while running, the end message and resume command at the end. */
export function footerHeight(view: SearchView, columns: number): number {
  if (!isEnded(view)) return 1 + 1;
  return 1 + endLinesHeight(endLines(view, columns), columns);
}

/** `rows` undefined (not a terminal, or tests) shows everything. */
export function planLayout(view: SearchView, columns: number, rows?: number): Layout {
  const ended = isEnded(view);
  const scored = view.finished.filter(isScored).length;
  const cols = policyColumns(columns);
  const supernet = inSupernetPhase(view);
  const layout: Layout = {
    // The supernet phase runs no trial: an empty "Running" section would only say "waiting".
    showRunning: !ended && !(supernet && view.running.length === 0),
    showOneShot: view.oneShot !== undefined,
    showOneShotChart: false,
    showRecent: false,
    leaderboardRows: 0,
    showPlots: false,
    plotRows: PLOT_ROWS,
    showPolicy: false,
    policyColumns: cols,
  };
  let left = rows === undefined ? Infinity : rows - 1;
  left -= headerHeight(view);
  if (layout.showRunning) left -= 1 + 1 + Math.max(1, view.running.length);
  left -= footerHeight(view, columns);
  left -= oneShotTextHeight(view);

  // Ahead of the other optional sections: while the phase runs they are empty, and it is all there is to watch.
  const chartHeight = ONE_SHOT_PLOT_ROWS + 1;
  if (view.oneShot?.phase === 'search' && view.oneShot.proxy.length > 0 && left >= chartHeight) {
    layout.showOneShotChart = true;
    left -= chartHeight;
  }

  // A few leaderboard rows first, then room for the plots (compact when that keeps the policy) and the policy, then
  // the rest of the leaderboard: on a short terminal every section stays, smaller, instead of the last ones dropping.
  const wantedLeaderboard = Math.min(LEADERBOARD_SIZE, scored);
  const plotsHeight = (plotRows: number) => 1 + 1 + plotRows + 1;
  const policyHeight = view.policy.length > 0 ? 1 + 1 + Math.ceil(view.policy.length / cols) : 0;
  const canPlot = scored > 0 && columns >= PLOTS_MIN_COLUMNS;
  // As few as one leaderboard row (the best trial) when that is what keeps the compact plots and the policy.
  const keepBoth = (canPlot ? plotsHeight(PLOT_ROWS_COMPACT) : 0) + policyHeight;
  const rowsKeepingBoth = left - 2 - keepBoth;
  const firstRows = Math.min(
    wantedLeaderboard,
    LEADERBOARD_FIRST_ROWS,
    rowsKeepingBoth >= 1 ? rowsKeepingBoth : LEADERBOARD_FIRST_ROWS,
  );
  if (firstRows > 0 && left >= 3) {
    layout.leaderboardRows = Math.min(firstRows, left - 2);
    left -= 2 + layout.leaderboardRows;
  }
  const plotRows =
    [PLOT_ROWS, PLOT_ROWS_COMPACT].find((r) => canPlot && left >= plotsHeight(r) + policyHeight) ??
    (canPlot && left >= plotsHeight(PLOT_ROWS) ? PLOT_ROWS : undefined);
  if (plotRows !== undefined) {
    layout.showPlots = true;
    layout.plotRows = plotRows;
    left -= plotsHeight(plotRows);
  }
  if (view.policy.length > 0 && left >= policyHeight) {
    layout.showPolicy = true;
    left -= policyHeight;
  }
  if (layout.leaderboardRows > 0 && wantedLeaderboard > layout.leaderboardRows && left > 0) {
    const more = Math.min(wantedLeaderboard - layout.leaderboardRows, left);
    layout.leaderboardRows += more;
    left -= more;
  }
  const recentHeight = 1 + 1 + Math.min(RECENT_SIZE, view.finished.length);
  if (!ended && view.finished.length > 0 && left >= recentHeight) {
    layout.showRecent = true;
    left -= recentHeight;
  }
  return layout;
}
