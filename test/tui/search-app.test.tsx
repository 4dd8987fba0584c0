import { render, cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { stripAnsi } from '../../src/tui/format.js';
import { SearchApp } from '../../src/tui/search-app.js';
import type { SearchView } from '../../src/search/search-view.js';
import { finishedTrial, midSearchView } from './fixtures.js';

function frame(view: SearchView, columns = 100, rows?: number): string[] {
  const { lastFrame } = render(<SearchApp view={view} columns={columns} rows={rows} />);
  return stripAnsi(lastFrame() ?? '').split('\n');
}

afterEach(() => cleanup());

describe('SearchApp', () => {
  it('shows name, progress, elapsed, ETA and best reward in the header', () => {
    const [first, second] = frame(midSearchView());
    expect(first).toContain('frappe');
    expect(first).toContain('search-spaces/frappe.yaml');
    expect(first).toMatch(/seed 42\s+reinforce\s+wasm/);
    expect(second).toContain('elapsed 1:02:03');
    expect(second).toContain('trials 4/100');
    expect(second).toContain('ETA 0:20:00');
    expect(second).toContain('best reward 0.7900');
    expect(first).not.toContain('PAUSED');
  });

  it('states the objective under the progress, abbreviated before it is cut on a narrow terminal', () => {
    expect(frame(midSearchView())[2]).toBe('reward = AUC − 0.02·max(0, memory/0.5 MB − 1)');
    expect(frame(midSearchView(), 40)[2]).toBe('R=AUC−0.02·max(0, memory/0.5 MB−1)');
    expect(frame(midSearchView(), 30)[2]).toBe('R=AUC−0.02·max(0, memory/0.5 …');
    expect(frame(midSearchView({ objective: undefined }))[2]).not.toContain('reward =');
  });

  it('shows PAUSED and stopping badges', () => {
    expect(frame(midSearchView({ paused: true }))[0]).toContain('PAUSED');
    expect(frame(midSearchView({ stopping: true }))[0]).toContain('stopping…');
  });

  it('draws one row per running trial with bar, rows/s and loss, within the width', () => {
    const lines = frame(midSearchView(), 80);
    const row6 = lines.find((l) => l.startsWith('#6 '));
    const row5 = lines.find((l) => l.startsWith('#5 '));
    expect(row6).toContain('▕███░░░░░░░░░▏ 25%');
    expect(row6).toContain('12.3k rows/s');
    expect(row6).toContain('loss 0.4521');
    // Ten fields do not fit in 80 columns: the dims alone, in field order, before anything is cut.
    expect(row6).toMatch(/loss 0\.4521 {2}16 8 4 2 0 2 0 4 …$/);
    expect(frame(midSearchView(), 160).find((l) => l.startsWith('#6 '))).toContain('user:16 item:8 daytime:4');
    expect(row5).toContain('100%');
    expect(row5).toContain('850 rows/s');
    // Worker 0 is listed before worker 1.
    expect(lines.indexOf(row5!)).toBeLessThan(lines.indexOf(row6!));
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("names the host and process of a trial trained by a remote worker, after this process's lanes", () => {
    const view = midSearchView();
    const remote = { ...view.running[1], worker: 2, trialNumber: 7, where: 'gpu-box-3:4242' };
    const lines = frame({ ...view, running: [...view.running, remote] }, 100);
    const row7 = lines.find((l) => l.startsWith('#7 '));
    expect(row7).toMatch(/^#7 {3}@gpu-box-3:4242 ▕/);
    expect(lines.indexOf(row7!)).toBeGreaterThan(lines.indexOf(lines.find((l) => l.startsWith('#6 '))!));
    expect(lines.find((l) => l.startsWith('#6 '))).toMatch(/^#6 {3}w1 ▕/);
  });

  it('orders the leaderboard by reward and lists recent trials with failures', () => {
    const lines = frame(midSearchView());
    const header = lines.findIndex((l) => /#\s+trial\s+AUC\s+memory\s+penalty\s+reward\s+dims/.test(l));
    expect(header).toBeGreaterThan(0);
    const ranks = lines.slice(header + 1, header + 4).map((l) => l.trim().split(/\s+/).slice(0, 7));
    expect(ranks).toEqual([
      ['1', '3', '0.8000', '500', 'KB', '0.0100', '0.7900'],
      ['2', '2', '0.8100', '900', 'KB', '0.0600', '0.7500'],
      ['3', '1', '0.7000', '200', 'KB', '0.0000', '0.7000'],
    ]);
    expect(lines.some((l) => l.includes('#4') && l.includes('failed: worker crashed at line 3'))).toBe(true);
  });

  it('keeps the leaderboard to the top 10', () => {
    const finished = Array.from({ length: 15 }, (_, i) => finishedTrial(i + 1, 0.7, 0.3, i / 100));
    const lines = frame(midSearchView({ finished }));
    const header = lines.findIndex((l) => /#\s+trial\s+AUC/.test(l));
    const board = lines.slice(header + 1, header + 11).map((l) => Number(l.trim().split(/\s+/)[1]));
    expect(board).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    expect(lines[header + 11]).toBe('');
  });

  it('labels a warm-up as such and a tied decision "tie", never "dim 0"', () => {
    const policy = [
      { field: 'user', dim: 0, dimProb: 0.25, normBudget: 0, normProb: 0.5, dimTied: true, normTied: true },
      { field: 'item', dim: 0, dimProb: 0.25, normBudget: 0, normProb: 0.5, dimTied: true, normTied: true },
    ];
    const lines = frame(midSearchView({ policy, policySettled: 0 }));
    expect(lines).toContain('Policy: warm-up, sampling uniformly (nothing learnt yet)');
    const user = lines.find((l) => l.startsWith('user      '))!;
    expect(user).toMatch(/^user\s+tie .* 25%\s+α\s+tie /);
  });

  it('shows the policy panel with probabilities, and hides it when the policy is empty', () => {
    const lines = frame(midSearchView());
    const policy = lines.find((l) => l.startsWith('user        16'));
    expect(policy).toContain('72%');
    expect(policy).toContain('α   1e-3');
    expect(policy).toContain('item');
    expect(lines.join('\n')).toContain('Policy');
    expect(frame(midSearchView({ policy: [] })).join('\n')).not.toContain('Policy');
  });

  it('draws both plots with the Pareto front marked', () => {
    const text = frame(midSearchView()).join('\n');
    expect(text).toContain('Best reward over trials');
    expect(text).toMatch(/[\u2801-\u28ff]/);
    expect(text).toContain('AUC × memory');
    expect(text.split('◆').length - 1).toBeGreaterThanOrEqual(3);
  });

  it('shows key hints while running', () => {
    const text = frame(midSearchView()).join('\n');
    expect(text).toContain('q stop');
    expect(text).toContain('p pause');
    expect(frame(midSearchView({ paused: true })).join('\n')).toContain('p resume');
  });

  it('shows the end message and the exact resume command on the final screen', () => {
    const command = 'embnas resume frappe --db trials.db --trials 100';
    const lines = frame(
      midSearchView({ running: [], endMessage: 'Stopped after 4 of 100 trials.', resumeCommand: command }),
    );
    expect(lines).toContain('Stopped after 4 of 100 trials.');
    expect(lines).toContain(command);
    expect(lines.join('\n')).not.toContain('q stop');
    expect(lines.join('\n')).not.toContain('ETA');
  });

  it('ends with the best trial in full, the planted truth and the commands to look at the result', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      name: `field_${i}`,
      dim: i % 3 === 0 ? 0 : 8,
      normAlpha: i % 2 ? 1e-3 : 0,
    }));
    const finished = [finishedTrial(1, 0.7, 0.2, 0.7), finishedTrial(2, 0.8, 0.5, 0.79, { dims: many })];
    const view = midSearchView({
      finished,
      trialsDone: 2,
      trialsTotal: 2,
      running: [],
      endMessage: 'finished: 2 trials',
      plantedTruth: 'user:2 item:2 noise:0',
      nextCommands: [
        'embnas show frappe',
        'embnas export frappe --format yaml --out frappe-best.yaml',
        'embnas report frappe --out frappe-report.html',
      ],
    });
    const lines = frame(view, 80, 24);
    expect(lines.length).toBeLessThan(24);
    const at = lines.indexOf('Best: #2 AUC 0.8000 500 KB pen 0.0100 R 0.7900'); // abbreviated, not cut, at 80 columns
    expect(at).toBeGreaterThan(0);
    expect(frame(view, 100)).toContain(
      'Best by reward: trial 2  AUC 0.8000  memory 500 KB  penalty 0.0100  reward 0.7900',
    );
    // Every field, wrapped to the width instead of cut.
    const dims = lines
      .slice(at + 1, at + 3)
      .join(' ')
      .trim()
      .split(/\s+/);
    expect(dims).toEqual(many.map((d) => `${d.name}:${d.dim}${d.dim > 0 && d.normAlpha > 0 ? '/α1e-3' : ''}`));
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    expect(lines).toContain('Planted truth (synthetic data):');
    expect(lines).toContain('  user:2 item:2 noise:0');
    expect(lines.slice(lines.indexOf('Next:') + 1, lines.indexOf('Next:') + 4)).toEqual(view.nextCommands);
  });

  it('keeps the leaderboard, the plots (compact) and the policy at 80×24 rather than dropping the last ones', () => {
    const finished = Array.from({ length: 30 }, (_, i) =>
      finishedTrial(i, 0.7 + i / 300, 0.1 + (i % 7) / 10, 0.7 + ((i * 7) % 13) / 200),
    );
    const lines = frame(midSearchView({ finished, trialsDone: 30 }), 80, 24);
    expect(lines.length).toBeLessThan(24);
    expect(lines.some((l) => /#\s+trial\s+AUC/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('Best reward over trials'))).toBe(true);
    expect(lines.some((l) => l.startsWith('Policy'))).toBe(true);
    const plot = lines.findIndex((l) => l.startsWith('Best reward over trials'));
    expect(lines[plot + 1 + 3]).toMatch(/^\s+\d/); // x labels right under 3 plot rows
  });

  it('drops optional sections to stay below the terminal height', () => {
    const tall = frame(midSearchView(), 100);
    const short = frame(midSearchView(), 100, 24);
    expect(tall.length).toBeGreaterThanOrEqual(24);
    expect(short.length).toBeLessThan(24);
    const text = short.join('\n');
    expect(text).toContain('trials 4/100');
    expect(text).toContain('#6');
    expect(text).toMatch(/#\s+trial\s+AUC/);
    expect(text).toContain('q stop');
  });
});
