/** The dashboard plus the keys: q or Ctrl-C stop the search, p pauses or resumes proposing. */
import { useInput, useStdin, useStdout } from 'ink';
import { SearchApp } from './search-app.js';
import type { SearchView } from '../search/search-view.js';

export interface SearchActions {
  /** Stop proposing; running trials finish or are marked interrupted. Called again on every further q / Ctrl-C. */
  stop(): void;
  togglePause(): void;
}

export interface LiveSearchProps {
  view: SearchView;
  actions: SearchActions;
}

export function LiveSearch({ view, actions }: LiveSearchProps) {
  const { stdout } = useStdout();
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      if (input === 'q' || (key.ctrl && input === 'c')) actions.stop();
      else if (input === 'p') actions.togglePause();
    },
    // Without raw mode (stdin not a terminal) ink cannot read keys and would throw; the screen still works.
    { isActive: isRawModeSupported },
  );
  return <SearchApp view={view} columns={stdout.columns || 80} rows={stdout.isTTY ? stdout.rows : undefined} />;
}
