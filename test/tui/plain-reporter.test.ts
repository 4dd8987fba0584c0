import { describe, expect, it } from 'vitest';
import { createPlainReporter } from '../../src/tui/plain-reporter.js';
import type { OneShotView } from '../../src/search/search-view.js';
import { finishedTrial, midSearchView, supernetOneShot, supernetView } from './fixtures.js';

const ANSI = /\u001b|\u009b/;

function capture() {
  const lines: string[] = [];
  return { lines, reporter: createPlainReporter((line) => lines.push(line)) };
}

describe('plain reporter', () => {
  it('writes one plain line per finished trial', () => {
    const { lines, reporter } = capture();
    const view = midSearchView();
    reporter.start({ ...view, objective: undefined });
    reporter.trialFinished(finishedTrial(12, 0.8123, 1.23, 0.799), view);
    reporter.trialFinished(finishedTrial(13, 0.8, 0.5, 0.79, { cacheHit: true }), view);
    reporter.trialFinished(
      { number: 14, status: 'failed', dims: [], cacheHit: false, error: '\u001b[31mout of memory\u001b[39m\n  at x' },
      view,
    );
    expect(lines).toEqual([
      'search frappe  space search-spaces/frappe.yaml  seed 42  controller reinforce  backend wasm  trials 4/100',
      'trial 12  auc 0.8123  mem 1.23 MB  penalty 0.0133  reward 0.7990  dims user:16 item:8 city:0',
      'trial 13  auc 0.8000  mem 500 KB  penalty 0.0100  reward 0.7900  dims user:16 item:8 city:4  (cached)',
      'trial 14  failed: out of memory at x',
    ]);
    for (const line of lines) expect(line).not.toMatch(ANSI);
  });

  it('states the objective after the first line, when the view carries it', () => {
    const { lines, reporter } = capture();
    reporter.start(midSearchView({ objective: 'reward = AUC − 0.3·max(0, memory/0.03 MB − 1)' }));
    expect(lines[1]).toBe('objective: reward = AUC − 0.3·max(0, memory/0.03 MB − 1); best = highest reward');
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
      'best (by reward): trial 3  auc 0.8000  mem 500 KB  penalty 0.0100  reward 0.7900',
      'best dims: user:16 item:8 city:4',
      'best norm budgets: user:1e-3',
      'resume with: embnas resume frappe --db trials.db',
    ]);
    for (const line of lines) expect(line).not.toMatch(ANSI);
  });

  it('ends a finished search with the planted truth and the commands that look at it', () => {
    const { lines, reporter } = capture();
    reporter.end(
      midSearchView({ plantedTruth: 'user:2 noise:0', nextCommands: ['embnas show frappe', 'embnas report frappe'] }),
    );
    expect(lines.slice(-3)).toEqual([
      'planted truth: user:2 noise:0',
      'next: embnas show frappe',
      'next: embnas report frappe',
    ]);
  });

  it('says so when no trial completed and omits the resume line when finished', () => {
    const { lines, reporter } = capture();
    reporter.end(midSearchView({ finished: [], trialsDone: 0 }));
    expect(lines).toContain('best: no completed trial');
    expect(lines.some((l) => l.startsWith('resume'))).toBe(false);
  });
});

/**
 * The supernet phase at step s of 3000: warm-up below step 200, one round per 30 steps, 40 ms a step counted from
 * `from` (the step it resumed at). Step 1200 of a fresh phase is exactly supernetOneShot().
 */
function phaseAt(s: number, from = 0, extra: Partial<OneShotView> = {}) {
  const round = Math.floor(s / 30);
  return supernetView({
    phase: s < 200 ? 'warmup' : 'search',
    step: s,
    round,
    proxy: supernetOneShot().proxy.slice(0, round),
    resumedAtStep: from,
    phaseElapsedMs: (s - from) * 40,
    ...extra,
  });
}

describe('plain reporter, supernet phase', () => {
  it('prints its length, the warm-up end, each further tenth of the steps and the end, at any update rate', () => {
    const { lines, reporter } = capture();
    reporter.oneShotProgress(midSearchView());
    for (let s = 0; s <= 3000; s++) reporter.oneShotProgress(phaseAt(s, 0, { epochs: 4.02 }));
    reporter.oneShotProgress(phaseAt(3000, 0, { phase: 'done', finalists: 4, epochs: 4.02 }));
    reporter.oneShotProgress(phaseAt(3000, 0, { phase: 'done', finalists: 4, epochs: 4.02 }));
    expect(lines).toHaveLength(12);
    expect(lines.shift()).toBe('supernet: 3000 steps (4.02 epochs of the train split), 100 rounds');
    expect(lines[0]).toBe('supernet warm-up done at step 200/3000: the controller starts sampling');
    const steps = lines.slice(1, 10).map((l) => l.match(/^supernet step (\d+)\/3000 \((\d+)%\) {2}round /)?.slice(1));
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => [String(d * 300), String(d * 10)]));
    expect(lines[4]).toBe(
      'supernet step 1200/3000 (40%)  round 40/100  proxy reward 0.7712  best 0.7801  elapsed 0:00:48',
    );
    expect(lines[10]).toBe('supernet done: 3000 steps (4.02 epochs) in 0:02:00; training 4 finalists');
    for (const line of lines) expect(line).not.toMatch(ANSI);
  });

  it('prints one line for a jump over several tenths, and warm-up progress without a proxy reward', () => {
    const { lines, reporter } = capture();
    const warmup = (s: number) => phaseAt(s, 0, { phase: 'warmup', round: 0, proxy: [], bestProxy: undefined });
    reporter.oneShotProgress(warmup(0));
    reporter.oneShotProgress(warmup(350));
    reporter.oneShotProgress(phaseAt(2000));
    reporter.oneShotProgress(phaseAt(2100));
    expect(lines).toEqual([
      'supernet: 3000 steps, 100 rounds', // a view without its epochs (none is made so now)
      'supernet step 350/3000 (11%)  warm-up (uniform sampling)  elapsed 0:00:14',
      'supernet warm-up done at step 2000/3000: the controller starts sampling',
      'supernet step 2100/3000 (70%)  round 70/100  proxy reward 0.7712  best 0.7801  elapsed 0:01:24',
    ]);
  });

  it('says where a resumed phase picked up, times only the steps taken since', () => {
    const { lines, reporter } = capture();
    for (let s = 1500; s <= 3000; s += 10) reporter.oneShotProgress(phaseAt(s, 1500, { epochs: 1 }));
    reporter.oneShotProgress(phaseAt(3000, 1500, { phase: 'done', finalists: 1 }));
    expect(lines[0]).toBe('supernet resumed at step 1500/3000 (1 epoch of the train split)');
    expect(lines.slice(1, 5).map((l) => l.split('  ')[0])).toEqual([
      'supernet step 1800/3000 (60%)',
      'supernet step 2100/3000 (70%)',
      'supernet step 2400/3000 (80%)',
      'supernet step 2700/3000 (90%)',
    ]);
    expect(lines.slice(5)).toEqual(['supernet done: 3000 steps in 0:01:00; training 1 finalist']);
  });

  it('gives a phase already done when first seen no time', () => {
    const { lines, reporter } = capture();
    reporter.oneShotProgress(phaseAt(3000, 3000, { phase: 'done' }));
    expect(lines).toEqual(['supernet resumed at step 3000/3000', 'supernet done: 3000 steps; training the finalists']);
  });
});
