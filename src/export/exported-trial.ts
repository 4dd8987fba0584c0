/**
 * What `embnas export` writes for a trial: everything a PyTorch or TensorFlow user needs to rebuild the model —
 * per feature its table rows, embedding size and norm budget, and the tower — plus the metrics it earned.
 * docs/export.md documents every key.
 */
import type { SearchRecord, TrialRecord, TrialStore } from '../store/trial-store.js';
import { CONFIG_KEYS, type TechniqueConfig } from '../techniques/index.js';

/**
 * A feature: 0 = dropped (then no other setting is written: normAlpha, maxNorm, techniques); else its norm α, its
 * row cap and each embedding technique's keys when set (src/techniques/, `configKeys`; docs/export.md).
 */
export type ExportedFeature = {
  name: string;
  /** Embedding-table rows: kept values (ids 0..kept-1 by descending frequency) + OOV row + missing row. */
  rows: number | null;
  kept: number | null;
  dim: number;
  normAlpha?: number;
  maxNorm?: number;
} & TechniqueConfig;

export interface ExportedTrial {
  format: 'embnas.trial/1';
  search: { id: number; name: string; seed: number; spaceHash: string; spacePath: string };
  trial: number;
  status: string;
  metrics: {
    validAuc: number | null;
    validLogloss: number | null;
    memoryBytes: number | null;
    trainingBytes: number | null;
    reward: number | null;
    bestEpoch: number | null;
  };
  features: ExportedFeature[];
  model: { tower: number[]; optimizer: string; lr: number; batchSize: number; epochs: number; seed: number };
}

export async function exportTrial(store: TrialStore, search: SearchRecord, trial: TrialRecord): Promise<ExportedTrial> {
  const tables = await fieldTables(store, search.id);
  const c = trial.config;
  return {
    format: 'embnas.trial/1',
    search: {
      id: search.id,
      name: search.name,
      seed: search.seed,
      spaceHash: search.spaceHash,
      spacePath: search.spacePath,
    },
    trial: trial.number,
    status: trial.status,
    metrics: {
      validAuc: trial.result?.validAuc ?? null,
      validLogloss: trial.result?.validLogloss ?? null,
      memoryBytes: trial.result?.inferenceBytes ?? null,
      trainingBytes: trial.result?.trainingBytes ?? null,
      reward: trial.reward,
      bestEpoch: trial.result ? trial.result.bestEpoch + 1 : null,
    },
    features: c.fields.map((f) => {
      const t = tables.get(f.name);
      const table = { name: f.name, rows: t?.rows ?? null, kept: t?.kept ?? null, dim: f.dim };
      // A dropped field trains nothing: its norm budget and technique settings would only mislead.
      if (f.dim === 0) return table;
      return {
        ...table,
        normAlpha: f.normAlpha,
        ...(f.maxNorm ? { maxNorm: f.maxNorm } : {}),
        // Each technique's keys, when set (src/techniques/, configKeys).
        ...Object.fromEntries(CONFIG_KEYS.filter((k) => f[k] !== undefined).map((k) => [k, f[k]])),
      };
    }),
    model: { tower: c.tower, optimizer: c.optimizer, lr: c.lr, batchSize: c.batchSize, epochs: c.epochs, seed: c.seed },
  };
}

async function fieldTables(store: TrialStore, searchId: number): Promise<Map<string, { rows: number; kept: number }>> {
  const ev = (await store.events(searchId)).filter((e) => e.kind === 'dataset').at(-1);
  const fields = (ev?.payload as { fields?: { name: string; rows: number; kept: number }[] } | undefined)?.fields ?? [];
  return new Map(fields.map((f) => [f.name, f]));
}
