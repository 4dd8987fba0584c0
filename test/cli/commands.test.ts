/** The CLI's promises: exit codes, one-line user errors, EMBNAS_<FLAG> from the environment, machine-readable --json. */
import { connect } from '../../src/store/sqlite/sqlite-connection.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { embnas } from '../e2e/cli.js';

const SPACE = 'test/fixtures/tiny-synthetic.yaml';
let dir: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'embnas-cli-'));
  db = path.join(dir, 'trials.db');
  const r = embnas(['run', SPACE, '--db', db, '--trials', '6', '--no-tui']);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

describe('embnas CLI', () => {
  it('prints plain lines without ANSI codes when not on a terminal', () => {
    const r = embnas(['run', SPACE, '--db', path.join(dir, 'plain.db'), '--trials', '2', '--no-tui']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^trial 0 /m);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  }, 120_000);

  it('answers a user mistake with one line and exit code 1', () => {
    for (const args of [
      ['run', 'missing.yaml'],
      ['show', 'nope', '--db', db],
      ['list', '--db', path.join(dir, 'none.db')],
      ['run', SPACE, '--trials', 'x'],
      ['frob'],
    ]) {
      const r = embnas(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^embnas: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('refuses a second search with the same name and says how to continue it', () => {
    const r = embnas(['run', SPACE, '--db', db, '--no-tui']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/tiny/);
    expect(r.stderr).toMatch(/resume|--name/);
  });

  it('reads flags from EMBNAS_<FLAG>', () => {
    const r = embnas(['list', '--json'], { EMBNAS_DB: db });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).map((s: { name: string }) => s.name)).toContain('tiny');
  });

  it('lists and shows searches as JSON', () => {
    const list = JSON.parse(embnas(['list', '--db', db, '--json']).stdout);
    expect(list[0]).toMatchObject({ name: 'tiny', trialsBudget: 6, status: 'finished' });
    const show = JSON.parse(embnas(['show', 'tiny', '--db', db, '--json', '--top', '3']).stdout);
    expect(show.best).toHaveLength(3);
    expect(show.best[0].reward).toBeGreaterThanOrEqual(show.best[1].reward);
    expect(show.pareto.length).toBeGreaterThan(0);
  });

  it('exports the best trial with everything needed to rebuild the model', () => {
    const out = path.join(dir, 'best.yaml');
    expect(embnas(['export', 'tiny', '--db', db, '--format', 'yaml', '--out', out]).code).toBe(0);
    const doc = parse(readFileSync(out, 'utf8'));
    const best = JSON.parse(embnas(['show', 'tiny', '--db', db, '--json']).stdout).best[0];
    expect(doc.trial).toBe(best.number);
    expect(doc.metrics.validAuc).toBe(best.validAuc);
    expect(doc.features.map((f: { name: string }) => f.name)).toEqual([
      'user',
      'item',
      'category',
      'hour',
      'noise_a',
      'noise_b',
    ]);
    for (const f of doc.features) expect(f.rows).toBe(f.kept + 2);
    const bytes = doc.features.reduce((s: number, f: { rows: number; dim: number }) => s + f.rows * f.dim * 4, 0);
    expect(doc.metrics.memoryBytes).toBeGreaterThan(bytes); // + the tower
    expect(doc.model.tower).toEqual([16]);
  });

  it('exports every trial as CSV and the Pareto front as JSON', () => {
    const csv = embnas(['export', 'tiny', '--db', db, '--format', 'csv']).stdout.trim().split('\n');
    expect(csv).toHaveLength(7);
    expect(csv[0]).toMatch(/^trial,status,valid_auc,.*dim_user/);
    const front = JSON.parse(embnas(['export', 'tiny', '--db', db, '--pareto']).stdout);
    expect(Array.isArray(front)).toBe(true);
    const bad = embnas(['export', 'tiny', '--db', db, '--format', 'xml']);
    expect(bad.code).toBe(1);
  });

  it('exports an Optuna study on the reward, or on AUC and memory with --objectives', () => {
    const directions = (file: string) => {
      const study = connect(file, { readonly: true });
      try {
        return (
          study.prepare('SELECT direction FROM study_directions ORDER BY objective').all() as { direction: string }[]
        ).map((r) => r.direction);
      } finally {
        study.close();
      }
    };
    const reward = embnas(['export', 'tiny', '--db', db, '--format', 'optuna', '--out', path.join(dir, 'reward.db')]);
    expect(reward.code, reward.stderr).toBe(0);
    expect(reward.stderr).toMatch(/objectives: reward\).*optuna best-trial --storage/);
    expect(directions(path.join(dir, 'reward.db'))).toEqual(['MAXIMIZE']);
    const pareto = embnas([
      'export',
      'tiny',
      '--db',
      db,
      '--format',
      'optuna',
      '--objectives',
      'auc,memory',
      '--out',
      path.join(dir, 'pareto.db'),
    ]);
    expect(pareto.code, pareto.stderr).toBe(0);
    expect(pareto.stderr).toMatch(/optuna best-trials --storage/);
    expect(directions(path.join(dir, 'pareto.db'))).toEqual(['MAXIMIZE', 'MINIMIZE']);
    const unknown = embnas([
      'export',
      'tiny',
      '--db',
      db,
      '--format',
      'optuna',
      '--objectives',
      'loss',
      '--out',
      path.join(dir, 'x.db'),
    ]);
    expect([unknown.code, unknown.stderr]).toEqual([
      1,
      expect.stringMatching(/^embnas: --objectives: unknown objective "loss"/),
    ]);
    const notOptuna = embnas(['export', 'tiny', '--db', db, '--objectives', 'auc']);
    expect([notOptuna.code, notOptuna.stderr]).toEqual([
      1,
      expect.stringMatching(/--objectives goes with --format optuna/),
    ]);
  });

  it('refuses to resume with an edited space file', () => {
    const file = path.join(dir, 'edit.yaml');
    writeFileSync(file, readFileSync(SPACE, 'utf8').replace('name: tiny', 'name: edited'));
    const edb = path.join(dir, 'edit.db');
    expect(embnas(['run', file, '--db', edb, '--trials', '2', '--no-tui']).code).toBe(0);
    writeFileSync(file, readFileSync(file, 'utf8').replace('lr: 0.005', 'lr: 0.01'));
    const r = embnas(['resume', 'edited', '--db', edb, '--trials', '4', '--no-tui']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/changed since search 'edited' started/);
  }, 120_000);
});
