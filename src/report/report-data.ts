/**
 * Everything `embnas report` shows, read from the store in one pass and kept as plain JSON: the HTML renderer only
 * lays it out and the browser only draws it, so what a report says is tested here, without either.
 */
import { exportTrial, type ExportedTrial } from '../export/exported-trial.js';
import { oneShotSummary, type ProxyRound } from '../search/oneshot/oneshot-summary.js';
import { rewardFormula, type RewardForm } from '../search/reward.js';
import { storedSpace } from '../search/start-flags.js';
import type { TrialCounts, TrialStore } from '../store/trial-store.js';
import { oneShotPolicy, snapshotPolicy, type FinalPolicy } from './final-policy.js';
import {
  bestSoFar,
  dimValues,
  paretoNumbers,
  topEpochCurves,
  trialPoints,
  type EpochCurve,
  type TrialPoint,
} from './trial-series.js';

/** Trials whose per-epoch validation AUC is drawn. */
export const TOP_CURVES = 5;

export interface ReportData {
  search: {
    id: number;
    name: string;
    status: string;
    spacePath: string;
    seed: number;
    controller: string;
    mode: string;
    trialsBudget: number;
    counts: TrialCounts;
    createdAt: number;
    finishedAt: number | null;
  };
  reward: { form: RewardForm; budgetBytes: number; lambda: number; formula: string };
  fields: string[];
  trials: TrialPoint[];
  /** Aligned with `trials`. */
  bestSoFar: (number | null)[];
  pareto: number[];
  dimValues: number[];
  epochCurves: EpochCurve[];
  /** The best trial by reward, as `embnas export` writes it; absent before any trial completed. */
  best?: ExportedTrial & { penalty: number | null };
  policy?: FinalPolicy;
  oneShot?: {
    steps: number;
    seconds: number;
    curve?: ProxyRound[];
    ranked: { auc: number; memoryBytes: number; reward: number; dims: string; argmax: boolean }[];
  };
  /** A synthetic dataset's planted true dim per field, from the search's dataset event. */
  plantedTruth?: { name: string; dim: number }[];
  generatedAt: number;
}

export async function collectReport(store: TrialStore, idOrName: string, now = Date.now()): Promise<ReportData> {
  const summary = await store.getSummary(idOrName);
  const label = `search '${summary.name}' (space stored from ${summary.spacePath})`;
  const space = await storedSpace(store, summary, label);
  const r = space.reward;
  const settings = { budgetBytes: r.budgetMB * 1e6, lambda: r.lambda };
  const all = await store.listTrials(summary.id, { orderBy: 'number' });
  const trials = trialPoints(all, r.form, settings);
  const fields = all[0]?.config.fields.map((f) => f.name) ?? (await datasetFields(store, summary.id));
  const oneShot = await oneShotSummary(store, summary.id);
  const bestTrial = (await store.listTrials(summary.id, { status: 'completed', orderBy: 'reward', limit: 1 }))[0];
  const bestPoint = bestTrial && trials.find((t) => t.number === bestTrial.number);
  const policy = oneShot
    ? oneShotPolicy(oneShot)
    : snapshotPolicy(space, fields, summary.seed, await store.latestSnapshot(summary.id), label);
  const { spaceText: _t, owner: _o, ...s } = summary;
  return {
    search: {
      id: s.id,
      name: s.name,
      status: s.status,
      spacePath: s.spacePath,
      seed: s.seed,
      controller: space.search.controller,
      mode: space.search.mode,
      trialsBudget: s.trialsBudget,
      counts: s.counts,
      createdAt: s.createdAt,
      finishedAt: s.finishedAt,
    },
    reward: { form: r.form, ...settings, formula: rewardFormula(r.form, r.budgetMB, r.lambda) },
    fields,
    trials,
    bestSoFar: bestSoFar(trials),
    pareto: paretoNumbers(trials),
    dimValues: dimValues(trials),
    epochCurves: topEpochCurves(all, TOP_CURVES),
    ...(bestTrial
      ? { best: { ...(await exportTrial(store, summary, bestTrial)), penalty: bestPoint?.penalty ?? null } }
      : {}),
    ...(policy ? { policy } : {}),
    ...(oneShot
      ? {
          oneShot: {
            steps: oneShot.steps,
            seconds: oneShot.seconds,
            ...(oneShot.curve ? { curve: oneShot.curve } : {}),
            ranked: oneShot.ranked.slice(0, 10).map((x) => ({
              auc: x.auc,
              memoryBytes: x.memoryBytes,
              reward: x.reward,
              argmax: x.argmax,
              dims: x.proposal.fields.map((f) => `${f.name}:${f.dim}`).join(' '),
            })),
          },
        }
      : {}),
    ...(await plantedTruth(store, summary.id)),
    generatedAt: now,
  };
}

async function plantedTruth(store: TrialStore, searchId: number): Promise<Pick<ReportData, 'plantedTruth'>> {
  const ev = (await store.events(searchId)).filter((e) => e.kind === 'dataset').at(-1);
  const truth = (ev?.payload as { truth?: { name: string; dim: number }[] } | undefined)?.truth;
  return truth ? { plantedTruth: truth } : {};
}

/** Field names from the search's dataset event, for a search without trials yet. */
async function datasetFields(store: TrialStore, searchId: number): Promise<string[]> {
  const ev = (await store.events(searchId)).filter((e) => e.kind === 'dataset').at(-1);
  return ((ev?.payload as { fields?: { name: string }[] } | undefined)?.fields ?? []).map((f) => f.name);
}
