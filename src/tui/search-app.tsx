/** The whole dashboard, a pure function of the SearchView (and the terminal size it is drawn into). */
import { Box } from 'ink';
import { Footer } from './footer.js';
import { Header } from './header.js';
import { planLayout } from './layout.js';
import { Leaderboard } from './leaderboard.js';
import { OneShotPanel } from './one-shot-panel.js';
import { PlotsPanel } from './plots-panel.js';
import { PolicyPanel } from './policy-panel.js';
import { RecentTrials } from './recent-trials.js';
import { RunningTrials } from './running-trials.js';
import type { SearchView } from '../search/search-view.js';

export interface SearchAppProps {
  view: SearchView;
  /** Terminal width; 80 when unknown. */
  columns?: number;
  /** Terminal height; optional sections are dropped to stay below it. Undefined shows everything. */
  rows?: number;
}

export function SearchApp({ view, columns = 80, rows }: SearchAppProps) {
  const layout = planLayout(view, columns, rows);
  return (
    <Box flexDirection="column" width={columns}>
      <Header view={view} columns={columns} />
      {layout.showOneShot && view.oneShot && (
        <OneShotPanel oneShot={view.oneShot} columns={columns} showChart={layout.showOneShotChart} />
      )}
      {layout.showRunning && <RunningTrials view={view} columns={columns} />}
      {layout.showRecent && <RecentTrials view={view} columns={columns} />}
      {layout.leaderboardRows > 0 && <Leaderboard view={view} rows={layout.leaderboardRows} columns={columns} />}
      {layout.showPlots && <PlotsPanel view={view} columns={columns} rows={layout.plotRows} />}
      {layout.showPolicy && <PolicyPanel view={view} columns={columns} cellsPerLine={layout.policyColumns} />}
      <Footer view={view} columns={columns} />
    </Box>
  );
}
