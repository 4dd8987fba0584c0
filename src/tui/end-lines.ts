/**
 * What the screen says once a search has ended, as lines cut to the width: the end message, the best trial by reward
 * in full (every field, wrapped rather than cut), the planted truth of a synthetic space, the commands to look at the
 * result, and the exact resume command. The footer draws these lines and the layout counts them, from one function.
 */
import { formatBytes, formatMetric, formatNormAlpha, truncate } from './format.js';
import { leaderboard, penaltyOf } from './search-stats.js';
import type { FinishedTrialView, SearchView } from '../search/search-view.js';

export interface EndLine {
  text: string;
  kind: 'message' | 'label' | 'text' | 'command';
}

/** Each field as "name:dim", with "/α…" when its norm budget is on and its technique suffix: nothing left out. */
export function fullDims(dims: FinishedTrialView['dims']): string[] {
  return dims.map(
    (d) =>
      `${d.name}:${d.dim}${d.dim > 0 && d.normAlpha > 0 ? `/α${formatNormAlpha(d.normAlpha)}` : ''}${d.dim > 0 ? (d.technique ?? '') : ''}`,
  );
}

/** Words joined by spaces into lines of at most `width` (a single longer word is cut). */
export function wrapWords(words: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line === '') line = w;
    else if (line.length + 1 + w.length <= width) line += ` ${w}`;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => truncate(l, width));
}

export function endLines(view: SearchView, columns: number): EndLine[] {
  const out: EndLine[] = [];
  const indent = (words: string[]) =>
    wrapWords(words, Math.max(1, columns - 2)).map((t) => ({ text: `  ${t}`, kind: 'text' as const }));
  if (view.endMessage !== undefined) out.push({ text: truncate(view.endMessage, columns), kind: 'message' });
  const [best] = leaderboard(view.finished, 1);
  if (best !== undefined && view.nextCommands !== undefined) {
    const [auc, mem, pen, r] = [
      formatMetric(best.validAuc),
      formatBytes(best.memoryBytes),
      formatMetric(penaltyOf(best)),
      formatMetric(best.reward),
    ];
    const long = `Best by reward: trial ${best.number}  AUC ${auc}  memory ${mem}  penalty ${pen}  reward ${r}`;
    const short = `Best: #${best.number} AUC ${auc} ${mem} pen ${pen} R ${r}`;
    out.push(
      { text: truncate(long.length <= columns ? long : short, columns), kind: 'label' },
      ...indent(fullDims(best.dims)),
    );
  }
  if (view.plantedTruth !== undefined && view.nextCommands !== undefined) {
    out.push(
      { text: truncate('Planted truth (synthetic data):', columns), kind: 'label' },
      ...indent(view.plantedTruth.split(' ')),
    );
  }
  if (view.nextCommands !== undefined && view.nextCommands.length > 0) {
    out.push({ text: truncate('Next:', columns), kind: 'label' });
    for (const c of view.nextCommands)
      out.push(...wrapWords([c], columns).map((text) => ({ text, kind: 'command' as const })));
  }
  if (view.resumeCommand !== undefined) {
    out.push({ text: truncate('To continue this search, run:', columns), kind: 'label' });
    // Alone on its lines so it can be copied as is: wrapped by the terminal, never cut.
    out.push({ text: view.resumeCommand, kind: 'command' });
  }
  return out;
}

/** Terminal rows the end lines take (a command longer than the width wraps). */
export function endLinesHeight(lines: readonly EndLine[], columns: number): number {
  return lines.reduce((n, l) => n + Math.max(1, Math.ceil(l.text.length / Math.max(1, columns))), 0);
}
