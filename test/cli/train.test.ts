/**
 * `embnas train` as a user runs it (the built dist/ executable): an exported trial trains to the search's own valid
 * AUC and memory, --test matches `export --retrain`, hand-written and --pareto files, and every bad input in one line
 * (a dim over the limits of a search included).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadSavedModel } from '../../src/export/saved-model/index.js';
import { embnas } from '../e2e/cli.js';

const SPACE = path.resolve('test/fixtures/tiny-synthetic.yaml');
let dir: string;
let db: string;
let best: string;
let exported: {
  trial: number;
  metrics: { validAuc: number; memoryBytes: number };
  features: { name: string; dim: number }[];
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'embnas-train-cli-'));
  db = path.join(dir, 'trials.db');
  expect(embnas(['run', SPACE, '--db', db, '--trials', '3', '--no-tui']).code).toBe(0);
  best = path.join(dir, 'best.yaml');
  const r = embnas(['export', 'tiny', '--db', db, '--format', 'yaml', '--out', best]);
  expect(r.code, r.stderr).toBe(0);
  exported = parse(readFileSync(best, 'utf8'));
}, 120_000);

function train(args: string[]) {
  return embnas(['train', SPACE, ...args]);
}

function write(name: string, doc: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof doc === 'string' ? doc : stringify(doc));
  return file;
}

describe('embnas train', () => {
  it('trains an exported trial to the valid AUC and memory it had in the search', () => {
    const r = train(['--config', best, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.valid.auc).toBe(exported.metrics.validAuc);
    expect(out.memoryBytes).toBe(exported.metrics.memoryBytes);
    expect(out.memoryMB).toBeCloseTo(exported.metrics.memoryBytes / 1e6, 9);
    expect(out.test).toBeUndefined();
  }, 120_000);

  it('with --test reports the test AUC of `export --retrain` and saves the same model with --model-dir', () => {
    const retrain = embnas([
      'export',
      'tiny',
      '--db',
      db,
      '--retrain',
      '--trial',
      String(exported.trial),
      '--json',
      '--model-dir',
      path.join(dir, 'export-model'),
    ]);
    expect(retrain.code, retrain.stderr).toBe(0);
    const expected = JSON.parse(retrain.stdout);
    const modelDir = path.join(dir, 'train-model');
    const r = train(['--config', best, '--test', '--model-dir', modelDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^valid AUC 0\.\d{4}, logloss \d\.\d{4} on \d+ rows .* memory \d+ bytes \([\d.]+ [KMG]?B\) · test AUC 0\.\d{4}, .* model saved to .*train-model\n$/,
    );
    expect(r.stdout).toContain(`test AUC ${expected.test.auc.toFixed(4)}`);
    const saved = loadSavedModel(modelDir);
    expect(saved.meta.metrics.testAuc).toBe(expected.test.auc);
    expect(saved.meta.training).toMatchObject({
      splits: ['train', 'valid'],
      rows: expected.trainRows,
      epochs: expected.epochs,
    });
    expect(saved.meta.search.name).toBe('tiny');
  }, 120_000);

  it("trains a hand-written config (any field order, model settings from the file over the space's) and --seed", () => {
    const names = exported.features.map((f) => f.name);
    const features = names.map((name, i) => ({ name, dim: i === 0 ? 3 : 0 })).reverse();
    const file = write('hand.json', JSON.stringify({ features, model: { tower: [] } }));
    const inspect = JSON.parse(embnas(['data', 'inspect', SPACE, '--json']).stdout);
    const rows = inspect.fields[0].rows as number;
    const runs = [1, 1, 2].map((seed) =>
      JSON.parse(train(['--config', file, '--json', '--seed', String(seed)]).stdout),
    );
    expect(runs[0].memoryBytes).toBe(4 * (rows * 3 + 3 + 1)); // the table, then one linear layer 3 → 1
    expect(runs[0].seed).toBe(1);
    expect(runs[1].valid.auc).toBe(runs[0].valid.auc);
    expect(runs[2].valid.auc).not.toBe(runs[0].valid.auc);
  }, 120_000);

  it('picks one trial of a --pareto list with --index', () => {
    const list = path.join(dir, 'pareto.json');
    expect(embnas(['export', 'tiny', '--db', db, '--pareto', '--out', list]).code).toBe(0);
    const trials = JSON.parse(readFileSync(list, 'utf8'));
    const last = trials.length - 1;
    const out = JSON.parse(train(['--config', list, '--index', String(last), '--json']).stdout);
    expect(out.index).toBe(last);
    expect(out.valid.auc).toBe(trials[last].metrics.validAuc);
  }, 120_000);

  it('answers every bad input with one line and exit code 1', () => {
    const names = exported.features.map((f) => f.name);
    const hand = (features: unknown[]) => write(`bad-${Math.random().toString(36).slice(2)}.yaml`, { features });
    const ok = names.map((name) => ({ name, dim: 2 }));
    const list = write('two.json', JSON.stringify([exported, exported]));
    const cases: [string[], RegExp][] = [
      [['--config', path.join(dir, 'absent.yaml')], /--config .*absent\.yaml: no such file/],
      [
        ['--config', write('broken.yaml', 'features:\n  - name: user\n    dim: [2\n')],
        /broken\.yaml:\d+: invalid YAML/,
      ],
      [
        ['--config', write('broken.json', '{"features": [ {"name": "user", "dim": 2} ')],
        /broken\.json:\d+: invalid YAML/,
      ],
      [
        ['--config', hand([...ok, { name: 'colour', dim: 2 }])],
        /:\d+: features\[\d+\]: 'colour' is not a field of the data/,
      ],
      [['--config', hand(ok.slice(1))], new RegExp(`features: the data's field '${names[0]}' is missing`)],
      [
        ['--config', hand([{ name: names[0], dim: -1 }, ...ok.slice(1)])],
        /:3: features\[0\]\.dim: -1 is not a non-negative integer/,
      ],
      [
        ['--config', hand([{ name: names[0], dim: 2.5 }, ...ok.slice(1)])],
        /features\[0\]\.dim: expected a whole number, found the fractional number 2\.5/,
      ],
      [
        ['--config', hand([{ name: names[0], dim: 'big' }, ...ok.slice(1)])],
        /features\[0\]\.dim: expected a number, found the string "big"/,
      ],
      [['--config', hand([...ok, ok[0]])], /is listed twice/],
      [
        // The limits of a search (Node 20: one array; from Node 22 on the memory limit comes first).
        ['--config', hand([{ name: names[0], dim: 1_000_000_000 }, ...ok.slice(1)])],
        /:3: features\[0\]\.dim: dim 1000000000 for field .* (needs one array of|makes this config need)/,
      ],
      [
        [
          '--config',
          hand([{ name: names[0], dim: 4, blocks: { fractions: [0.5, 0.5], dims: [2, 1] } }, ...ok.slice(1)]),
        ],
        new RegExp(`bad-\\w+\\.yaml: fields\\[0\\] \\(${names[0]}\\)\\.blocks\\.dims is \\[2, 1\\] with dim 4`),
      ],
      [['--config', write('empty.yaml', 'x: 1\n')], /empty\.yaml: features: required key is missing/],
      [['--config', list], /holds a list of \d+ trials .* --index/],
      [['--config', list, '--index', '99'], /--index 99: .* holds \d+ trials/],
      [['--config', best, '--index', '0'], /holds one trial, not a list/],
      [['--config', best, '--model-dir', path.join(dir, 'm')], /--model-dir saves the model retrained .* add --test/],
      [['--config', best, '--index', '-1'], /--index: "-1" is not an index/],
      [[], /--config/],
    ];
    const noTest = write('no-test.yaml', readFileSync(SPACE, 'utf8').replace(/test: [\d.]+/, 'test: 0'));
    const refused = embnas(['train', noTest, '--config', best, '--test']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^embnas: --test: .*no-test\.yaml has no test split \(data\.split\.test is 0\) — .*\n$/,
    );
    for (const [args, message] of cases) {
      const r = train(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  }, 120_000);
});
