/**
 * Line-by-line progress for pipes, CI logs and --no-tui: one line per finished trial and a summary at the end,
 * plain text only (every line goes through stripAnsi, so an error message carrying colour codes cannot leak).
 */
import {
  formatBytes,
  formatDims,
  formatDuration,
  formatMetric,
  formatNormBudgets,
  oneLine,
  stripAnsi,
} from './format.js';
import { createSupernetLines } from './plain-one-shot.js';
import { isScored, leaderboard, penaltyOf } from './search-stats.js';
import type { FinishedTrialView, SearchView } from '../search/search-view.js';

export interface PlainReporter {
  start(view: SearchView): void;
  trialFinished(trial: FinishedTrialView, view: SearchView): void;
  /**
   * Every update of a one-shot search's supernet phase (a view without `oneShot` is ignored): prints a line only at
   * milestones (see plain-one-shot.ts), so it can be called at each step.
   */
  oneShotProgress(view: SearchView): void;
  end(view: SearchView): void;
}

/** "trial 12  auc 0.8123  mem 1.23 MB  penalty 0.0133  reward 0.7990  dims user:16 item:8" (+ "(cached)"), or "failed: …". */
export function formatTrialLine(trial: FinishedTrialView): string {
  const head = `trial ${trial.number}`;
  if (trial.status === 'failed') return `${head}  failed: ${oneLine(trial.error ?? 'unknown error')}`;
  const mem = trial.memoryBytes === undefined ? '—' : formatBytes(trial.memoryBytes);
  const line =
    `${head}  auc ${formatMetric(trial.validAuc)}  mem ${mem}  penalty ${isScored(trial) ? formatMetric(penaltyOf(trial)) : '—'}  ` +
    `reward ${formatMetric(trial.reward)}  ` +
    `dims ${formatDims(trial.dims)}`;
  return trial.cacheHit ? `${line}  (cached)` : line;
}

export function createPlainReporter(write: (line: string) => void): PlainReporter {
  const emit = (line: string) => write(stripAnsi(line));
  const supernetLines = createSupernetLines();
  return {
    start(view) {
      emit(
        `search ${view.name}  space ${view.spaceFile}  seed ${view.seed}  controller ${view.controller}  ` +
          `backend ${view.backend}  trials ${view.trialsDone}/${view.trialsTotal}`,
      );
      if (view.objective !== undefined) emit(`objective: ${view.objective}; best = highest reward`);
    },
    trialFinished(trial) {
      emit(formatTrialLine(trial));
    },
    oneShotProgress(view) {
      if (view.oneShot !== undefined) for (const line of supernetLines(view.oneShot)) emit(line);
    },
    end(view) {
      const completed = view.finished.filter((t) => t.status === 'completed');
      const failed = view.finished.length - completed.length;
      const cached = completed.filter((t) => t.cacheHit).length;
      if (view.endMessage !== undefined) emit(oneLine(view.endMessage));
      emit(
        `done ${view.trialsDone}/${view.trialsTotal} trials in ${formatDuration(view.elapsedMs)}: ` +
          `${completed.length} completed (${cached} cached), ${failed} failed`,
      );
      const [best] = leaderboard(view.finished, 1);
      if (best === undefined) {
        emit('best: no completed trial');
      } else {
        emit(
          `best (by reward): trial ${best.number}  auc ${formatMetric(best.validAuc)}  mem ${formatBytes(best.memoryBytes)}  ` +
            `penalty ${formatMetric(penaltyOf(best))}  reward ${formatMetric(best.reward)}`,
        );
        emit(`best dims: ${formatDims(best.dims)}`);
        const norms = formatNormBudgets(best.dims);
        if (norms !== '') emit(`best norm budgets: ${norms}`);
      }
      if (view.plantedTruth !== undefined) emit(`planted truth: ${view.plantedTruth}`);
      for (const c of view.nextCommands ?? []) emit(`next: ${c}`);
      if (view.resumeCommand !== undefined) emit(`resume with: ${view.resumeCommand}`);
    },
  };
}
