/**
 * An embnas search seen as an Optuna study: what goes into each row, before any SQL.
 *
 * - Objectives (`--objectives`, a list of reward, auc, memory): by default one, the reward (MAXIMIZE), so that
 *   `study.best_trial` is embnas's best trial; `auc,memory` gives [valid AUC → MAXIMIZE, inference memory bytes →
 *   MINIMIZE], whose `best_trials` is the AUC × memory Pareto front embnas computes.
 * - Trials in embnas number order; Optuna numbers them 0, 1, 2... (the embnas number is kept as the user attribute
 *   `embnas_trial`; they coincide when the search's numbers have no gap).
 * - States: completed → COMPLETE (or FAIL when an objective is NaN, as Optuna's `tell` would do); failed → FAIL;
 *   queued, running and interrupted → WAITING: nobody runs them in the exported file, and WAITING is Optuna's state
 *   for a trial whose parameters are fixed but not yet evaluated (`study.optimize` on the file would evaluate them).
 * - Parameters: `dim_<field>` and `alpha_<field>`, CategoricalDistribution over the candidates of the search's stored
 *   space (features.dims / normBudgets, or the field's override under features.fields.<name>); the stored value is the
 *   index of the chosen candidate, which is how Optuna stores a categorical parameter. `mlet_<field>` likewise over
 *   features.mletFactors, only for a field whose MLET factor is searched (more than one candidate); `res_<field>` and
 *   `res_alpha_<field>` over features.resClusters and resNormBudgets, only when searched; `keep_<field>` over
 *   features.vocabKeep and `block<i>_<field>` (block i ≥ 1 of a multi-size field) over blockDims ∪ dims, likewise.
 *   A dropped field (dim 0) has only `dim_<field>`: its other settings train nothing, and a conditional parameter
 *   that was not used is absent, as in a define-by-run objective.
 * - Intermediate values (single-objective studies on the reward or AUC; Optuna 3.x refuses `trial.report` in a
 *   multi-objective study): the validation AUC after each epoch, step = epoch index from 0, for the learning-curve plots. Every study also
 *   keeps them in the user attribute `valid_auc_by_epoch`.
 */
import { UsageError } from '../../errors.js';
import { parseSpace } from '../../space/load-space.js';
import type { SearchRecord, TrialRecord } from '../../store/trial-store.js';
import {
  type CandidateLists,
  candidateLists,
  DECISION_SOURCES,
  fieldLists,
  type FieldLists,
} from '../../techniques/index.js';
import { pythonJsonDumps, sqliteDateTime, type PythonJsonValue } from './python-formats.js';

export type OptunaState = 'COMPLETE' | 'FAIL' | 'WAITING';
export type OptunaValueType = 'FINITE' | 'INF_POS' | 'INF_NEG';
export type OptunaIntermediateType = OptunaValueType | 'NAN';

export interface OptunaParamRow {
  name: string;
  /** Index of the chosen candidate in the distribution's choices. */
  value: number;
  distributionJson: string;
}

export interface OptunaTrialRow {
  number: number;
  state: OptunaState;
  datetimeStart: string | null;
  datetimeComplete: string | null;
  params: OptunaParamRow[];
  /** One per objective, for COMPLETE trials only. */
  values: { value: number | null; type: OptunaValueType }[];
  /** Valid AUC per epoch (step = epoch index), in a single-objective study on the reward or AUC only. */
  intermediate: { step: number; value: number | null; type: OptunaIntermediateType }[];
  /** key → value as JSON text. */
  userAttrs: [string, string][];
}

export interface OptunaStudyRows {
  name: string;
  directions: ('MAXIMIZE' | 'MINIMIZE')[];
  userAttrs: [string, string][];
  trials: OptunaTrialRow[];
}

/** What `--objectives` accepts, with the name each gets in the study and its direction. */
export const OBJECTIVE_SPECS = {
  reward: { name: 'reward', direction: 'MAXIMIZE' },
  auc: { name: 'valid_auc', direction: 'MAXIMIZE' },
  memory: { name: 'memory_bytes', direction: 'MINIMIZE' },
} as const;
export type ObjectiveKey = keyof typeof OBJECTIVE_SPECS;
export const DEFAULT_OBJECTIVES: readonly ObjectiveKey[] = ['reward'];

/** `--objectives auc,memory` → ['auc', 'memory']: a non-empty list of distinct keys of OBJECTIVE_SPECS. */
export function parseObjectives(text: string): ObjectiveKey[] {
  const keys = Object.keys(OBJECTIVE_SPECS);
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const hint = `a comma-separated list of ${keys.join(', ')}, e.g. reward (the default) or auc,memory`;
  if (list.length === 0) throw new UsageError('--objectives: empty list', `give ${hint}`);
  for (const o of list)
    if (!keys.includes(o)) throw new UsageError(`--objectives: unknown objective "${o}"`, `give ${hint}`);
  if (new Set(list).size !== list.length)
    throw new UsageError(`--objectives: "${text}" names an objective twice`, `give ${hint}`);
  return list as ObjectiveKey[];
}

export function optunaStudyRows(
  search: SearchRecord,
  trials: TrialRecord[],
  objectives: readonly ObjectiveKey[] = DEFAULT_OBJECTIVES,
): OptunaStudyRows {
  const candidates = trials.length > 0 ? candidatesOf(search) : undefined;
  return {
    name: search.name,
    directions: objectives.map((o) => OBJECTIVE_SPECS[o].direction),
    userAttrs: attrs({
      embnas_search_id: search.id,
      seed: search.seed,
      space_hash: search.spaceHash,
      space_path: search.spacePath,
      objectives: objectives.map((o) => OBJECTIVE_SPECS[o].name),
    }),
    trials: [...trials]
      .sort((a, b) => a.number - b.number)
      .map((t, i) => trialRow(search, t, i, candidates!, objectives)),
  };
}

function trialRow(
  search: SearchRecord,
  t: TrialRecord,
  number: number,
  candidates: Candidates,
  objectives: readonly ObjectiveKey[],
): OptunaTrialRow {
  const params = t.config.fields.flatMap((f) => {
    const c = candidates.of(f.name);
    const params: OptunaParamRow[] = [];
    // Every decision of the techniques (dim, alpha, then each technique's) that the space searches: the optional
    // ones only with more than one candidate. A dropped field trains nothing: it has only its dim.
    for (const d of DECISION_SOURCES) {
      if (f.dim === 0 && d.key !== 'dim') continue;
      const list = c[d.list] ?? [];
      if (!d.repeat) {
        if (d.optional && list.length <= 1) continue;
        params.push(param(search, t, `${d.param}_${f.name}`, list, d.value(f)));
      } else if (d.repeat.count(c) > 0 && list.length > 1) {
        // A repeated decision (block i ≥ 1 of a multi-size field): one parameter each, as its config has them.
        const choices = d.repeat.optunaChoices(c);
        d.repeat.values(f).forEach((v, i) => params.push(param(search, t, `${d.param}${i + 1}_${f.name}`, choices, v)));
      }
    }
    return params;
  });
  const start = t.startedAt ?? t.finishedAt ?? t.queuedAt;
  const finished = { datetimeStart: sqliteDateTime(start), datetimeComplete: sqliteDateTime(t.finishedAt ?? start) };
  if (t.status === 'completed' && t.result) {
    const r = t.result;
    const common = {
      embnas_trial: t.number,
      reward: t.reward,
      valid_auc: r.validAuc,
      memory_bytes: r.inferenceBytes,
      valid_logloss: r.validLogloss,
      cache_hit: t.cacheHit,
      wall_seconds: r.wallSeconds,
      training_bytes: r.trainingBytes,
      valid_auc_by_epoch: r.epochs.map((e) => e.validAuc),
      backend: r.backend,
    };
    // Per-epoch valid AUC tracks a reward or AUC objective; it means nothing to a memory-only study.
    const learning = objectives.length === 1 && objectives[0] !== 'memory';
    const intermediate = learning ? r.epochs.map((e) => ({ step: e.epoch, ...storedIntermediate(e.validAuc) })) : [];
    const raw = objectives.map((o) =>
      o === 'reward' ? (t.reward ?? NaN) : o === 'auc' ? r.validAuc : r.inferenceBytes,
    );
    const nan = objectives.find((_, i) => Number.isNaN(raw[i]));
    if (nan !== undefined) {
      const error = `${nan === 'auc' ? 'valid AUC' : OBJECTIVE_SPECS[nan].name} is NaN`;
      return {
        number,
        state: 'FAIL',
        ...finished,
        params,
        values: [],
        intermediate,
        userAttrs: attrs({ ...common, error }),
      };
    }
    return {
      number,
      state: 'COMPLETE',
      ...finished,
      params,
      values: raw.map(storedValue),
      intermediate,
      userAttrs: attrs(common),
    };
  }
  if (t.status === 'failed') {
    return {
      number,
      state: 'FAIL',
      ...finished,
      params,
      values: [],
      intermediate: [],
      userAttrs: attrs({ embnas_trial: t.number, error: t.error ?? '' }),
    };
  }
  const userAttrs = attrs({ embnas_trial: t.number, embnas_status: t.status });
  return {
    number,
    state: 'WAITING',
    datetimeStart: null,
    datetimeComplete: null,
    params,
    values: [],
    intermediate: [],
    userAttrs,
  };
}

function param(search: SearchRecord, t: TrialRecord, name: string, choices: number[], value: number): OptunaParamRow {
  const index = choices.indexOf(value);
  if (index < 0) {
    throw new UsageError(
      `search '${search.name}', trial ${t.number}: ${name} = ${value} is not among the stored space's candidates [${choices.join(', ')}]`,
      'the trial does not match the search space; export the search as csv or json instead',
    );
  }
  const distribution = { name: 'CategoricalDistribution', attributes: { choices } };
  return { name, value: index, distributionJson: pythonJsonDumps(distribution) };
}

/** Optuna's TrialIntermediateValueModel.intermediate_value_to_stored_repr: NaN and infinities as NULL plus a type. */
function storedIntermediate(v: number): { value: number | null; type: OptunaIntermediateType } {
  return Number.isNaN(v) ? { value: null, type: 'NAN' } : storedValue(v);
}

/** Optuna's TrialValueModel.value_to_stored_repr: infinities are stored as NULL plus a type. */
function storedValue(v: number): { value: number | null; type: OptunaValueType } {
  if (v === Infinity) return { value: null, type: 'INF_POS' };
  if (v === -Infinity) return { value: null, type: 'INF_NEG' };
  return { value: v, type: 'FINITE' };
}

function attrs(values: Record<string, PythonJsonValue>): [string, string][] {
  return Object.entries(values).map(([k, v]) => [k, pythonJsonDumps(v)]);
}

interface Candidates {
  of(field: string): FieldLists & CandidateLists;
}

function candidatesOf(search: SearchRecord): Candidates {
  const { features } = parseSpace(
    search.spaceText,
    `search '${search.name}' (space stored from ${search.spacePath})`,
  ).space;
  return {
    // The field's lists with what a controller sees of them (e.g. the default candidate dims of later blocks).
    of: (field) => {
      const lists = fieldLists(features, field);
      return { ...lists, ...candidateLists(lists) };
    },
  };
}
