/**
 * `embnas export --retrain` as a user runs it (the built dist/ executable): summary, JSON, document, saved model,
 * refusals. The search runs in beforeAll; every test makes whatever else it needs, so each passes when run alone.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSavedModel } from '../../src/export/saved-model/index.js';
import { embnas } from '../e2e/cli.js';

const SPACE = path.resolve('test/fixtures/tiny-synthetic.yaml');
let dir: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'embnas-retrain-cli-'));
  db = path.join(dir, 'trials.db');
  const r = embnas(['run', SPACE, '--db', db, '--trials', '3', '--no-tui']);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

describe('embnas export --retrain', () => {
  it('prints a JSON summary with the test metrics and saves the model where asked', () => {
    const modelDir = path.join(dir, 'best-model');
    const r = embnas(['export', 'tiny', '--db', db, '--retrain', '--json', '--model-dir', modelDir]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const best = JSON.parse(embnas(['show', 'tiny', '--db', db, '--json']).stdout).best[0];
    expect(out.trial).toBe(best.number);
    expect(out.searchValidAuc).toBe(best.validAuc);
    expect(out.test.auc).toBeGreaterThanOrEqual(0);
    expect(out.test.auc).toBeLessThanOrEqual(1);
    expect(out.test.logloss).toBeGreaterThan(0);
    expect(out.modelDir).toBe(modelDir);
    const saved = loadSavedModel(modelDir);
    expect(saved.meta.trial).toBe(best.number);
    expect(saved.meta.metrics.testAuc).toBe(out.test.auc);
  }, 120_000);

  it('writes test: { auc, logloss, epochs } into the exported document and a summary line', () => {
    const doc = path.join(dir, 'trial.yaml');
    const r = embnas([
      'export',
      'tiny',
      '--db',
      db,
      '--retrain',
      '--trial',
      '0',
      '--format',
      'yaml',
      '--out',
      doc,
      '--model-dir',
      path.join(dir, 'm0'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^trial 0: test AUC 0\.\d{4}, test logloss \d\.\d{4} on \d+ rows \(valid AUC in the search 0\.\d{4}\) .* model saved to .*m0\n$/,
    );
    const exported = parse(readFileSync(doc, 'utf8'));
    expect(exported.trial).toBe(0);
    expect(exported.test).toEqual({
      auc: expect.any(Number),
      logloss: expect.any(Number),
      epochs: exported.metrics.bestEpoch,
    });
  }, 120_000);

  it('refuses with one line: a non-empty model folder, --pareto, csv, --model-dir without --retrain', () => {
    const taken = path.join(dir, 'taken-model');
    mkdirSync(taken, { recursive: true });
    writeFileSync(path.join(taken, 'keep.txt'), 'mine');
    for (const [args, message] of [
      [['--retrain', '--model-dir', taken], /exists and is not empty/],
      [['--retrain', '--pareto'], /--pareto/],
      [['--retrain', '--format', 'csv'], /json or yaml/],
      [['--model-dir', taken], /--model-dir goes with --retrain/],
      [['--retrain', '--trial', '99'], /no completed trial 99/],
    ] as const) {
      const r = embnas(['export', 'tiny', '--db', db, ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(readFileSync(path.join(taken, 'keep.txt'), 'utf8')).toBe('mine');
  }, 120_000);
});
