/**
 * Runs a started or resumed search in front of the user: the ink TUI on a terminal, plain lines otherwise (pipes, CI,
 * --no-tui). Ctrl-C, SIGTERM, SIGHUP (the terminal closed) and `q` all stop gracefully: no new proposals, running trials are handed back to the
 * queue, and the last line is the exact command that resumes the search. A signal while the search is still being
 * opened (its data loading) stops it the same way as soon as it is open: it ends at once, resumable; a second one
 * ends the process there and then (the search, written and owned before its data loads, is resumable all the same).
 * A search stopped by a signal exits 130 (SIGINT), 143 (SIGTERM) or 129 (SIGHUP), as shells report signals, so a script can tell
 * it from a finished one; `q` in the TUI is the user's own choice and exits 0.
 */
import type { Session } from '../search/session.js';
import type { SearchView } from '../search/search-view.js';
import { SIGNAL_EXIT, takeSignals } from './signals.js';

export async function driveSearch(open: () => Promise<Session>, useTui: boolean): Promise<void> {
  let early = false;
  const onEarlySignal = (signal: NodeJS.Signals) => {
    if (early) {
      process.stderr.write('stopped while the search was opening: run the same command again to continue it\n');
      process.exit(SIGNAL_EXIT[signal] ?? 1);
    }
    process.stderr.write('stopping: the search stops as soon as its data is loaded (again to stop at once)\n');
    early = true;
    process.exitCode = SIGNAL_EXIT[signal] ?? 1;
  };
  const giveBack = takeSignals(onEarlySignal);
  let session: Session;
  try {
    session = await open();
  } finally {
    giveBack();
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
  const giveBack = takeSignals(onSignal);
  // Loaded here, not with this module: the terminal UI takes a while to import, and the search row comes first.
  const { createPlainReporter, renderSearchTui } = await import('../tui/index.js');
  const tui = useTui
    ? renderSearchTui(
        () => view.view,
        (fn) => view.subscribe(fn),
        {
          stop,
          togglePause: () => view.update({ paused: session.togglePause() }),
        },
      )
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
    view.update({
      stopping: false,
      endMessage: `failed: ${e instanceof Error ? e.message : String(e)}`,
      resumeCommand: session.resumeCommand,
    });
    throw e;
  } finally {
    giveBack();
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
