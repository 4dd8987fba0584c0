/** The terminal UI room's public surface: the live ink dashboard, the plain reporter, and their building blocks. */
export type {
  FinishedTrialView,
  OneShotView,
  PolicyFieldView,
  RunningTrialView,
  SearchView,
} from '../search/search-view.js';
export { renderSearchTui, type RenderSearchTuiOptions, type SearchTui } from './render-search-tui.js';
export { LiveSearch, type LiveSearchProps, type SearchActions } from './live-search.js';
export { SearchApp, type SearchAppProps } from './search-app.js';
export { OneShotPanel } from './one-shot-panel.js';
export { createPlainReporter, formatTrialLine, type PlainReporter } from './plain-reporter.js';
export * from './format.js';
export { paretoFront, type AucMemoryPoint } from './pareto.js';
export { stepChart } from './plots/step-chart.js';
export { memoryScatter } from './plots/memory-scatter.js';
export { bestRewardCurve, estimateRemainingMs, leaderboard, supernetRemainingMs } from './search-stats.js';
