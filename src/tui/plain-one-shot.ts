/**
 * The plain reporter's lines for the supernet phase of a one-shot search. The phase takes thousands of steps and
 * the view changes at each, so a log gets a line only at milestones: its length (steps, and the epochs of the train
 * split they make), the warm-up ending, every further tenth of the steps, and the end of the phase (at most a dozen
 * lines), plus where a resumed phase picked up.
 */
import { formatDuration, formatMetric } from './format.js';
import { epochsLabel } from '../search/oneshot/oneshot-length.js';
import type { OneShotView } from '../search/search-view.js';

/** Tenths of the steps reached, capped at 9: the phase's end has its own line. */
function decile(o: OneShotView): number {
  return o.totalSteps > 0 ? Math.min(9, Math.max(0, Math.floor((o.step * 10) / o.totalSteps))) : 0;
}

function percent(o: OneShotView): number {
  return o.totalSteps > 0 ? Math.floor((Math.min(o.step, o.totalSteps) * 100) / o.totalSteps) : 0;
}

/** "supernet step 1200/3000 (40%)  round 40/100  proxy reward 0.7712  best 0.7801  elapsed 0:01:03". */
export function supernetStepLine(o: OneShotView): string {
  const where = `supernet step ${o.step}/${o.totalSteps} (${percent(o)}%)`;
  const what =
    o.phase === 'warmup'
      ? 'warm-up (uniform sampling)'
      : `round ${o.round}/${o.rounds}  proxy reward ${formatMetric(o.proxy.at(-1))}  best ${formatMetric(o.bestProxy)}`;
  return `${where}  ${what}  elapsed ${formatDuration(o.phaseElapsedMs)}`;
}

/** " (4 epochs)" of the whole phase, when known. */
function epochsNote(o: OneShotView): string {
  return o.epochs === undefined ? '' : ` (${epochsLabel(o.epochs)})`;
}

/** "supernet: 3000 steps (4 epochs of the train split), 100 rounds", or where a resumed phase picked up. */
export function supernetStartLine(o: OneShotView): string {
  const epochs = o.epochs === undefined ? '' : ` (${epochsLabel(o.epochs)} of the train split)`;
  if (o.resumedAtStep > 0) return `supernet resumed at step ${o.resumedAtStep}/${o.totalSteps}${epochs}`;
  return `supernet: ${o.totalSteps} steps${epochs}, ${o.rounds} rounds`;
}

/** "supernet done: 3000 steps (4 epochs) in 0:02:40; training 4 finalists" (no time when this process took no step). */
export function supernetDonePlainLine(o: OneShotView): string {
  const time = o.step > o.resumedAtStep ? ` in ${formatDuration(o.phaseElapsedMs)}` : '';
  const finalists =
    o.finalists === undefined ? 'the finalists' : `${o.finalists} finalist${o.finalists === 1 ? '' : 's'}`;
  return `supernet done: ${o.step} steps${epochsNote(o)}${time}; training ${finalists}`;
}

/** A stateful filter: give it every view of the phase, it returns the lines (usually none) to print for it. */
export function createSupernetLines(): (o: OneShotView) => string[] {
  let started = false;
  let searchSaid = false;
  let doneSaid = false;
  let lastDecile = 0;
  return (o) => {
    if (doneSaid) return [];
    const lines: string[] = [];
    if (!started) {
      started = true;
      lastDecile = decile(o);
      lines.push(supernetStartLine(o));
      // A resumed phase's warm-up may have ended in the run that was interrupted.
      if (o.resumedAtStep > 0) searchSaid = o.phase !== 'warmup';
    }
    if (o.phase === 'done') {
      doneSaid = true;
      lines.push(supernetDonePlainLine(o));
      return lines;
    }
    const d = decile(o);
    if (o.phase === 'search' && !searchSaid) {
      searchSaid = true;
      lastDecile = Math.max(lastDecile, d);
      lines.push(`supernet warm-up done at step ${o.step}/${o.totalSteps}: the controller starts sampling`);
    } else if (d > lastDecile) {
      lastDecile = d;
      lines.push(supernetStepLine(o));
    }
    return lines;
  };
}
