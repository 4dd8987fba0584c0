/**
 * From the one-shot loop's progress reports to the OneShotView the terminal draws: pure functions, so LiveView only
 * forwards and the view stays a plain, replaceable object.
 */
import type { OneShotView } from '../search-view.js';
import type { OneShotProgress } from './oneshot-search.js';

/** Rounds of proxy rewards the view keeps for its chart. */
const KEPT_ROUNDS = 240;

export function oneShotStartedView(
  resumedAtStep: number,
  totalSteps: number,
  rounds: number,
  epochs?: number,
): OneShotView {
  return {
    phase: 'warmup',
    step: resumedAtStep,
    totalSteps,
    ...(epochs !== undefined ? { epochs } : {}),
    round: 0,
    rounds,
    proxy: [],
    resumedAtStep,
    phaseElapsedMs: 0,
  };
}

export function oneShotProgressView(prev: OneShotView, p: OneShotProgress, startedAt: number): OneShotView {
  const next: OneShotView = {
    ...prev,
    phase: p.phase,
    step: p.step,
    totalSteps: p.totalSteps,
    round: p.round,
    phaseElapsedMs: Date.now() - startedAt,
  };
  if (p.scored.length > 0) {
    const mean = p.scored.reduce((s, x) => s + x.reward, 0) / p.scored.length;
    const top = Math.max(...p.scored.map((x) => x.reward));
    next.proxy = [...prev.proxy, mean].slice(-KEPT_ROUNDS);
    next.bestProxy = prev.bestProxy === undefined ? top : Math.max(prev.bestProxy, top);
  }
  return next;
}

export function oneShotDoneView(
  prev: OneShotView | undefined,
  steps: number,
  finalists: number,
  epochs?: number,
): OneShotView {
  const base = prev ?? oneShotStartedView(steps, steps, 0, epochs);
  return { ...base, phase: 'done', step: steps, finalists };
}
