/**
 * Runs a started or resumed search in front of the user: the ink TUI on a terminal, plain lines otherwise (pipes, CI,
 * --no-tui). Ctrl-C, SIGTERM and `q` all stop gracefully: no new proposals, running trials are handed back to the
 * queue, and the last line is the exact command that resumes the search. A signal while the search is still being
 * opened (its data loading) stops it the same way as soon as it is open: it ends at once, resumable. A search
 * stopped by a signal exits 130 (SIGINT) or 143 (SIGTERM), as shells report signals, so a script can tell it from a
 * finished one; `q` in the TUI is the user's own choice and exits 0.
 */
import type { Session } from '../search/session.js';
import { createPlainReporter, renderSearchTui } from '../tui/index.js';
import type { SearchView } from '../search/search-view.js';

/** Exit code of a search stopped by a signal: 128 + the signal's number. */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export async function driveSearch(open: () => Promise<Session>, useTui: boolean): Promise<void> {
  let early = false;
  const onEarlySignal = (signal: NodeJS.Signals) => {
    if (!early) process.stderr.write('stopping: the search stops as soon as its data is loaded\n');
    early = true;
    process.exitCode = SIGNAL_EXIT[signal] ?? 1;
  };
  process.on('SIGINT', onEarlySignal);
  process.on('SIGTERM', onEarlySignal);
  let session: Session;
  try {
    session = await open();
  } finally {
    process.off('SIGINT', onEarlySignal);
    process.off('SIGTERM', onEarlySignal);
  }
  if (early) session.stop();
  await drive(session, useTui);
}

async function drive(session: Session, useTui: boolean): Promise<void> {
  const { view } = session;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    view.update({ stopping: true });
    session.stop();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    process.exitCode = SIGNAL_EXIT[signal] ?? 1;
    stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const tui = useTui
    ? renderSearchTui(() => view.view, (fn) => view.subscribe(fn), {
        stop,
        togglePause: () => view.update({ paused: session.togglePause() }),
      })
    : undefined;
  const plain = useTui ? undefined : createPlainReporter((line) => process.stdout.write(`${line}\n`));
  if (plain) {
    plain.start(view.view);
    view.onFinished((t) => plain.trialFinished(t, view.view));
    view.subscribe(() => {
      if (view.view.oneShot) plain.oneShotProgress(view.view);
    });
  }
  try {
    const outcome = await session.run();
    const stopped = outcome.status === 'stopped';
    view.update({
      stopping: false,
      endMessage: stopped ? stoppedMessage(view.view) : `finished: ${view.view.trialsDone} trials`,
      resumeCommand: stopped ? session.resumeCommand : undefined,
      nextCommands: session.nextCommands,
    });
  } catch (e) {
    view.update({ stopping: false, endMessage: `failed: ${e instanceof Error ? e.message : String(e)}`, resumeCommand: session.resumeCommand });
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (tui) {
      tui.unmount();
      await tui.waitUntilExit();
    }
    plain?.end(view.view);
  }
}

function stoppedMessage(v: SearchView): string {
  const o = v.oneShot;
  if (o && o.phase !== 'done') return `stopped in the supernet phase at step ${o.step} of ${o.totalSteps}`;
  return `stopped after ${v.trialsDone} of ${v.trialsTotal} trials`;
}

/**
 * The TUI needs a real terminal on both ends; anything else gets plain lines. So does a CI environment, where ink
 * would hold every frame until exit.
 */
export function canUseTui(requested: boolean): boolean {
  const ci = process.env.CI;
  const inCi = ci !== undefined && ci !== '0' && ci !== 'false';
  return requested && !inCi && process.stdout.isTTY === true && process.stdin.isTTY === true;
}
