/**
 * The Optuna export read by Optuna itself (Debian's python3-optuna, 3.1, whose schema head is the same v3.0.0.d as
 * 3.0): load_study, best_trial and its intermediate values (the default single-objective study on the reward),
 * best_trials (`--objectives auc,memory`), the `optuna best-trial(s)` commands, the schema compared with a file Optuna
 * creates, and `study.optimize` running the WAITING trials with their stored parameters. Skipped when Optuna is not
 * installed (a failure in CI: test/require.ts).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOptuna, parseObjectives } from '../../src/export/optuna/index.js';
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

/**
 * argv: exported file, study name, a file for Optuna to create, a copy of the export that optimize may change.
 * Prints what Optuna sees, as JSON.
 */
const READ_STUDY = `
import json, sqlite3, sys
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
exported, name, fresh, scratch = sys.argv[1:5]
url = "sqlite:///" + exported
study = optuna.load_study(study_name=name, storage=url)
multi = len(study.directions) > 1
def trial(t):
    return {"number": t.number, "state": t.state.name, "values": t.values, "params": t.params,
            "choices": {k: list(d.choices) for k, d in t.distributions.items()},
            "user_attrs": t.user_attrs,
            "intermediate": sorted([step, v] for step, v in t.intermediate_values.items()),
            "start_ms": t.datetime_start.timestamp() * 1000 if t.datetime_start else None,
            "complete_ms": t.datetime_complete.timestamp() * 1000 if t.datetime_complete else None}
optuna.create_study(storage="sqlite:///" + fresh, study_name="fresh", directions=[d.name.lower() for d in study.directions])
def schema(f):
    return sorted(sqlite3.connect(f).execute("SELECT type, name, sql FROM sqlite_master").fetchall())
def revision(f):
    return sqlite3.connect(f).execute("SELECT version_num FROM alembic_version").fetchall()
same_schema = schema(exported) == schema(fresh) and revision(exported) == revision(fresh)
waiting = optuna.load_study(study_name=name, storage="sqlite:///" + scratch)
def objective(t):
    for f in ${JSON.stringify(FIELDS)}:
        t.suggest_categorical("dim_" + f, waiting.trials[0].distributions["dim_" + f].choices)
    return (0.5, 1.0) if multi else 0.5
waiting.optimize(objective, n_trials=2)
ran = [{"number": t.number, "state": t.state.name, "params": t.params} for t in waiting.trials if t.number >= 5]
best = None if multi else {"number": study.best_trial.number, "value": study.best_value, "params": study.best_params,
                           "intermediate": sorted([s, v] for s, v in study.best_trial.intermediate_values.items())}
print(json.dumps({"version": optuna.__version__, "directions": [d.name for d in study.directions],
    "user_attrs": study.user_attrs, "trials": [trial(t) for t in study.trials],
    "best_trials": sorted(t.number for t in study.best_trials), "best": best, "same_schema": same_schema, "ran": ran}))
`;

interface Seen {
  version: string;
  directions: string[];
  user_attrs: Record<string, unknown>;
  trials: {
    number: number;
    state: string;
    values: number[] | null;
    params: Record<string, number>;
    choices: Record<string, number[]>;
    user_attrs: Record<string, unknown>;
    intermediate: [number, number][];
    start_ms: number | null;
    complete_ms: number | null;
  }[];
  best_trials: number[];
  best: { number: number; value: number; params: Record<string, number>; intermediate: [number, number][] } | null;
  same_schema: boolean;
  ran: { number: number; state: string; params: Record<string, number> }[];
}

describe.skipIf(!hasOptuna)('Optuna reads the export', () => {
  let h: ReturnType<typeof tinySearchStore>;
  /** The default export (one objective: the reward) and the `--objectives auc,memory` one. */
  let rewardFile: string;
  let paretoFile: string;
  let reward: Seen;
  let pareto: Seen;

  const read = (file: string, tag: string): Seen => {
    const scratch = path.join(h.dir, `${tag}-scratch.db`);
    copyFileSync(file, scratch);
    const py = spawnSync(PYTHON, ['-c', READ_STUDY, file, 'tiny', path.join(h.dir, `${tag}-fresh.db`), scratch], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (py.status !== 0) throw new Error(`python failed (${py.status}): ${py.stderr}`);
    return JSON.parse(py.stdout) as Seen;
  };

  beforeAll(async () => {
    h = tinySearchStore();
    rewardFile = path.join(h.dir, 'reward.db');
    paretoFile = path.join(h.dir, 'pareto.db');
    await exportOptuna(h.store, 'tiny', rewardFile);
    await exportOptuna(h.store, 'tiny', paretoFile, parseObjectives('auc,memory'));
    reward = read(rewardFile, 'reward');
    pareto = read(paretoFile, 'pareto');
  }, 120_000);
  afterAll(() => h?.cleanup());

  it('loads a single-objective study on the reward whose schema is the one Optuna creates', async () => {
    expect(reward.version).toMatch(/^3\.[01]\./);
    expect(reward.same_schema).toBe(true);
    expect(reward.directions).toEqual(['MAXIMIZE']);
    expect(reward.user_attrs).toMatchObject({
      embnas_search_id: h.searchId,
      seed: 42,
      space_hash: 'hash-tiny',
      objectives: ['reward'],
    });
  });

  it("study.best_trial is embnas's best trial by reward, with its params and per-epoch valid AUC", () => {
    const best = h.store.core.listTrials(h.searchId, { status: 'completed', orderBy: 'reward' })[0];
    expect(reward.best).toEqual({
      number: best.number,
      value: best.reward,
      params: Object.fromEntries(
        best.config.fields.flatMap((f) => [
          [`dim_${f.name}`, f.dim],
          [`alpha_${f.name}`, f.normAlpha],
        ]),
      ),
      intermediate: best.result!.epochs.map((e) => [e.epoch, e.validAuc]),
    });
    expect(reward.best?.number).toBe(4);
  });

  it('every evaluated trial has its valid AUC per epoch as intermediate values; unevaluated ones have none', async () => {
    const stored = h.store.core.listTrials(h.searchId, { orderBy: 'number' });
    for (const [i, t] of reward.trials.entries()) {
      expect(t.intermediate, `trial ${t.number}`).toEqual(
        stored[i].result?.epochs.map((e) => [e.epoch, e.validAuc]) ?? [],
      );
    }
    expect(reward.trials[1].intermediate).toEqual([
      [0, 0.73],
      [1, 0.75],
    ]);
  });

  it('has every trial with its state, values, decoded params and timestamps', async () => {
    const stored = h.store.core.listTrials(h.searchId, { orderBy: 'number' });
    const expectedState = {
      completed: 'COMPLETE',
      failed: 'FAIL',
      running: 'WAITING',
      queued: 'WAITING',
      interrupted: 'WAITING',
    };
    for (const seen of [reward, pareto]) {
      expect(seen.trials.map((t) => t.number)).toEqual(stored.map((t) => t.number));
      expect(seen.trials.map((t) => t.state)).toEqual(stored.map((t) => expectedState[t.status]));
      for (const [i, t] of seen.trials.entries()) {
        const s = stored[i];
        const values = seen === reward ? [s.reward] : [s.result?.validAuc, s.result?.inferenceBytes];
        expect(t.values).toEqual(s.result ? values : null);
        for (const f of s.config.fields) {
          expect(t.params[`dim_${f.name}`]).toBe(f.dim);
          // A dropped field has no α parameter.
          expect(t.params[`alpha_${f.name}`]).toBe(f.dim === 0 ? undefined : f.normAlpha);
        }
        if (s.status === 'completed' || s.status === 'failed') {
          expect(t.start_ms).toBeCloseTo(s.startedAt ?? s.finishedAt!, 3);
          expect(t.complete_ms).toBeCloseTo(s.finishedAt!, 3);
        } else expect([t.start_ms, t.complete_ms]).toEqual([null, null]);
      }
    }
    expect(reward.trials[1].choices).toEqual({
      dim_user: [0, 2, 4, 8],
      alpha_user: [0, 1e-5, 1e-3],
      dim_item: [4, 16, 32],
      alpha_item: [0, 1e-5, 1e-3],
      dim_ctx: [0, 2, 4, 8],
      alpha_ctx: [0, 1e-5, 1e-3],
    });
    expect(Object.keys(reward.trials[0].params)).not.toContain('alpha_ctx');
    expect(reward.trials[4].user_attrs).toMatchObject({
      reward: 0.8,
      valid_auc: 0.8,
      memory_bytes: 8000,
      cache_hit: true,
      wall_seconds: 2.5,
    });
  });

  it("--objectives auc,memory: Optuna's best_trials are embnas's AUC × memory Pareto front", () => {
    expect(pareto.same_schema).toBe(true);
    expect(pareto.directions).toEqual(['MAXIMIZE', 'MINIMIZE']);
    expect(pareto.user_attrs).toMatchObject({ objectives: ['valid_auc', 'memory_bytes'] });
    const completed = h.store.core.listTrials(h.searchId, { status: 'completed' });
    const front = paretoFront(
      completed.map((t) => ({ id: t.number, auc: t.result!.validAuc, memoryBytes: t.result!.inferenceBytes })),
    );
    expect(pareto.best_trials).toEqual(front.map((p) => p.id).sort((a, b) => Number(a) - Number(b)));
    expect(pareto.best_trials).toEqual([0, 1, 4]);
    // Optuna refuses trial.report in a multi-objective study: the per-epoch AUCs stay a user attribute there.
    expect(pareto.trials.every((t) => t.intermediate.length === 0)).toBe(true);
    expect(pareto.trials[1].user_attrs.valid_auc_by_epoch).toEqual([0.73, 0.75]);
  });

  it('`optuna best-trial` and `optuna best-trials` print the same best', async () => {
    const cli = (command: string, file: string) => {
      const r = spawnSync(
        OPTUNA_CLI,
        [command, '--storage', `sqlite:///${file}`, '--study-name', 'tiny', '-f', 'json'],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as unknown;
    };
    expect(cli('best-trial', rewardFile)).toMatchObject({ number: 4, value: 0.8 });
    const rows = cli('best-trials', paretoFile) as { number: number; values: number[] }[];
    expect(rows.map((r) => r.number).sort()).toEqual([0, 1, 4]);
    expect(rows.find((r) => r.number === 1)?.values).toEqual([0.75, 3000]);
  }, 60_000);

  it('study.optimize runs the WAITING trials with their stored parameters', async () => {
    for (const seen of [reward, pareto]) {
      expect(seen.ran.map((t) => [t.number, t.state])).toEqual([
        [5, 'COMPLETE'],
        [6, 'COMPLETE'],
      ]);
      for (const t of seen.ran) {
        const plan = PLAN[t.number];
        FIELDS.forEach((f, i) => expect(t.params[`dim_${f}`]).toBe(plan.dims[i]));
      }
    }
  });
});
