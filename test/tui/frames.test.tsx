/**
 * Whole screens, as a user sees them at 80×24 and 120×40, in each state a search goes through: warm-up, running,
 * resumed, stopped, finished. Inline snapshots: a change to any panel shows here as the frame it makes.
 */
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { stripAnsi } from '../../src/tui/format.js';
import { SearchApp } from '../../src/tui/search-app.js';
import type { SearchView } from '../../src/search/search-view.js';
import { finishedTrial, midSearchView } from './fixtures.js';

afterEach(() => cleanup());

function frame(view: SearchView, columns: number, rows: number): string {
  const { lastFrame } = render(<SearchApp view={view} columns={columns} rows={rows} />);
  const text = stripAnsi(lastFrame() ?? '');
  const lines = text.split('\n');
  expect(lines.length).toBeLessThan(rows);
  for (const l of lines) expect(l.length).toBeLessThanOrEqual(columns);
  return `\n${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}

const FIELDS = ['user', 'item', 'category', 'hour', 'noise_a', 'noise_b'];
const dims = (d: number[]) => FIELDS.map((name, i) => ({ name, dim: d[i], normAlpha: i === 1 ? 1e-3 : 0 }));
const finished = Array.from({ length: 16 }, (_, i) =>
  finishedTrial(i, 0.7 + (i % 5) / 50, 0.02 + (i % 4) / 100, 0.69 + ((i * 7) % 11) / 100, {
    dims: dims([2, 2, i % 3 === 0 ? 2 : 4, 2, i % 2 ? 0 : 2, 0]),
  }),
);
const learnt = FIELDS.map((field, i) => ({
  field,
  dim: i < 4 ? 2 : 0,
  dimProb: 0.4 + i / 20,
  normBudget: 0,
  normProb: 0.6,
}));
const tied = FIELDS.map((field) => ({
  field,
  dim: 0,
  dimProb: 0.2,
  normBudget: 0,
  normProb: 0.5,
  dimTied: true,
  normTied: true,
}));
const base = (o: Partial<SearchView>) =>
  midSearchView({
    name: 'synthetic',
    spaceFile: 'search-spaces/synthetic.yaml',
    controller: 'reinforce',
    trialsTotal: 24,
    objective: 'reward = AUC − 0.3·max(0, memory/0.02997 MB − 1)',
    memoryBudgetBytes: 29_970,
    ...o,
  });
const next = [
  'embnas show synthetic',
  'embnas export synthetic --format yaml --out synthetic-best.yaml',
  'embnas report synthetic --out synthetic-report.html',
];

const STATES: Record<string, SearchView> = {
  warmup: base({ finished: finished.slice(0, 2), trialsDone: 2, policy: tied, policySettled: 0, elapsedMs: 61_000 }),
  running: base({ finished, trialsDone: 16, policy: learnt, policySettled: 0.42, elapsedMs: 480_000 }),
  resumed: base({ finished, trialsDone: 16, running: [], policy: learnt, policySettled: 0.42, elapsedMs: 2_000 }),
  stopped: base({
    finished,
    trialsDone: 16,
    running: [],
    policy: learnt,
    policySettled: 0.42,
    elapsedMs: 500_000,
    endMessage: 'stopped after 16 of 24 trials',
    resumeCommand: 'embnas resume synthetic',
    nextCommands: next,
  }),
  finished: base({
    finished,
    trialsDone: 24,
    running: [],
    policy: learnt,
    policySettled: 0.61,
    elapsedMs: 730_000,
    endMessage: 'finished: 24 trials',
    nextCommands: next,
    plantedTruth: 'user:2 item:2 category:1 hour:1 noise_a:0 noise_b:0',
  }),
};

describe('whole frames at 80×24', () => {
  it('warm-up', () =>
    expect(frame(STATES.warmup, 80, 24)).toMatchInlineSnapshot(`
    "
    synthetic  search-spaces/synthetic.yaml  seed 42  reinforce  wasm
    elapsed 0:01:01  trials 2/24  ETA 0:05:30  best reward 0.7900
    reward = AUC − 0.3·max(0, memory/0.02997 MB − 1)

    Running (2)
    #5   w0 ▕████████████▏100% ep 2/2    850 rows/s  loss 0.3999  user:8 item:8
    #6   w1 ▕███░░░░░░░░░▏ 25% ep 1/2  12.3k rows/s  loss 0.4521  16 8 4 2 0 2 0 4 …

     #  trial     AUC    memory  penalty   reward  dims
     1      1  0.7200   30.0 KB   0.0000   0.7600  2 2 4 2 0 0

    Best reward over trials                  AUC × memory  ◆ front · other ┊ budget
    0.7600┤               ⢸⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉   0.7200┤                              ◆
          │               ⢸                        │                              ┊
    0.6900┤⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣸                  0.7000┤◆                             ┊
           1                             2          20.0 KB                 30.0 KB

    Policy: warm-up, sampling uniformly (nothing learnt yet)
    user       tie  20%  α    tie  50%  item       tie  20%  α    tie  50%
    category   tie  20%  α    tie  50%  hour       tie  20%  α    tie  50%
    noise_a    tie  20%  α    tie  50%  noise_b    tie  20%  α    tie  50%

    q stop (running trials finish or are marked interrupted)   p pause proposing
    "
  `));
  it('running', () =>
    expect(frame(STATES.running, 80, 24)).toMatchInlineSnapshot(`
    "
    synthetic  search-spaces/synthetic.yaml  seed 42  reinforce  wasm
    elapsed 0:08:00  trials 16/24  ETA 0:02:00  best reward 0.7900
    reward = AUC − 0.3·max(0, memory/0.02997 MB − 1)

    Running (2)
    #5   w0 ▕████████████▏100% ep 2/2    850 rows/s  loss 0.3999  user:8 item:8
    #6   w1 ▕███░░░░░░░░░▏ 25% ep 1/2  12.3k rows/s  loss 0.4521  16 8 4 2 0 2 0 4 …

     #  trial     AUC    memory  penalty   reward  dims
     1      3  0.7600   50.0 KB   0.0000   0.7900  2 2 2 2 0 0

    Best reward over trials                  AUC × memory  ◆ front · other ┊ budget
    0.7900┤  ⣀⣀⣀⣀⡏⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉   0.7800┤◆         ·         ·         ·
          │  ⡇                                     │·         ·         ·         ·
    0.6900┤⣀⣀⡇                               0.7000┤·         ·         ·         ·
           1                            16          20.0 KB                 50.0 KB

    Policy: most likely dim and α per field, 42% settled
    user         2  40%  α    off  60%  item         2  45%  α    off  60%
    category     2  50%  α    off  60%  hour         2  55%  α    off  60%
    noise_a      0  60%  α    off  60%  noise_b      0  65%  α    off  60%

    q stop (running trials finish or are marked interrupted)   p pause proposing
    "
  `));
  it('resumed', () =>
    expect(frame(STATES.resumed, 80, 24)).toMatchInlineSnapshot(`
    "
    synthetic  search-spaces/synthetic.yaml  seed 42  reinforce  wasm
    elapsed 0:00:02  trials 16/24  ETA 0:04:00  best reward 0.7900
    reward = AUC − 0.3·max(0, memory/0.02997 MB − 1)

    Running (0)
    waiting for the next trial…

     #  trial     AUC    memory  penalty   reward  dims
     1      3  0.7600   50.0 KB   0.0000   0.7900  2 2 2 2 0 0
     2     14  0.7800   40.0 KB   0.0000   0.7900  2 2 4 2 2 0

    Best reward over trials                  AUC × memory  ◆ front · other ┊ budget
    0.7900┤  ⣀⣀⣀⣀⡏⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉   0.7800┤◆         ·         ·         ·
          │  ⡇                                     │·         ·         ·         ·
    0.6900┤⣀⣀⡇                               0.7000┤·         ·         ·         ·
           1                            16          20.0 KB                 50.0 KB

    Policy: most likely dim and α per field, 42% settled
    user         2  40%  α    off  60%  item         2  45%  α    off  60%
    category     2  50%  α    off  60%  hour         2  55%  α    off  60%
    noise_a      0  60%  α    off  60%  noise_b      0  65%  α    off  60%

    q stop (running trials finish or are marked interrupted)   p pause proposing
    "
  `));
  it('stopped', () =>
    expect(frame(STATES.stopped, 80, 24)).toMatchInlineSnapshot(`
    "
    synthetic  search-spaces/synthetic.yaml  seed 42  reinforce  wasm
    elapsed 0:08:20  trials 16/24  best reward 0.7900
    reward = AUC − 0.3·max(0, memory/0.02997 MB − 1)

     #  trial     AUC    memory  penalty   reward  dims
     1      3  0.7600   50.0 KB   0.0000   0.7900  2 2 2 2 0 0
     2     14  0.7800   40.0 KB   0.0000   0.7900  2 2 4 2 2 0
     3      6  0.7200   40.0 KB   0.0000   0.7800  2 2 2 2 2 0

    Policy: most likely dim and α per field, 42% settled
    user         2  40%  α    off  60%  item         2  45%  α    off  60%
    category     2  50%  α    off  60%  hour         2  55%  α    off  60%
    noise_a      0  60%  α    off  60%  noise_b      0  65%  α    off  60%

    stopped after 16 of 24 trials
    Best: #3 AUC 0.7600 50.0 KB pen 0.0000 R 0.7900
      user:2 item:2/α1e-3 category:2 hour:2 noise_a:0 noise_b:0
    Next:
    embnas show synthetic
    embnas export synthetic --format yaml --out synthetic-best.yaml
    embnas report synthetic --out synthetic-report.html
    To continue this search, run:
    embnas resume synthetic
    "
  `));
  it('finished', () =>
    expect(frame(STATES.finished, 80, 24)).toMatchInlineSnapshot(`
    "
    synthetic  search-spaces/synthetic.yaml  seed 42  reinforce  wasm
    elapsed 0:12:10  trials 24/24  best reward 0.7900
    reward = AUC − 0.3·max(0, memory/0.02997 MB − 1)

     #  trial     AUC    memory  penalty   reward  dims
     1      3  0.7600   50.0 KB   0.0000   0.7900  2 2 2 2 0 0
     2     14  0.7800   40.0 KB   0.0000   0.7900  2 2 4 2 2 0
     3      6  0.7200   40.0 KB   0.0000   0.7800  2 2 2 2 2 0

    Policy: most likely dim and α per field, 61% settled
    user         2  40%  α    off  60%  item         2  45%  α    off  60%
    category     2  50%  α    off  60%  hour         2  55%  α    off  60%
    noise_a      0  60%  α    off  60%  noise_b      0  65%  α    off  60%

    finished: 24 trials
    Best: #3 AUC 0.7600 50.0 KB pen 0.0000 R 0.7900
      user:2 item:2/α1e-3 category:2 hour:2 noise_a:0 noise_b:0
    Planted truth (synthetic data):
      user:2 item:2 category:1 hour:1 noise_a:0 noise_b:0
    Next:
    embnas show synthetic
    embnas export synthetic --format yaml --out synthetic-best.yaml
    embnas report synthetic --out synthetic-report.html
    "
  `));
});

describe('whole frames at 120×40', () => {
  it('warm-up', () =>
    expect(frame(STATES.warmup, 120, 40)).toMatchInlineSnapshot(`
    "
    synthetic  search-spaces/synthetic.yaml  seed 42  reinforce  wasm
    elapsed 0:01:01  trials 2/24  ETA 0:05:30  best reward 0.7900
    reward = AUC − 0.3·max(0, memory/0.02997 MB − 1)

    Running (2)
    #5   w0 ▕████████████▏100% ep 2/2    850 rows/s  loss 0.3999  user:8 item:8
    #6   w1 ▕███░░░░░░░░░▏ 25% ep 1/2  12.3k rows/s  loss 0.4521  16 8 4 2 0 2 0 4 8 16

    Finished (2)
    #0     auc 0.7000    20.0 KB  reward 0.6900  user:2 item:2 category:2 hour:2 noise_a:2 noise_b:0
    #1     auc 0.7200    30.0 KB  reward 0.7600  user:2 item:2 category:4 hour:2 noise_a:0 noise_b:0

     #  trial     AUC    memory  penalty   reward  dims
     1      1  0.7200   30.0 KB   0.0000   0.7600  user:2 item:2 category:4 hour:2 noise_a:0 noise_b:0
     2      0  0.7000   20.0 KB   0.0100   0.6900  user:2 item:2 category:2 hour:2 noise_a:2 noise_b:0

    Best reward over trials                                      AUC × memory  ◆ front · other ┊ budget
    0.7600┤                         ⢸⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉   0.7200┤                                                  ◆
          │                         ⢸                                  │                                                  ┊
          │                         ⢸                                  │                                                  ┊
          │                         ⢸                                  │                                                  ┊
          │                         ⢸                                  │                                                  ┊
    0.6900┤⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣸                            0.7000┤◆                                                 ┊
           1                                                 2          20.0 KB                                     30.0 KB

    Policy: warm-up, sampling uniformly (nothing learnt yet)
    user       tie █▎░░░░  20%  α    tie ███░░░  50%  item       tie █▎░░░░  20%  α    tie ███░░░  50%
    category   tie █▎░░░░  20%  α    tie ███░░░  50%  hour       tie █▎░░░░  20%  α    tie ███░░░  50%
    noise_a    tie █▎░░░░  20%  α    tie ███░░░  50%  noise_b    tie █▎░░░░  20%  α    tie ███░░░  50%

    q stop (running trials finish or are marked interrupted)   p pause proposing
    "
  `));
  it('running', () =>
    expect(frame(STATES.running, 120, 40)).toMatchInlineSnapshot(`
    "
    synthetic  search-spaces/synthetic.yaml  seed 42  reinforce  wasm
    elapsed 0:08:00  trials 16/24  ETA 0:02:00  best reward 0.7900
    reward = AUC − 0.3·max(0, memory/0.02997 MB − 1)

    Running (2)
    #5   w0 ▕████████████▏100% ep 2/2    850 rows/s  loss 0.3999  user:8 item:8
    #6   w1 ▕███░░░░░░░░░▏ 25% ep 1/2  12.3k rows/s  loss 0.4521  16 8 4 2 0 2 0 4 8 16

     #  trial     AUC    memory  penalty   reward  dims
     1      3  0.7600   50.0 KB   0.0000   0.7900  user:2 item:2 category:2 hour:2 noise_a:0 noise_b:0
     2     14  0.7800   40.0 KB   0.0000   0.7900  user:2 item:2 category:4 hour:2 noise_a:2 noise_b:0
     3      6  0.7200   40.0 KB   0.0000   0.7800  user:2 item:2 category:2 hour:2 noise_a:2 noise_b:0
     4      9  0.7800   30.0 KB   0.0100   0.7700  user:2 item:2 category:2 hour:2 noise_a:0 noise_b:0
     5      1  0.7200   30.0 KB   0.0000   0.7600  user:2 item:2 category:4 hour:2 noise_a:0 noise_b:0
     6     12  0.7400   20.0 KB   0.0000   0.7600  user:2 item:2 category:2 hour:2 noise_a:2 noise_b:0
     7      4  0.7800   20.0 KB   0.0300   0.7500  user:2 item:2 category:4 hour:2 noise_a:2 noise_b:0
     8     15  0.7000   50.0 KB   0.0000   0.7500  user:2 item:2 category:2 hour:2 noise_a:0 noise_b:0
     9      7  0.7400   50.0 KB   0.0000   0.7400  user:2 item:2 category:4 hour:2 noise_a:0 noise_b:0
    10     10  0.7000   40.0 KB   0.0000   0.7300  user:2 item:2 category:4 hour:2 noise_a:2 noise_b:0

    Best reward over trials                                      AUC × memory  ◆ front · other ┊ budget
    0.7900┤          ⡏⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉   0.7800┤◆                ·               ·
          │   ⢀⣀⣀⣀⣀⣀⣀⡇                                                 │·                ·                                ·
          │   ⢸                                                        │·                ┊               ·                ·
          │   ⢸                                                        │                 ┊
          │   ⢸                                                        │                 ·               ·                ·
    0.6900┤⣀⣀⣀⣸                                                  0.7000┤·                ·               ·                ·
           1                                                16          20.0 KB                                     50.0 KB

    Policy: most likely dim and α per field, 42% settled
    user         2 ██▍░░░  40%  α    off ███▋░░  60%  item         2 ██▊░░░  45%  α    off ███▋░░  60%
    category     2 ███░░░  50%  α    off ███▋░░  60%  hour         2 ███▎░░  55%  α    off ███▋░░  60%
    noise_a      0 ███▋░░  60%  α    off ███▋░░  60%  noise_b      0 ███▉░░  65%  α    off ███▋░░  60%

    q stop (running trials finish or are marked interrupted)   p pause proposing
    "
  `));
  it('resumed', () =>
    expect(frame(STATES.resumed, 120, 40)).toMatchInlineSnapshot(`
    "
    synthetic  search-spaces/synthetic.yaml  seed 42  reinforce  wasm
    elapsed 0:00:02  trials 16/24  ETA 0:04:00  best reward 0.7900
    reward = AUC − 0.3·max(0, memory/0.02997 MB − 1)

    Running (0)
    waiting for the next trial…

     #  trial     AUC    memory  penalty   reward  dims
     1      3  0.7600   50.0 KB   0.0000   0.7900  user:2 item:2 category:2 hour:2 noise_a:0 noise_b:0
     2     14  0.7800   40.0 KB   0.0000   0.7900  user:2 item:2 category:4 hour:2 noise_a:2 noise_b:0
     3      6  0.7200   40.0 KB   0.0000   0.7800  user:2 item:2 category:2 hour:2 noise_a:2 noise_b:0
     4      9  0.7800   30.0 KB   0.0100   0.7700  user:2 item:2 category:2 hour:2 noise_a:0 noise_b:0
     5      1  0.7200   30.0 KB   0.0000   0.7600  user:2 item:2 category:4 hour:2 noise_a:0 noise_b:0
     6     12  0.7400   20.0 KB   0.0000   0.7600  user:2 item:2 category:2 hour:2 noise_a:2 noise_b:0
     7      4  0.7800   20.0 KB   0.0300   0.7500  user:2 item:2 category:4 hour:2 noise_a:2 noise_b:0
     8     15  0.7000   50.0 KB   0.0000   0.7500  user:2 item:2 category:2 hour:2 noise_a:0 noise_b:0
     9      7  0.7400   50.0 KB   0.0000   0.7400  user:2 item:2 category:4 hour:2 noise_a:0 noise_b:0
    10     10  0.7000   40.0 KB   0.0000   0.7300  user:2 item:2 category:4 hour:2 noise_a:2 noise_b:0

    Best reward over trials                                      AUC × memory  ◆ front · other ┊ budget
    0.7900┤          ⡏⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉   0.7800┤◆                ·               ·
          │   ⢀⣀⣀⣀⣀⣀⣀⡇                                                 │·                ·                                ·
          │   ⢸                                                        │·                ┊               ·                ·
          │   ⢸                                                        │                 ┊
          │   ⢸                                                        │                 ·               ·                ·
    0.6900┤⣀⣀⣀⣸                                                  0.7000┤·                ·               ·                ·
           1                                                16          20.0 KB                                     50.0 KB

    Policy: most likely dim and α per field, 42% settled
    user         2 ██▍░░░  40%  α    off ███▋░░  60%  item         2 ██▊░░░  45%  α    off ███▋░░  60%
    category     2 ███░░░  50%  α    off ███▋░░  60%  hour         2 ███▎░░  55%  α    off ███▋░░  60%
    noise_a      0 ███▋░░  60%  α    off ███▋░░  60%  noise_b      0 ███▉░░  65%  α    off ███▋░░  60%

    q stop (running trials finish or are marked interrupted)   p pause proposing
    "
  `));
  it('stopped', () =>
    expect(frame(STATES.stopped, 120, 40)).toMatchInlineSnapshot(`
    "
    synthetic  search-spaces/synthetic.yaml  seed 42  reinforce  wasm
    elapsed 0:08:20  trials 16/24  best reward 0.7900
    reward = AUC − 0.3·max(0, memory/0.02997 MB − 1)

     #  trial     AUC    memory  penalty   reward  dims
     1      3  0.7600   50.0 KB   0.0000   0.7900  user:2 item:2 category:2 hour:2 noise_a:0 noise_b:0
     2     14  0.7800   40.0 KB   0.0000   0.7900  user:2 item:2 category:4 hour:2 noise_a:2 noise_b:0
     3      6  0.7200   40.0 KB   0.0000   0.7800  user:2 item:2 category:2 hour:2 noise_a:2 noise_b:0
     4      9  0.7800   30.0 KB   0.0100   0.7700  user:2 item:2 category:2 hour:2 noise_a:0 noise_b:0
     5      1  0.7200   30.0 KB   0.0000   0.7600  user:2 item:2 category:4 hour:2 noise_a:0 noise_b:0
     6     12  0.7400   20.0 KB   0.0000   0.7600  user:2 item:2 category:2 hour:2 noise_a:2 noise_b:0
     7      4  0.7800   20.0 KB   0.0300   0.7500  user:2 item:2 category:4 hour:2 noise_a:2 noise_b:0
     8     15  0.7000   50.0 KB   0.0000   0.7500  user:2 item:2 category:2 hour:2 noise_a:0 noise_b:0
     9      7  0.7400   50.0 KB   0.0000   0.7400  user:2 item:2 category:4 hour:2 noise_a:0 noise_b:0
    10     10  0.7000   40.0 KB   0.0000   0.7300  user:2 item:2 category:4 hour:2 noise_a:2 noise_b:0

    Best reward over trials                                      AUC × memory  ◆ front · other ┊ budget
    0.7900┤          ⡏⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉   0.7800┤◆                ·               ·
          │   ⢀⣀⣀⣀⣀⣀⣀⡇                                                 │·                ·                                ·
          │   ⢸                                                        │·                ┊               ·                ·
          │   ⢸                                                        │                 ┊
          │   ⢸                                                        │                 ·               ·                ·
    0.6900┤⣀⣀⣀⣸                                                  0.7000┤·                ·               ·                ·
           1                                                16          20.0 KB                                     50.0 KB

    Policy: most likely dim and α per field, 42% settled
    user         2 ██▍░░░  40%  α    off ███▋░░  60%  item         2 ██▊░░░  45%  α    off ███▋░░  60%
    category     2 ███░░░  50%  α    off ███▋░░  60%  hour         2 ███▎░░  55%  α    off ███▋░░  60%
    noise_a      0 ███▋░░  60%  α    off ███▋░░  60%  noise_b      0 ███▉░░  65%  α    off ███▋░░  60%

    stopped after 16 of 24 trials
    Best by reward: trial 3  AUC 0.7600  memory 50.0 KB  penalty 0.0000  reward 0.7900
      user:2 item:2/α1e-3 category:2 hour:2 noise_a:0 noise_b:0
    Next:
    embnas show synthetic
    embnas export synthetic --format yaml --out synthetic-best.yaml
    embnas report synthetic --out synthetic-report.html
    To continue this search, run:
    embnas resume synthetic
    "
  `));
  it('finished', () =>
    expect(frame(STATES.finished, 120, 40)).toMatchInlineSnapshot(`
    "
    synthetic  search-spaces/synthetic.yaml  seed 42  reinforce  wasm
    elapsed 0:12:10  trials 24/24  best reward 0.7900
    reward = AUC − 0.3·max(0, memory/0.02997 MB − 1)

     #  trial     AUC    memory  penalty   reward  dims
     1      3  0.7600   50.0 KB   0.0000   0.7900  user:2 item:2 category:2 hour:2 noise_a:0 noise_b:0
     2     14  0.7800   40.0 KB   0.0000   0.7900  user:2 item:2 category:4 hour:2 noise_a:2 noise_b:0
     3      6  0.7200   40.0 KB   0.0000   0.7800  user:2 item:2 category:2 hour:2 noise_a:2 noise_b:0
     4      9  0.7800   30.0 KB   0.0100   0.7700  user:2 item:2 category:2 hour:2 noise_a:0 noise_b:0
     5      1  0.7200   30.0 KB   0.0000   0.7600  user:2 item:2 category:4 hour:2 noise_a:0 noise_b:0
     6     12  0.7400   20.0 KB   0.0000   0.7600  user:2 item:2 category:2 hour:2 noise_a:2 noise_b:0
     7      4  0.7800   20.0 KB   0.0300   0.7500  user:2 item:2 category:4 hour:2 noise_a:2 noise_b:0
     8     15  0.7000   50.0 KB   0.0000   0.7500  user:2 item:2 category:2 hour:2 noise_a:0 noise_b:0
     9      7  0.7400   50.0 KB   0.0000   0.7400  user:2 item:2 category:4 hour:2 noise_a:0 noise_b:0
    10     10  0.7000   40.0 KB   0.0000   0.7300  user:2 item:2 category:4 hour:2 noise_a:2 noise_b:0

    Best reward over trials                                      AUC × memory  ◆ front · other ┊ budget
    0.7900┤          ⡏⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉   0.7800┤◆                ·               ·
          │   ⢀⣀⣀⣀⣀⣀⣀⡇                                                 │·                ·                                ·
          │   ⢸                                                        │·                ┊               ·                ·
          │   ⢸                                                        │                 ┊
          │   ⢸                                                        │                 ·               ·                ·
    0.6900┤⣀⣀⣀⣸                                                  0.7000┤·                ·               ·                ·
           1                                                16          20.0 KB                                     50.0 KB

    Policy: most likely dim and α per field, 61% settled
    user         2 ██▍░░░  40%  α    off ███▋░░  60%  item         2 ██▊░░░  45%  α    off ███▋░░  60%
    category     2 ███░░░  50%  α    off ███▋░░  60%  hour         2 ███▎░░  55%  α    off ███▋░░  60%
    noise_a      0 ███▋░░  60%  α    off ███▋░░  60%  noise_b      0 ███▉░░  65%  α    off ███▋░░  60%

    finished: 24 trials
    Best by reward: trial 3  AUC 0.7600  memory 50.0 KB  penalty 0.0000  reward 0.7900
      user:2 item:2/α1e-3 category:2 hour:2 noise_a:0 noise_b:0
    Planted truth (synthetic data):
      user:2 item:2 category:1 hour:1 noise_a:0 noise_b:0
    Next:
    embnas show synthetic
    embnas export synthetic --format yaml --out synthetic-best.yaml
    embnas report synthetic --out synthetic-report.html
    "
  `));
});
