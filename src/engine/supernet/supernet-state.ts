/**
 * The weight-sharing supernet's exact training state as plain data, so a one-shot search killed mid-run resumes
 * from its last checkpoint and ends bit for bit where an uninterrupted run would. Everything that the next training
 * step reads is captured: the global step, per table its weights, rows' last-update steps (the norm decay's
 * staleness) and sparse optimizer state, and the tower's variables and tfjs optimizer state (../tower-state.ts).
 * The per-batch scratch (tower input, gathered ids, gradient sums) holds nothing between steps and is not.
 *
 * A state restores into a freshly built Supernet of the same spec and field rows, whatever its seed: every initial
 * value is overwritten. The spec is recorded in the meta and compared field by field, so a checkpoint of another
 * search is refused with an Error saying what differs instead of training on misfitted arrays.
 */
import { optimizerSlots } from '../sparse-optimizers.js';
import { decodeStateBlob, encodeStateBlob } from '../state-blob.js';
import type { TowerStateMeta } from '../tower-state.js';
import type { OptimizerName } from '../trial-config.js';
import type { Supernet } from './supernet.js';

export interface SupernetStateMeta {
  kind: 'supernet';
  step: number;
  optimizer: OptimizerName;
  lr: number;
  /** Hidden layer widths. */
  tower: number[];
  /** Per field as built; rows is 0 for a field without a table (maxDim 0). */
  fields: { name: string; rows: number; maxDim: number; maxNorm?: number }[];
  towerState: TowerStateMeta;
}

/**
 * `buffers`: per field that has a table, in field order, its weights (rows × maxDim), lastStep (Int32, rows) and
 * sparse optimizer arrays (Adam m, v; Adagrad accumulator); then the tower's buffers (TowerState.buffers).
 */
export interface SupernetState {
  meta: SupernetStateMeta;
  buffers: (Float32Array | Int32Array)[];
}

/** Copies of everything the next training step of `net` reads. */
export function captureSupernet(net: Supernet): SupernetState {
  const buffers: (Float32Array | Int32Array)[] = [];
  for (const t of net.tables)
    if (t) buffers.push(t.table.weights.slice(), t.lastStep.slice(), ...t.optimizer.getState());
  const tower = net.tower.captureState();
  buffers.push(...tower.buffers);
  const { spec } = net;
  const fields = spec.fields.map((f, i) => ({
    name: f.name,
    rows: net.tables[i]?.rows ?? 0,
    maxDim: f.maxDim,
    ...(f.maxNorm !== undefined && { maxNorm: f.maxNorm }),
  }));
  const { step } = net;
  return {
    meta: {
      kind: 'supernet',
      step,
      optimizer: spec.optimizer,
      lr: spec.lr,
      tower: [...spec.tower],
      fields,
      towerState: tower.meta,
    },
    buffers,
  };
}

/** Overwrites `net`'s training state with `state`; throws, before writing anything, when it was taken from another spec. */
export function restoreSupernet(net: Supernet, state: SupernetState): void {
  const { meta, buffers } = state;
  const unfit = (what: string): Error => new Error(`supernet state does not fit this supernet: ${what}`);
  if (meta?.kind !== 'supernet' || !Array.isArray(meta.fields) || !Array.isArray(meta.tower))
    throw unfit('not a supernet state');
  if (!(Number.isSafeInteger(meta.step) && meta.step >= 0)) throw unfit(`step ${meta.step}`);
  const { spec } = net;
  if (meta.optimizer !== spec.optimizer)
    throw unfit(`optimizer ${meta.optimizer} in the state, ${spec.optimizer} here`);
  if (meta.lr !== spec.lr) throw unfit(`lr ${meta.lr} in the state, ${spec.lr} here`);
  if (meta.tower.join(',') !== spec.tower.join(','))
    throw unfit(`tower [${meta.tower}] in the state, [${spec.tower}] here`);
  if (meta.fields.length !== spec.fields.length)
    throw unfit(`${meta.fields.length} fields in the state, ${spec.fields.length} here`);
  spec.fields.forEach((f, i) => {
    const s = meta.fields[i];
    const here = { name: f.name, rows: net.tables[i]?.rows ?? 0, maxDim: f.maxDim, maxNorm: f.maxNorm };
    for (const key of ['name', 'rows', 'maxDim', 'maxNorm'] as const) {
      if (s?.[key] !== here[key])
        throw unfit(`field ${i} (${f.name}): ${key} ${s?.[key]} in the state, ${here[key]} here`);
    }
  });
  // The tables' arrays: check all, then hand the rest to the tower, which checks its own before writing.
  const writes: (() => void)[] = [];
  let at = 0;
  const take = <T extends Float32Array | Int32Array>(type: new (n: number) => T, length: number, what: string): T => {
    const b = buffers[at++];
    if (!(b instanceof type) || b.length !== length) throw unfit(`${what} should be a ${type.name} of ${length}`);
    return b as T;
  };
  net.tables.forEach((t, i) => {
    if (!t) return;
    const name = spec.fields[i].name;
    const weights = take(Float32Array, t.rows * t.maxDim, `field ${name}'s weights`);
    const lastStep = take(Int32Array, t.rows, `field ${name}'s lastStep`);
    const slots = Array.from({ length: optimizerSlots(spec.optimizer) }, (_, k) =>
      take(Float32Array, t.rows * t.maxDim, `field ${name}'s optimizer array ${k}`),
    );
    writes.push(() => {
      t.table.weights.set(weights);
      t.lastStep.set(lastStep);
      t.optimizer.setState(slots);
    });
  });
  net.tower.restoreState({ meta: meta.towerState, buffers: buffers.slice(at) as Float32Array[] });
  for (const write of writes) write();
  net.step = meta.step;
}

/** `state` as one binary blob (../state-blob.ts). */
export function encodeSupernetState(state: SupernetState): Buffer {
  return encodeStateBlob(state.meta, state.buffers);
}

/** The state in a blob written by encodeSupernetState; throws on a truncated, corrupt or foreign blob. */
export function decodeSupernetState(buf: Uint8Array): SupernetState {
  const { meta, arrays } = decodeStateBlob(buf);
  if ((meta as Partial<SupernetStateMeta> | null)?.kind !== 'supernet')
    throw new Error('the state blob does not hold a supernet state');
  return { meta: meta as SupernetStateMeta, buffers: arrays };
}
