/**
 * A new embedding technique is one descriptor and its line in the registry (plus its engine half): this registers
 * the toy technique of toy-technique.ts through those two registry modules, as a real one would be, and checks that
 * the space schema, the decisions and every controller, proposal keys, trial configs, the engine's checks and memory,
 * the exports and the report pick it up — with no other file edited.
 */
import { describe, expect, it, vi } from 'vitest';
import { inferenceBytes, trainingBytes } from '../../src/engine/memory.js';
import type { TrialConfig } from '../../src/engine/trial-config.js';
import { validateConfig } from '../../src/engine/validate.js';
import { trialsCsv } from '../../src/export/csv.js';
import { optunaStudyRows } from '../../src/export/optuna/study-rows.js';
import { decisionsOf } from '../../src/controllers/decisions.js';
import { proposalKey } from '../../src/controllers/controller.js';
import { CONTROLLER_KINDS, createController } from '../../src/controllers/create-controller.js';
import { shortConfig } from '../../src/search/live-view.js';
import { fieldChoices, trialConfig } from '../../src/search/trial-plan.js';
import { parseSpace } from '../../src/space/load-space.js';
import { FeaturesSchema } from '../../src/space/schema.js';
import type { SearchRecord, TrialRecord } from '../../src/store/trial-store.js';
import { CONFIG_KEYS, describeTechniques, fileKeys, TECHNIQUES } from '../../src/techniques/index.js';
import { tinyDataset } from '../search/fake-trials.js';
import { thrownUsageError } from '../usage-error.js';

vi.mock('../../src/techniques/registry.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/techniques/registry.js')>();
  const { toy } = await import('./toy-technique.js');
  return { TECHNIQUES: [...real.TECHNIQUES, toy] };
});
vi.mock('../../src/engine/technique-engines.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/engine/technique-engines.js')>();
  const { toyEngine } = await import('./toy-engine.js');
  return { ...real, TECHNIQUE_ENGINES: { ...real.TECHNIQUE_ENGINES, toy: toyEngine } };
});

/** The toy's key is not in the real registry's types; the tests read and write it as the mocked registry makes it. */
type Toy = { buckets?: number };
const NAMES = ['user', 'item', 'noise'];
const SPACE_TEXT =
  'data: { format: synthetic }\n' +
  'features: { dims: [0, 4, 8], bucketCounts: [0, 16, 64], fields: { item: { bucketCounts: [32] }, noise: { bucketCounts: [0] } } }\n' +
  'reward: { budgetMB: 1 }\n';
const space = parseSpace(SPACE_TEXT, 'space.yaml').space;

const usageMessage = (f: () => unknown): string => thrownUsageError(f).message;

function config(fields: (TrialConfig['fields'][number] & Toy)[]): TrialConfig {
  return { fields, tower: [], optimizer: 'adam', lr: 0.01, batchSize: 8, epochs: 1, patience: 1, seed: 1 };
}

describe('a technique registered through the registry line', () => {
  it('is registered last, after the shipped ones', () => {
    expect(TECHNIQUES.map((t) => t.name)).toEqual(['plain', 'mlet', 'res', 'multi-size', 'toy']);
  });

  it('adds its keys to the space schema (defaults, per-field overrides) and to a train --config file', () => {
    expect((FeaturesSchema.parse({}) as Record<string, unknown>).bucketCounts).toEqual([0]);
    expect((space.features as Record<string, unknown>).bucketCounts).toEqual([0, 16, 64]);
    expect(() => parseSpace(SPACE_TEXT.replace('bucketCounts: [32]', 'bucketCounts: [1.5]'), 's.yaml')).toThrow();
    expect(Object.keys(fileKeys())).toContain('buckets');
    expect(CONFIG_KEYS.at(-1)).toBe('buckets');
  });

  it('its decision reaches the choices, the decisions and every controller', () => {
    const fields = fieldChoices(space, NAMES, 'space.yaml');
    expect(fields.map((f) => (f as Record<string, unknown>).bucketCounts)).toEqual([[0, 16, 64], [32], [0]]);
    const decisions = decisionsOf({ fields });
    expect(decisions.map((d) => `${d.field}.${d.key}`)).toEqual([
      'user.dim',
      'user.normAlpha',
      'user.buckets',
      'item.dim',
      'item.normAlpha',
      'noise.dim',
      'noise.normAlpha',
    ]);
    for (const kind of CONTROLLER_KINDS) {
      const c = createController(kind, { fields }, { seed: 2 });
      const seen = new Set(c.propose(12).map((p) => (p.fields[0] as Toy).buckets));
      expect(
        [...seen].every((b) => b !== undefined && [0, 16, 64].includes(b)),
        kind,
      ).toBe(true);
      if (kind !== 'uniform') expect(seen.size, kind).toBeGreaterThan(1);
    }
    const reinforce = createController('reinforce', { fields }, { seed: 2 });
    expect((reinforce.policy!()[0] as Record<string, unknown>).bucketCounts).toHaveLength(3);
  });

  it('its part of a proposal key, its trial config keys and its notation', () => {
    const proposal = {
      fields: [
        { name: 'user', dim: 8, normAlpha: 0, buckets: 64 },
        { name: 'item', dim: 4, normAlpha: 0 },
        { name: 'noise', dim: 4, normAlpha: 0 },
      ],
    };
    expect(proposalKey(proposal)).toBe('user:8:0:h64|item:4:0|noise:4:0');
    const c = trialConfig(proposal, space, 1);
    expect(c.fields.map((f) => (f as Toy).buckets)).toEqual([64, 32, undefined]);
    expect(shortConfig(c)).toBe('user:8/h64 item:4/h32 noise:4');
    expect(describeTechniques({ buckets: 64 } as object, { alpha: String })).toEqual(['hashed into 64 buckets']);
  });

  it("the engine's check refuses its wrong keys in its words, and a field it shares by the registry's one rule", () => {
    const dataset = tinyDataset();
    const fields = (user: Record<string, unknown>) =>
      config([
        { name: 'user', dim: 4, normAlpha: 0, ...user },
        { name: 'item', dim: 4, normAlpha: 0 },
        { name: 'noise', dim: 0, normAlpha: 0 },
      ]);
    expect(() => validateConfig(fields({ buckets: 16 }), dataset)).not.toThrow();
    expect(usageMessage(() => validateConfig(fields({ buckets: 1.5 }), dataset))).toBe(
      'fields[0].buckets (user) is 1.5',
    );
    expect(usageMessage(() => validateConfig(fields({ buckets: 16, mletFactor: 2 }), dataset))).toBe(
      'fields[0] (user) combines mletFactor with buckets',
    );
  });

  it('memory counts the rows its engine half says, for inference and training', () => {
    const rows = [1000, 500, 100];
    const plain = config(NAMES.map((name) => ({ name, dim: 4, normAlpha: 0 })));
    const hashed = config(plain.fields.map((f, i) => (i === 0 ? { ...f, buckets: 10 } : f)));
    expect(inferenceBytes(plain, rows) - inferenceBytes(hashed, rows)).toBe((1000 - 10) * 4 * 4);
    expect(trainingBytes(hashed, rows)).toBeLessThan(trainingBytes(plain, rows));
  });

  it('the CSV and the Optuna study carry its column and parameter', () => {
    const search: SearchRecord = {
      id: 1,
      name: 's',
      spacePath: 'space.yaml',
      spaceText: SPACE_TEXT,
      spaceHash: 'h',
      seed: 1,
      trialsBudget: 1,
      status: 'finished',
      owner: null,
      createdAt: 0,
      finishedAt: 1,
    };
    const trial: TrialRecord = {
      searchId: 1,
      number: 0,
      config: config([
        { name: 'user', dim: 8, normAlpha: 0, buckets: 64 },
        { name: 'item', dim: 4, normAlpha: 0, buckets: 32 },
        { name: 'noise', dim: 0, normAlpha: 0 },
      ]),
      configKey: 'k',
      seed: 1,
      status: 'queued',
      result: null,
      reward: null,
      cacheHit: false,
      error: null,
      attempts: 0,
      queuedAt: 0,
      startedAt: null,
      finishedAt: null,
      worker: null,
      progress: null,
      dispatched: false,
    };
    const [header, row] = trialsCsv([trial])
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    expect(header.slice(-3)).toEqual(['buckets_user', 'buckets_item', 'buckets_noise']);
    expect(row.slice(-3)).toEqual(['64', '32', '']);
    const params = optunaStudyRows(search, [trial]).trials[0].params;
    const buckets = params.find((p) => p.name === 'buckets_user')!;
    expect(buckets.value).toBe(2);
    expect(JSON.parse(buckets.distributionJson).attributes.choices).toEqual([0, 16, 64]);
    expect(params.some((p) => p.name === 'buckets_item')).toBe(false);
  });
});
