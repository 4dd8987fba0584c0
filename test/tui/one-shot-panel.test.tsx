import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { stripAnsi } from '../../src/tui/format.js';
import { OneShotPanel } from '../../src/tui/one-shot-panel.js';
import { SearchApp } from '../../src/tui/search-app.js';
import type { OneShotView, SearchView } from '../../src/search/search-view.js';
import { finishedTrial, supernetOneShot, supernetView } from './fixtures.js';

const BRAILLE = /[\u2801-\u28ff]/;

function panel(oneShot: OneShotView, columns = 80, showChart = true): string[] {
  const { lastFrame } = render(<OneShotPanel oneShot={oneShot} columns={columns} showChart={showChart} />);
  return stripAnsi(lastFrame() ?? '').split('\n');
}

function app(view: SearchView, columns = 80, rows?: number): string[] {
  const { lastFrame } = render(<SearchApp view={view} columns={columns} rows={rows} />);
  return stripAnsi(lastFrame() ?? '').split('\n');
}

afterEach(() => cleanup());

describe('OneShotPanel', () => {
  it('says warm-up with uniform sampling and shows no proxy reward yet', () => {
    const lines = panel(supernetOneShot({ phase: 'warmup', step: 120, round: 0, proxy: [], bestProxy: undefined }));
    const progress = lines.find((l) => l.startsWith('supernet'));
    expect(progress).toMatch(
      /^supernet {2}warm-up \(uniform sampling\) {2}step 120\/3,000 ▕[█▏▎▍▌▋▊▉░]+▏ {2}4% {2}ETA 0:19:12$/,
    );
    expect(progress).not.toContain('round');
    expect(lines.join('\n')).toContain('proxy reward  none yet');
    expect(lines.join('\n')).not.toMatch(BRAILLE);
  });

  it('shows step, bar, round, ETA, the last and best proxy reward and a chart of the rounds', () => {
    const lines = panel(supernetOneShot());
    // 40 % of a 12-cell bar is 4.8 cells: four full blocks and a 6/8 one.
    expect(lines).toContain('supernet  search  step 1,200/3,000 ▕████▊░░░░░░░▏ 40%  round 40/100  ETA 0:01:12');
    expect(lines).toContain('proxy reward  last 0.7712  best 0.7801');
    const chart = lines.slice(lines.indexOf('proxy reward  last 0.7712  best 0.7801') + 1);
    expect(chart[0]).toMatch(/^0\.7712┤/);
    expect(chart[4]).toMatch(/^0\.7000┤/);
    expect(chart.slice(0, 5).join('\n')).toMatch(BRAILLE);
    expect(chart[5].trim()).toMatch(/^1 +40$/);
  });

  it('labels the chart with the rounds it holds when only the latest are kept', () => {
    const proxy = Array.from({ length: 240 }, (_, i) => 0.5 + i / 1000);
    const lines = panel(supernetOneShot({ round: 300, rounds: 400, proxy }));
    expect(lines.at(-1)!.trim()).toMatch(/^61 +300$/);
  });

  it('leaves the chart out when the layout has no room, and says when no round has finished', () => {
    expect(panel(supernetOneShot(), 80, false).join('\n')).not.toMatch(BRAILLE);
    const first = panel(supernetOneShot({ round: 0, proxy: [], bestProxy: undefined }));
    expect(first.join('\n')).toContain('proxy reward  none yet: the first round is running');
  });

  it('is one line once the phase is done, with the epochs its steps made', () => {
    const lines = panel(supernetOneShot({ phase: 'done', step: 3000, round: 100, finalists: 4 })).filter(
      (l) => l !== '',
    );
    expect(lines).toEqual(['supernet done: 3,000 steps, 4 finalists trained on their own below']);
    const withEpochs = panel(supernetOneShot({ phase: 'done', step: 3000, finalists: 4, epochs: 4 }));
    expect(withEpochs).toContain('supernet done: 3,000 steps (4 epochs), 4 finalists trained on their own below');
  });

  it('fits 80 columns (and 40) in every phase, even with large numbers', () => {
    const big = { step: 123_456, totalSteps: 1_000_000, round: 1234, rounds: 10_000, phaseElapsedMs: 3_600_000 };
    for (const columns of [80, 40]) {
      for (const phase of ['warmup', 'search', 'done'] as const) {
        for (const extra of [{}, big]) {
          const lines = panel(supernetOneShot({ phase, ...extra, finalists: 12 }), columns);
          for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
        }
      }
    }
    // At 80 columns the large numbers leave no room for the bar: it goes, the numbers and the ETA stay.
    expect(panel(supernetOneShot(big))).toContain(
      'supernet  search  step 123,456/1,000,000 12%  round 1,234/10,000  ETA 7:06:00',
    );
  });
});

describe('SearchApp in the supernet phase', () => {
  it('shows the panel with its chart at 80 × 24, says "supernet phase" in the header and hides the empty trials', () => {
    const lines = app(supernetView(), 80, 24);
    expect(lines.length).toBeLessThan(24);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[1]).toBe('elapsed 0:00:50  supernet phase  best reward —');
    expect(app(supernetView({ epochs: 4 }), 80, 24)[1]).toBe(
      'elapsed 0:00:50  supernet phase (4 epochs)  best reward —',
    );
    const text = lines.join('\n');
    expect(text).toContain('supernet  search  step 1,200/3,000');
    expect(text).toContain('round 40/100  ETA 0:01:12');
    expect(text).toContain('proxy reward  last 0.7712  best 0.7801');
    expect(text).toMatch(BRAILLE);
    expect(text).not.toContain('Running (');
    expect(text).toContain('q stop');
  });

  it('keeps the progress lines and drops the chart on a short terminal', () => {
    const lines = app(supernetView(), 80, 12);
    expect(lines.length).toBeLessThan(12);
    expect(lines.join('\n')).toContain('proxy reward  last 0.7712');
    expect(lines.join('\n')).not.toMatch(BRAILLE);
  });

  it('goes back to trials once the phase is done, with the done line above the finalists', () => {
    const view = supernetView(
      { phase: 'done', step: 3000, round: 100, finalists: 4 },
      {
        trialsDone: 1,
        running: [
          {
            worker: 0,
            trialNumber: 2,
            configShort: 'user:8',
            epoch: 1,
            epochs: 2,
            batch: 10,
            batches: 100,
            rowsPerSec: 900,
            loss: 0.5,
          },
        ],
        finished: [finishedTrial(1, 0.8, 0.5, 0.79)],
        bestReward: 0.79,
      },
    );
    const lines = app(view, 80, 40);
    expect(lines[1]).toContain('trials 1/4');
    expect(lines[1]).not.toContain('supernet');
    const done = lines.indexOf('supernet done: 3,000 steps, 4 finalists trained on their own below');
    expect(done).toBeGreaterThan(1);
    expect(done).toBeLessThan(lines.findIndex((l) => l.startsWith('Running (')));
  });
});
