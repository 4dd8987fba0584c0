/** The Optuna export read back with better-sqlite3: tables, rows and text formats, without Optuna installed. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { connect } from '../../src/store/sqlite/sqlite-connection.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUsageError, UsageError } from '../../src/errors.js';
import { exportOptuna, parseObjectives } from '../../src/export/optuna/index.js';
import { pythonJsonDumps, pythonNumber, sqliteDateTime } from '../../src/export/optuna/python-formats.js';
import type { SqliteTrialStore } from '../../src/store/index.js';
import { PLAN, tinySearchStore } from './optuna-fixtures.js';

const TABLES = [
  'alembic_version',
  'studies',
  'study_directions',
  'study_system_attributes',
  'study_user_attributes',
  'trial_heartbeats',
  'trial_intermediate_values',
  'trial_params',
  'trial_system_attributes',
  'trial_user_attributes',
  'trial_values',
  'trials',
  'version_info',
];

describe('Python text formats', () => {
  it('prints numbers as Python repr / json.dumps does', async () => {
    // Expected strings are Python 3's json.dumps output for the same values.
    const cases: [number, string][] = [
      [0, '0'],
      [0.001, '0.001'],
      [1e-5, '1e-05'],
      [1.5e-7, '1.5e-07'],
      [1.5e16, '1.5e+16'],
      [0.1, '0.1'],
      [123.456, '123.456'],
      [1e-4, '0.0001'],
      [2.5e-4, '0.00025'],
      [1e22, '1e+22'],
      [-3.25e-9, '-3.25e-09'],
      [5e-324, '5e-324'],
      [NaN, 'NaN'],
      [-Infinity, '-Infinity'],
    ];
    for (const [x, text] of cases) expect(pythonNumber(x), String(x)).toBe(text);
  });

  it('dumps JSON with Python separators and ASCII-only strings', async () => {
    expect(pythonJsonDumps({ name: 'CategoricalDistribution', attributes: { choices: [0, 1e-5, 0.001] } })).toBe(
      '{"name": "CategoricalDistribution", "attributes": {"choices": [0, 1e-05, 0.001]}}',
    );
    expect(pythonJsonDumps('out of memory: ünïcode ✓ \x7f \x01 "q" \\ 😀')).toBe(
      '"out of memory: \\u00fcn\\u00efcode \\u2713 \\u007f \\u0001 \\"q\\" \\\\ \\ud83d\\ude00"',
    );
    expect(pythonJsonDumps([true, null, 'a'])).toBe('[true, null, "a"]');
  });

  it('writes timestamps as SQLAlchemy DATETIME text in local time', async () => {
    expect(sqliteDateTime(new Date(2024, 0, 2, 3, 4, 5, 67).getTime())).toBe('2024-01-02 03:04:05.067000');
  });
});

describe('exportOptuna file', () => {
  let h: ReturnType<typeof tinySearchStore>;
  let out: string;
  beforeEach(() => {
    h = tinySearchStore();
    out = path.join(h.dir, 'study.db');
  });
  afterEach(() => h.cleanup());

  const rows = <T>(sql: string, ...args: unknown[]): T[] => {
    const db = connect(out, { readonly: true });
    try {
      return db.prepare(sql).all(...args) as T[];
    } finally {
      db.close();
    }
  };

  it('writes the Optuna 3.0 schema, version and alembic revision', async () => {
    expect(await exportOptuna(h.store, 'tiny', out)).toEqual({ studyName: 'tiny', trials: PLAN.length });
    expect(
      rows<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((r) => r.name),
    ).toEqual(TABLES);
    expect(rows('SELECT * FROM version_info')).toEqual([
      { version_info_id: 1, schema_version: 12, library_version: '3.0.0' },
    ]);
    expect(rows('SELECT version_num FROM alembic_version')).toEqual([{ version_num: 'v3.0.0.d' }]);
    const tv = rows<{ name: string; type: string }>("SELECT name, type FROM pragma_table_info('trial_values')");
    expect(tv).toContainEqual({ name: 'value_type', type: 'VARCHAR(7)' });
  });

  it('writes by default one single-objective study on the reward, with the search attributes', async () => {
    await exportOptuna(h.store, h.searchId, out);
    expect(rows('SELECT study_id, study_name FROM studies')).toEqual([{ study_id: 1, study_name: 'tiny' }]);
    expect(rows('SELECT direction, objective FROM study_directions ORDER BY objective')).toEqual([
      { direction: 'MAXIMIZE', objective: 0 },
    ]);
    const attrs = Object.fromEntries(
      rows<{ key: string; value_json: string }>('SELECT "key", value_json FROM study_user_attributes').map((r) => [
        r.key,
        JSON.parse(r.value_json),
      ]),
    );
    expect(attrs).toMatchObject({
      embnas_search_id: h.searchId,
      seed: 42,
      space_hash: 'hash-tiny',
      objectives: ['reward'],
    });
    // Trial 1's value is its reward (AUC 0.75 - 0.01), trial 4's (a cache hit) its AUC.
    const values = rows<{ number: number; value: number }>(
      'SELECT t.number, v.value FROM trial_values v JOIN trials t USING (trial_id) ORDER BY t.number',
    );
    expect(values).toEqual([
      { number: 0, value: 0.69 },
      { number: 1, value: 0.74 },
      { number: 3, value: 0.71 },
      { number: 4, value: 0.8 },
    ]);
  });

  it("writes each trial's valid AUC per epoch as intermediate values of a single-objective study", async () => {
    await exportOptuna(h.store, 'tiny', out);
    const iv = rows<{ number: number; step: number; intermediate_value: number; intermediate_value_type: string }>(
      'SELECT t.number, i.step, i.intermediate_value, i.intermediate_value_type FROM trial_intermediate_values i JOIN trials t USING (trial_id) ORDER BY t.number, i.step',
    );
    expect(
      iv.filter((r) => r.number === 1).map((r) => [r.step, r.intermediate_value, r.intermediate_value_type]),
    ).toEqual([
      [0, 0.73, 'FINITE'],
      [1, 0.75, 'FINITE'],
    ]);
    expect([...new Set(iv.map((r) => r.number))]).toEqual([0, 1, 3, 4]);
  });

  it('with objectives auc,memory: a two-objective study, without intermediate values', async () => {
    await exportOptuna(h.store, 'tiny', out, parseObjectives('auc,memory'));
    expect(rows('SELECT direction, objective FROM study_directions ORDER BY objective')).toEqual([
      { direction: 'MAXIMIZE', objective: 0 },
      { direction: 'MINIMIZE', objective: 1 },
    ]);
    const attrs = Object.fromEntries(
      rows<{ key: string; value_json: string }>('SELECT "key", value_json FROM study_user_attributes').map((r) => [
        r.key,
        JSON.parse(r.value_json),
      ]),
    );
    expect(attrs.objectives).toEqual(['valid_auc', 'memory_bytes']);
    const values = rows(
      'SELECT objective, value, value_type FROM trial_values v JOIN trials t USING (trial_id) WHERE t.number = 1 ORDER BY objective',
    );
    expect(values).toEqual([
      { objective: 0, value: 0.75, value_type: 'FINITE' },
      { objective: 1, value: 3000, value_type: 'FINITE' },
    ]);
    expect(rows('SELECT * FROM trial_intermediate_values')).toEqual([]);
  });

  it('with objective memory alone: minimize bytes, and no per-epoch AUC as intermediate values', async () => {
    await exportOptuna(h.store, 'tiny', out, parseObjectives('memory'));
    expect(rows('SELECT direction FROM study_directions')).toEqual([{ direction: 'MINIMIZE' }]);
    expect(rows('SELECT * FROM trial_intermediate_values')).toEqual([]);
  });

  it('parses --objectives lists', async () => {
    expect(parseObjectives('reward')).toEqual(['reward']);
    expect(parseObjectives(' auc , memory ')).toEqual(['auc', 'memory']);
    for (const bad of ['', 'auc,auc', 'loss'])
      expect(isUsageError(catchError(() => parseObjectives(bad))), bad).toBe(true);
    expect((catchError(() => parseObjectives('loss')) as UsageError).toLine()).toMatch(
      /unknown objective "loss" — give a comma-separated list of reward, auc, memory/,
    );
  });

  it('writes trials in number order with states, values, params and timestamps', async () => {
    await exportOptuna(h.store, 'tiny', out);
    const trials = rows<{
      trial_id: number;
      number: number;
      state: string;
      datetime_start: string | null;
      datetime_complete: string | null;
    }>('SELECT * FROM trials ORDER BY number');
    expect(trials.map((t) => t.state)).toEqual([
      'COMPLETE',
      'COMPLETE',
      'FAIL',
      'COMPLETE',
      'COMPLETE',
      'WAITING',
      'WAITING',
    ]);
    expect(trials.map((t) => t.number)).toEqual(PLAN.map((p) => p.number));
    const t1 = h.store.core.getTrial(h.searchId, 1)!;
    expect(trials[1].datetime_start).toBe(sqliteDateTime(t1.startedAt!));
    expect(trials[1].datetime_complete).toBe(sqliteDateTime(t1.finishedAt!));
    expect(trials[5]).toMatchObject({ datetime_start: null, datetime_complete: null });

    expect(
      rows('SELECT objective, value, value_type FROM trial_values WHERE trial_id = ?', trials[1].trial_id),
    ).toEqual([{ objective: 0, value: 0.74, value_type: 'FINITE' }]);
    expect(rows('SELECT * FROM trial_values WHERE trial_id = ?', trials[2].trial_id)).toEqual([]);

    // Trial 1: user dim 4 → index 2 of [0, 2, 4, 8]; item dim 16 → index 1 of its override [4, 16, 32].
    const paramsOf = (trialId: number) =>
      rows<{ param_name: string; param_value: number; distribution_json: string }>(
        'SELECT param_name, param_value, distribution_json FROM trial_params WHERE trial_id = ? ORDER BY param_id',
        trialId,
      );
    const params = paramsOf(trials[1].trial_id);
    expect(params.map((p) => [p.param_name, p.param_value])).toEqual([
      ['dim_user', 2],
      ['alpha_user', 2],
      ['dim_item', 1],
      ['alpha_item', 0],
      ['dim_ctx', 1],
      ['alpha_ctx', 1],
    ]);
    expect(params[2].distribution_json).toBe(
      '{"name": "CategoricalDistribution", "attributes": {"choices": [4, 16, 32]}}',
    );
    expect(params[1].distribution_json).toBe(
      '{"name": "CategoricalDistribution", "attributes": {"choices": [0, 1e-05, 0.001]}}',
    );
    // Trial 0 drops ctx (dim 0): no alpha_ctx; trial 5 drops user: no alpha_user.
    expect(paramsOf(trials[0].trial_id).map((p) => p.param_name)).toEqual([
      'dim_user',
      'alpha_user',
      'dim_item',
      'alpha_item',
      'dim_ctx',
    ]);
    expect(paramsOf(trials[5].trial_id).map((p) => p.param_name)).toEqual([
      'dim_user',
      'dim_item',
      'alpha_item',
      'dim_ctx',
      'alpha_ctx',
    ]);
    expect(rows('SELECT typeof(param_value) AS t FROM trial_params GROUP BY 1')).toEqual([{ t: 'real' }]);
  });

  it('keeps embnas metrics and errors as trial user attributes', async () => {
    await exportOptuna(h.store, 'tiny', out);
    const attrsOf = (number: number) =>
      Object.fromEntries(
        rows<{ key: string; value_json: string }>(
          'SELECT a."key", a.value_json FROM trial_user_attributes a JOIN trials t USING (trial_id) WHERE t.number = ?',
          number,
        ).map((r) => [r.key, JSON.parse(r.value_json)]),
      );
    expect(attrsOf(4)).toMatchObject({
      embnas_trial: 4,
      reward: 0.8,
      valid_auc: 0.8,
      memory_bytes: 8000,
      cache_hit: true,
      valid_logloss: 0.48,
      wall_seconds: 2.5,
    });
    expect(attrsOf(1)).toMatchObject({ cache_hit: false, valid_auc_by_epoch: [0.73, 0.75] });
    expect(attrsOf(2)).toEqual({ embnas_trial: 2, error: 'out of memory: ünïcode ✓' });
    expect(attrsOf(5)).toEqual({ embnas_trial: 5, embnas_status: 'running' });
    expect(attrsOf(6)).toEqual({ embnas_trial: 6, embnas_status: 'queued' });
  });

  it('refuses to overwrite an existing file', async () => {
    writeFileSync(out, 'precious');
    const err = await catchErrorAsync(() => exportOptuna(h.store, 'tiny', out));
    expect(isUsageError(err)).toBe(true);
    expect((err as UsageError).toLine()).toBe(`${out} already exists — choose another --out or delete it`);
    expect(readFileSync(out, 'utf8')).toBe('precious');
  });

  it('leaves no file behind when the search cannot be exported', async () => {
    expect(isUsageError(await catchErrorAsync(() => exportOptuna(h.store, 'nope', out)))).toBe(true);
    const bad = mismatchedSearch(h.store);
    const err = await catchErrorAsync(() => exportOptuna(h.store, bad, out));
    expect((err as UsageError).message).toMatch(
      /trial 0: dim_a = 3 is not among the stored space's candidates \[0, 2\]/,
    );
    expect(existsSync(out)).toBe(false);
  });
});

async function catchErrorAsync(f: () => Promise<unknown>): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

/** A search whose trial uses a dim its stored space does not offer. */
function mismatchedSearch(store: SqliteTrialStore): number {
  const spaceText = 'data: { format: synthetic }\nfeatures: { dims: [0, 2] }\nreward: { budgetMB: 1 }\n';
  const s = store.core.createSearch({
    name: 'odd',
    spacePath: 'odd.yaml',
    spaceText,
    spaceHash: 'h',
    seed: 1,
    trialsBudget: 1,
  });
  const config = {
    fields: [{ name: 'a', dim: 3, normAlpha: 0 }],
    tower: [],
    optimizer: 'adam' as const,
    lr: 0.01,
    batchSize: 8,
    epochs: 1,
    patience: 1,
    seed: 1,
  };
  store.core.enqueueTrials(s.id, [{ number: 0, config, seed: 1 }]);
  return s.id;
}
