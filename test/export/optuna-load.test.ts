/**
 * The Optuna export read by Optuna itself (Debian's python3-optuna, 3.1, whose schema head is the same v3.0.0.d as
 * 3.0): load_study, best_trials, the `optuna best-trials` command, the schema compared with a file Optuna creates, and
 * `study.optimize` running the WAITING trials with their stored parameters. Skipped when Optuna is not installed (a
 * failure in CI: test/require.ts).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOptuna } from '../../src/export/optuna/index.js';
import { paretoFront } from '../../src/search/pareto.js';
import { requireOrSkip } from '../require.js';
import { FIELDS, PLAN, tinySearchStore } from './optuna-fixtures.js';

// Debian's package: the module for the system Python and its `optuna` command, the pair this file checks against.
const PYTHON = '/usr/bin/python3';
const OPTUNA_CLI = '/usr/bin/optuna';
const hasOptuna = requireOrSkip(
  spawnSync(PYTHON, ['-c', 'import optuna'], { stdio: 'ignore' }).status === 0 && existsSync(OPTUNA_CLI),
  `Optuna for ${PYTHON} with ${OPTUNA_CLI}`,
  'apt-get install python3-optuna',
);

/** argv: exported file, study name, a file for Optuna to create, a copy of the export that optimize may change. */
const READ_STUDY = `
import json, sqlite3, sys
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
exported, name, fresh, scratch = sys.argv[1:5]
url = "sqlite:///" + exported
study = optuna.load_study(study_name=name, storage=url)
def trial(t):
    return {"number": t.number, "state": t.state.name, "values": t.values, "params": t.params,
            "choices": {k: list(d.choices) for k, d in t.distributions.items()},
            "user_attrs": t.user_attrs,
            "start_ms": t.datetime_start.timestamp() * 1000 if t.datetime_start else None,
            "complete_ms": t.datetime_complete.timestamp() * 1000 if t.datetime_complete else None}
optuna.create_study(storage="sqlite:///" + fresh, study_name="fresh", directions=["maximize", "minimize"])
def schema(f):
    return sorted(sqlite3.connect(f).execute("SELECT type, name, sql FROM sqlite_master").fetchall())
def revision(f):
    return sqlite3.connect(f).execute("SELECT version_num FROM alembic_version").fetchall()
same_schema = schema(exported) == schema(fresh) and revision(exported) == revision(fresh)
waiting = optuna.load_study(study_name=name, storage="sqlite:///" + scratch)
def objective(t):
    for f in ${JSON.stringify(FIELDS)}:
        t.suggest_categorical("dim_" + f, waiting.trials[0].distributions["dim_" + f].choices)
    return 0.5, 1.0
waiting.optimize(objective, n_trials=2)
ran = [{"number": t.number, "state": t.state.name, "params": t.params} for t in waiting.trials if t.number >= 5]
print(json.dumps({"version": optuna.__version__, "directions": [d.name for d in study.directions],
    "user_attrs": study.user_attrs, "trials": [trial(t) for t in study.trials],
    "best": sorted(t.number for t in study.best_trials), "same_schema": same_schema, "ran": ran}))
`;

describe.skipIf(!hasOptuna)('Optuna reads the export', () => {
  let h: ReturnType<typeof tinySearchStore>;
  let out: string;
  let seen: {
    version: string;
    directions: string[];
    user_attrs: Record<string, unknown>;
    trials: { number: number; state: string; values: number[] | null; params: Record<string, number>; choices: Record<string, number[]>; user_attrs: Record<string, unknown>; start_ms: number | null; complete_ms: number | null }[];
    best: number[];
    same_schema: boolean;
    ran: { number: number; state: string; params: Record<string, number> }[];
  };

  beforeAll(() => {
    h = tinySearchStore();
    out = path.join(h.dir, 'study.db');
    exportOptuna(h.store, 'tiny', out);
    const scratch = path.join(h.dir, 'scratch.db');
    copyFileSync(out, scratch);
    const py = spawnSync(PYTHON, ['-c', READ_STUDY, out, 'tiny', path.join(h.dir, 'fresh.db'), scratch], { encoding: 'utf8', timeout: 60_000 });
    if (py.status !== 0) throw new Error(`python failed (${py.status}): ${py.stderr}`);
    seen = JSON.parse(py.stdout);
  }, 90_000);
  afterAll(() => h?.cleanup());

  it('loads one two-objective study whose schema is the one Optuna creates', () => {
    expect(seen.version).toMatch(/^3\.[01]\./);
    expect(seen.same_schema).toBe(true);
    expect(seen.directions).toEqual(['MAXIMIZE', 'MINIMIZE']);
    expect(seen.user_attrs).toMatchObject({ embnas_search_id: h.searchId, seed: 42, space_hash: 'hash-tiny' });
  });

  it('has every trial with its state, values, decoded params and timestamps', () => {
    const stored = h.store.listTrials(h.searchId, { orderBy: 'number' });
    expect(seen.trials.map((t) => t.number)).toEqual(stored.map((t) => t.number));
    const expectedState = { completed: 'COMPLETE', failed: 'FAIL', running: 'WAITING', queued: 'WAITING', interrupted: 'WAITING' };
    expect(seen.trials.map((t) => t.state)).toEqual(stored.map((t) => expectedState[t.status]));
    for (const [i, t] of seen.trials.entries()) {
      const s = stored[i];
      expect(t.values).toEqual(s.result ? [s.result.validAuc, s.result.inferenceBytes] : null);
      for (const f of s.config.fields) {
        expect(t.params[`dim_${f.name}`]).toBe(f.dim);
        expect(t.params[`alpha_${f.name}`]).toBe(f.normAlpha);
      }
      if (s.status === 'completed' || s.status === 'failed') {
        expect(t.start_ms).toBeCloseTo(s.startedAt ?? s.finishedAt!, 3);
        expect(t.complete_ms).toBeCloseTo(s.finishedAt!, 3);
      } else expect([t.start_ms, t.complete_ms]).toEqual([null, null]);
    }
    expect(seen.trials[0].choices).toEqual({
      dim_user: [0, 2, 4, 8], alpha_user: [0, 1e-5, 1e-3], dim_item: [4, 16, 32], alpha_item: [0, 1e-5, 1e-3], dim_ctx: [0, 2, 4, 8], alpha_ctx: [0, 1e-5, 1e-3],
    });
    expect(seen.trials[4].user_attrs).toMatchObject({ reward: 0.8, cache_hit: true, wall_seconds: 2.5 });
  });

  it("Optuna's best_trials are embnas's AUC × memory Pareto front", () => {
    const completed = h.store.listTrials(h.searchId, { status: 'completed' });
    const front = paretoFront(completed.map((t) => ({ id: t.number, auc: t.result!.validAuc, memoryBytes: t.result!.inferenceBytes })));
    expect(seen.best).toEqual(front.map((p) => p.id).sort((a, b) => Number(a) - Number(b)));
    expect(seen.best).toEqual([0, 1, 4]);
  });

  it('`optuna best-trials` lists the same front', () => {
    const cli = spawnSync(OPTUNA_CLI, ['best-trials', '--storage', `sqlite:///${out}`, '--study-name', 'tiny', '-f', 'json'], { encoding: 'utf8', timeout: 60_000 });
    expect(cli.status, cli.stderr).toBe(0);
    const rows = JSON.parse(cli.stdout) as { number: number; values: number[] }[];
    expect(rows.map((r) => r.number).sort()).toEqual([0, 1, 4]);
    expect(rows.find((r) => r.number === 1)?.values).toEqual([0.75, 3000]);
  }, 60_000);

  it('study.optimize runs the WAITING trials with their stored parameters', () => {
    expect(seen.ran.map((t) => [t.number, t.state])).toEqual([[5, 'COMPLETE'], [6, 'COMPLETE']]);
    for (const t of seen.ran) {
      const plan = PLAN[t.number];
      FIELDS.forEach((f, i) => expect(t.params[`dim_${f}`]).toBe(plan.dims[i]));
    }
  });
});
