/**
 * SIGINT and SIGTERM from the first moment: main.ts installs the dispatcher before anything else loads (loading a
 * search's modules takes a second or more). Until a command takes the signals over (a search: to stop gracefully,
 * resumable), a signal ends the process at once with 130 or 143, as a shell reports a signal. That is always safe:
 * every write is one SQLite transaction and handlers run between JavaScript tasks, never inside one, so nothing is
 * left half-written, and running the same command again does what it would have done.
 */

/** Exit code of a process stopped by a signal: 128 + the signal's number. */
export const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

type Handler = (signal: NodeJS.Signals) => void;

const handlers: Handler[] = [];
let installed = false;

function dispatch(signal: NodeJS.Signals): void {
  const handler = handlers.at(-1);
  if (handler) handler(signal);
  else process.exit(SIGNAL_EXIT[signal] ?? 1);
}

/** Idempotent: the first call routes SIGINT and SIGTERM through `dispatch` for the life of the process. */
export function installSignals(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', dispatch);
  process.on('SIGTERM', dispatch);
}

/** Takes the signals over until the returned function is called; the latest taker gets them. */
export function takeSignals(handler: Handler): () => void {
  installSignals();
  handlers.push(handler);
  return () => {
    const at = handlers.lastIndexOf(handler);
    if (at >= 0) handlers.splice(at, 1);
  };
}
