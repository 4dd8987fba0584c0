/**
 * Rate limiting for screen updates: the first call runs at once, later calls within the interval collapse
 * into one trailing run, so the last state is always drawn and never more often than once per interval.
 */
export interface Throttle {
  call(): void;
  /** Runs a pending call now (used before unmounting so the final state is on screen). */
  flush(): void;
  cancel(): void;
}

/** `intervalMs` may be a function, read at each call, so the pace can follow how long a frame takes. */
export function createThrottle(fn: () => void, intervalMs: number | (() => number)): Throttle {
  const interval = typeof intervalMs === 'function' ? intervalMs : () => intervalMs;
  let lastRun = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const run = () => {
    timer = undefined;
    lastRun = Date.now();
    fn();
  };

  return {
    call() {
      if (timer !== undefined) return;
      const wait = lastRun + interval() - Date.now();
      if (wait <= 0) run();
      else timer = setTimeout(run, wait);
    },
    flush() {
      if (timer === undefined) return;
      clearTimeout(timer);
      run();
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
