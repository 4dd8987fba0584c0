import { describe, expect, it } from 'vitest';
import { createPlainReporter } from '../../src/tui/plain-reporter.js';
import { finishedTrial, midSearchView } from './fixtures.js';

const ANSI = /\u001b|\u009b/;

function capture() {
  const lines: string[] = [];
  return { lines, reporter: createPlainReporter((line) => lines.push(line)) };
}

describe('plain reporter', () => {
  it('writes one plain line per finished trial', () => {
    const { lines, reporter } = capture();
    const view = midSearchView();
    reporter.start(view);
    reporter.trialFinished(finishedTrial(12, 0.8123, 1.23, 0.799), view);
    reporter.trialFinished(finishedTrial(13, 0.8, 0.5, 0.79, { cacheHit: true }), view);
    reporter.trialFinished(
      { number: 14, status: 'failed', dims: [], cacheHit: false, error: '\u001b[31mout of memory\u001b[39m\n  at x' },
      view,
    );
    expect(lines).toEqual([
      'search frappe  space search-spaces/frappe.yaml  seed 42  controller reinforce  backend wasm  trials 4/100',
      'trial 12  auc 0.8123  mem 1.23 MB  reward 0.7990  dims user:16 item:8 city:0',
      'trial 13  auc 0.8000  mem 500 KB  reward 0.7900  dims user:16 item:8 city:4  (cached)',
      'trial 14  failed: out of memory at x',
    ]);
    for (const line of lines) expect(line).not.toMatch(ANSI);
  });

  it('ends with the best trial, its dims and the resume command', () => {
    const { lines, reporter } = capture();
    const view = midSearchView({
      endMessage: '\u001b[1mStopped after 4 of 100 trials.\u001b[22m',
      resumeCommand: 'embnas resume frappe --db trials.db',
    });
    reporter.end(view);
    expect(lines).toEqual([
      'Stopped after 4 of 100 trials.',
      'done 4/100 trials in 1:02:03: 3 completed (0 cached), 1 failed',
      'best: trial 3  auc 0.8000  mem 500 KB  reward 0.7900',
      'best dims: user:16 item:8 city:4',
      'best norm budgets: user:1e-3',
      'resume with: embnas resume frappe --db trials.db',
    ]);
    for (const line of lines) expect(line).not.toMatch(ANSI);
  });

  it('says so when no trial completed and omits the resume line when finished', () => {
    const { lines, reporter } = capture();
    reporter.end(midSearchView({ finished: [], trialsDone: 0 }));
    expect(lines).toContain('best: no completed trial');
    expect(lines.some((l) => l.startsWith('resume'))).toBe(false);
  });
});
