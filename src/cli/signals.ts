/**
 * SIGINT, SIGTERM and SIGHUP from the first moment: main.ts installs the dispatcher before anything else loads
 * (loading a search's modules takes a second or more). Until a command takes the signals over (a search: to stop
 * gracefully, resumable), a signal ends the process at once with 130, 143 or 129, as a shell reports a signal. That
 * is always safe: every write is one SQLite transaction and handlers run between JavaScript tasks, never inside one,
 * so nothing is left half-written, and running the same command again does what it would have done.
 *
 * SIGHUP is the terminal going away (a closed window, a dropped ssh session): it stops a search as SIGTERM does.
 * So does an error of the terminal (EIO), which can come first: whatever is still written to it is then dropped
 * instead of failing the stop.
 * Node 20 and 22 abort at exit when they cannot restore a terminal that hung up (their ResetStdio asserts on EIO,
 * nodejs/node#51519): a process whose terminal is gone at exit ends by SIGHUP itself instead, which a shell reports
 * as 129 too.
 */
import { isatty } from 'node:tty';

/** Exit code of a process stopped by a signal: 128 + the signal's number. */
export const SIGNAL_EXIT: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

type Handler = (signal: NodeJS.Signals) => void;

const handlers: Handler[] = [];
let installed = false;
/** How the terminal was first seen hanging up: its SIGHUP, or an error reading or writing it. */
let hangUp: 'signal' | 'error' | undefined;

function dispatch(signal: NodeJS.Signals): void {
  if (signal === 'SIGHUP') {
    if (hangUp === 'error') return; // the terminal's EIO came first: this signal is the same hang-up
    hangUp = 'signal';
  }
  const handler = handlers.at(-1);
  if (handler) handler(signal);
  else process.exit(SIGNAL_EXIT[signal] ?? 1);
}

/** Idempotent: the first call routes SIGINT, SIGTERM and SIGHUP through `dispatch` for the life of the process. */
export function installSignals(): void {
  if (installed) return;
  installed = true;
  for (const signal of Object.keys(SIGNAL_EXIT)) process.on(signal, dispatch);
  const terminals = [0, 1, 2].filter((fd) => isatty(fd));
  // A terminal that hangs up fails its reads and writes (EIO), at times before the SIGHUP arrives: the same stop.
  const lost = () => {
    if (hangUp !== undefined) return;
    hangUp = 'error';
    const handler = handlers.at(-1);
    if (handler) handler('SIGHUP');
    else process.exit(SIGNAL_EXIT.SIGHUP);
  };
  for (const fd of terminals) [process.stdin, process.stdout, process.stderr][fd].on('error', lost);
  process.once('exit', () => {
    if (!terminals.some((fd) => !isatty(fd))) return;
    process.removeAllListeners('SIGHUP'); // the default action again: end the process
    process.kill(process.pid, 'SIGHUP');
  });
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
