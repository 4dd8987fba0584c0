/** Mounts the live dashboard for the search runner and keeps it in step with the runner's view. */
import { render } from 'ink';
import { LiveSearch, type SearchActions } from './live-search.js';
import type { SearchView } from '../search/search-view.js';
import { isEnded } from './layout.js';
import { createThrottle } from './throttle.js';

const FRAME_COST_FACTOR = 10;

export interface RenderSearchTuiOptions {
  /** Screen updates per second at most; default 10. */
  fps?: number;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
  /** Write every frame in full instead of redrawing in place (for tests and recordings). */
  debug?: boolean;
}

export interface SearchTui {
  /** Resolves once the screen is unmounted. */
  waitUntilExit(): Promise<void>;
  /** Draws the latest view one last time (the final screen stays on the terminal) and releases the terminal. */
  unmount(): void;
}

export function renderSearchTui(
  getView: () => SearchView,
  subscribe: (onChange: () => void) => () => void,
  actions: SearchActions,
  options: RenderSearchTuiOptions = {},
): SearchTui {
  const fps = options.fps ?? 10;
  const stdout = options.stdout ?? process.stdout;
  // Between two changes of the view the clock still moves: each frame shows the elapsed time (and so the ETA) of now.
  const now = (v: SearchView): SearchView => (isEnded(v) ? v : { ...v, elapsedMs: Date.now() - v.startedAt });
  const element = () => <LiveSearch view={now(getView())} actions={actions} />;
  const instance = render(element(), {
    stdout,
    stdin: options.stdin ?? process.stdin,
    stderr: options.stderr ?? process.stderr,
    debug: options.debug ?? false,
    // Ctrl-C is a key like q: the runner stops gracefully instead of the process dying mid-transaction.
    exitOnCtrlC: false,
    maxFps: fps,
  });
  // A frame of a large search (hundreds of trials, dozens of fields) costs ink tens of milliseconds; spacing
  // frames by ten times the last frame's cost keeps the screen under ~10 % of a core that training needs.
  let lastFrameMs = 0;
  const draw = () => {
    const started = performance.now();
    instance.rerender(element());
    lastFrameMs = performance.now() - started;
  };
  const throttle = createThrottle(draw, () => Math.max(1000 / fps, lastFrameMs * FRAME_COST_FACTOR));
  const unsubscribe = subscribe(() => throttle.call());
  // Layout depends on the terminal size, so a resize redraws with the current view.
  const onResize = () => throttle.call();
  stdout.on('resize', onResize);
  const ticker = setInterval(() => throttle.call(), 1000);
  ticker.unref();

  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    unsubscribe();
    throttle.cancel();
    clearInterval(ticker);
    stdout.off('resize', onResize);
  };
  const exited = instance.waitUntilExit().then(
    () => release(),
    (error: unknown) => {
      release();
      throw error;
    },
  );

  return {
    waitUntilExit: () => exited,
    unmount() {
      if (released) return;
      release();
      instance.rerender(element());
      instance.unmount();
    },
  };
}
