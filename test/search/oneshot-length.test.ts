/**
 * A one-shot supernet trains the epochs its space asks for, however small the data (oneshot-length.ts):
 *
 * 1. epochs become that many rows of training to the nearest batch, on large and small data alike;
 * 2. the search batches are spread over the rounds as evenly as whole batches allow, some rounds none;
 * 3. a phase trains exactly its planned steps, and reports them as epochs of the train split (started, summary);
 * 4. a checkpoint of the first version (batches per round) resumes on its own schedule, ending as it would have.
 */
import { describe, expect, it } from 'vitest';
import { createController } from '../../src/controllers/create-controller.js';
import { controllerOptions } from '../../src/controllers/registry.js';
import { encodeCheckpoint, type OneShotCheckpoint } from '../../src/search/oneshot/oneshot-checkpoint.js';
import { epochsLabel, oneShotFromSpace, roundBatches } from '../../src/search/oneshot/oneshot-length.js';
import { ONESHOT_REINFORCE } from '../../src/search/oneshot/oneshot-options.js';
import { runOneShotPhase } from '../../src/search/oneshot/oneshot-phase.js';
import { proxyCurve } from '../../src/search/oneshot/oneshot-summary.js';
import { OneShotSearch } from '../../src/search/oneshot/oneshot-search.js';
import { searchChoices } from '../../src/search/trial-plan.js';
import { parseSpace } from '../../src/space/load-space.js';
import type { TrialStore } from '../../src/store/trial-store.js';
import { plantedDataset } from '../engine/fixtures.js';

const data = plantedDataset({ rows: 3000, informative: 2, noise: 2, cardinality: 20, seed: 4 }); // 2,400 train rows
const space = parseSpace(
  'data: { format: synthetic }\nfeatures: { dims: [0, 2, 4], normBudgets: [0] }\n' +
    'model: { tower: [8], batchSize: 128, lr: 0.02 }\nreward: { form: hinge, budgetMB: 0.0008, lambda: 0.05 }\n' +
    'search: { mode: oneshot, finalists: 2, seed: 9, oneshot: { epochs: 2, warmupEpochs: 0.5, rounds: 30,\n' +
    '  scoreSamples: 3, windowRows: 200, rescore: 4, refine: 4 } }\n',
  'space.yaml',
).space;
const choices = searchChoices(space, data, 'space.yaml');
const { checkpointSeconds: _c, ...own } = space.search.oneshot;

/** The store calls a phase makes, in memory, starting from `payload` as its checkpoint. */
function memoryStore(payload?: Uint8Array): TrialStore {
  let checkpoint = payload && { searchId: 1, step: 0, payload, createdAt: '' };
  const events: { kind: string; payload: unknown }[] = [];
  return {
    events: async () => events,
    appendEvent: async (_s: number, kind: string, p: unknown) => events.push({ kind, payload: p }),
    latestCheckpoint: async () => checkpoint,
    saveCheckpoint: async (_s: number, c: { step: number; payload: Uint8Array }) =>
      void (checkpoint = { ...c, searchId: 1, createdAt: '' }),
    deleteCheckpoint: async () => void (checkpoint = undefined),
  } as unknown as TrialStore;
}

const phase = (store: TrialStore, started?: (at: number, total: number, epochs: number) => void) =>
  runOneShotPhase({
    store,
    searchId: 1,
    seed: 9,
    space,
    dataset: data,
    choices,
    spaceLabel: 'space.yaml',
    started,
    shouldStop: () => false,
    isPaused: () => false,
  });

describe('one-shot supernet length', () => {
  it('1: turns epochs into rows of training to the nearest batch, on small data too', () => {
    // 28,000 rows of 512: 4 epochs are 218.75 batches → 219, the first 55 (1 epoch) the warm-up.
    expect(oneShotFromSpace({}, 28_000, 512)).toMatchObject({ warmupBatches: 55, searchBatches: 164, rounds: 100 });
    // 1,000 rows of 100, 100 rounds: 40 batches, not one per round (110) as before.
    expect(oneShotFromSpace({}, 1000, 100)).toMatchObject({ warmupBatches: 10, searchBatches: 30 });
    expect(oneShotFromSpace({ epochs: 2, warmupEpochs: 0.5, rounds: 10 }, 1000, 100)).toMatchObject({
      warmupBatches: 5,
      searchBatches: 15,
    });
    // A split smaller than a batch is one step an epoch; all warm-up when warmupEpochs ≥ epochs.
    expect(oneShotFromSpace({ epochs: 3 }, 300, 512)).toMatchObject({ warmupBatches: 1, searchBatches: 2 });
    expect(oneShotFromSpace({ epochs: 1, warmupEpochs: 2 }, 1000, 100)).toMatchObject({
      warmupBatches: 10,
      searchBatches: 0,
    });
    expect([4, 1, 7.985, 0.5].map(epochsLabel)).toEqual(['4 epochs', '1 epoch', '7.99 epochs', '0.5 epochs']);
  });

  it('2: spreads the search batches over the rounds as evenly as whole batches allow', () => {
    for (const [searchBatches, rounds] of [
      [164, 100],
      [30, 100],
      [200, 100],
      [7, 3],
      [0, 5],
    ]) {
      const counts = Array.from({ length: rounds }, (_, r) => roundBatches({ searchBatches, rounds }, r));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(searchBatches);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
    expect(roundBatches({ searchBatches: 30, rounds: 100 }, 0)).toBe(0); // a round may train nothing
  });

  it('3: trains exactly its planned steps and reports them as epochs of the train split', async () => {
    let plan: number[] = [];
    const summary = (await phase(memoryStore(), (at, total, epochs) => (plan = [at, total, epochs])))!;
    // 2 epochs of 2,400 rows in batches of 128: 37.5 → 38 steps (one per round would have made 19 + 30 = 49).
    expect(plan).toEqual([0, 38, (38 * 128) / 2400]);
    expect(summary.steps).toBe(38);
    expect(summary.epochs).toBeCloseTo(2, 1);
  });

  it('4: resumes a first-version checkpoint on the schedule it was taken under', async () => {
    const old = { ...oneShotFromSpace(own, 2400, 128), warmupBatches: 10, searchBatches: 2 * 30 }; // 2 per round
    const build = () => {
      const kind = space.search.controller;
      const options = controllerOptions(kind, { ...space.search, seed: 9 }, { reinforce: ONESHOT_REINFORCE });
      const controller = createController(kind, choices, options);
      return OneShotSearch.create(space, data, choices, controller, { ...old, seed: 9 });
    };
    const whole = await build();
    const want = (await whole.run())!;
    whole.dispose();
    const first = await build();
    let units = 0;
    let saved: OneShotCheckpoint | undefined;
    await first.run({ checkpoint: (c) => void (saved = c), shouldStop: () => ++units >= 20 });
    first.dispose();
    const summary = (await phase(memoryStore(asVersion1(encodeCheckpoint(saved!)))))!;
    expect(summary.steps).toBe(70); // the new plan of this space is 38
    expect(summary.curve).toEqual(proxyCurve(want.history));
    expect(summary.ranked).toEqual(want.ranked.slice(0, 2 * 4)); // the finalists and the ranks kept after them
  });
});

/** The bytes an earlier embnas wrote for the same state: magic EMBNOS01, `trainBatches` per round in the options. */
function asVersion1(bytes: Uint8Array): Uint8Array {
  const buf = Buffer.from(bytes);
  const length = buf.readUInt32LE(8);
  const header = JSON.parse(buf.toString('utf8', 12, 12 + length));
  const { rounds } = header.options;
  header.options = Object.fromEntries(
    Object.entries(header.options).map(([k, v]) =>
      k === 'searchBatches' ? ['trainBatches', (v as number) / rounds] : [k, v],
    ),
  );
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const head = Buffer.alloc(12);
  head.write('EMBNOS01', 0, 'latin1');
  head.writeUInt32LE(json.length, 8);
  return new Uint8Array(Buffer.concat([head, json, buf.subarray(12 + length)]));
}
