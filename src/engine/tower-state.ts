/**
 * The dense tower's exact training state as plain arrays: its variables and its tfjs optimizer's slots, so a run
 * stopped at step k and restored from the arrays continues bit for bit as if it had never stopped.
 *
 * tfjs's own Optimizer.getWeights/setWeights cannot give that: Adam's setWeights recomputes its bias-correction
 * products as pow(β, iterations + 1), which in float32 differs in the last bits from the running product
 * accBeta ← accBeta·β that training accumulates (measured on wasm: from the 2nd step for β2 = 0.999, the 8th for
 * β1 = 0.9, and in most steps after). So this file reads and writes the optimizers' internal fields directly,
 * as laid out in the pinned @tensorflow/tfjs-core 4.22 (optimizers/adam_optimizer.js, adagrad_optimizer.js):
 * Adam's accumulatedFirstMoment[i].variable, accumulatedSecondMoment[i].variable, accBeta1, accBeta2, Adagrad's
 * accumulatedGrads[i].variable, and Optimizer.iterations_. Slot i belongs to the i-th key of the gradient map, which
 * TfjsTower keys by its variables' names, tfjs's integer ids, listed in ascending (creation) order: slot i is vars[i].
 * Slots exist only after the first step, so a state taken before it has none and restoring it leaves the optimizer
 * to create them as applyGradients does. A tfjs upgrade that changes these
 * fields fails the structural checks below (and test/engine/supernet-state.test.ts) instead of restoring wrongly.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from './trial-config.js';

export interface TowerStateMeta {
  optimizer: OptimizerName;
  /** Shape of each variable, in Tower.parameters() order (W0, b0, …). */
  shapes: number[][];
  /** Slot arrays per variable: Adam 2 (m, v), Adagrad 1 (accumulator); 0 before the optimizer's first step. */
  slots: number;
  /** tfjs's step counter, Optimizer.iterations. */
  iterations: number;
  /** Adam's running products of β1 and β2 (float32 values), which bias-correct its next step. */
  accBeta1?: number;
  accBeta2?: number;
}

/** Buffers: the variables' values, then (when slots > 0) slot s of every variable, for s = 0 … slots − 1. */
export interface TowerState {
  meta: TowerStateMeta;
  buffers: Float32Array[];
}

interface SlotVariable {
  originalName: string;
  variable: tf.Variable;
}

/** The tfjs-core 4.22 fields read here (private there). */
interface OptimizerInternals {
  iterations_?: number;
  accumulatedFirstMoment?: SlotVariable[];
  accumulatedSecondMoment?: SlotVariable[];
  accumulatedGrads?: SlotVariable[];
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
}

/** Suffixes applyGradients gives the slot variables' names, per slot list. */
const SUFFIXES: Record<OptimizerName, string[]> = { adam: ['m', 'v'], adagrad: ['accumulator'] };

export function captureTowerState(
  vars: readonly tf.Variable[],
  optimizer: tf.Optimizer,
  kind: OptimizerName,
): TowerState {
  const o = optimizer as unknown as OptimizerInternals;
  const lists = slotLists(o, kind, vars.length);
  const stepped = lists[0].length > 0;
  const read = (v: tf.Variable): Float32Array => (v.dataSync() as Float32Array).slice();
  const buffers = vars.map(read);
  if (stepped) for (const list of lists) buffers.push(...list.map((s) => read(s.variable)));
  const meta: TowerStateMeta = {
    optimizer: kind,
    shapes: vars.map((v) => [...v.shape]),
    slots: stepped ? lists.length : 0,
    iterations: o.iterations_ ?? 0,
  };
  if (kind === 'adam') [meta.accBeta1, meta.accBeta2] = [o.accBeta1!.dataSync()[0], o.accBeta2!.dataSync()[0]];
  return { meta, buffers };
}

/** Overwrites variables and optimizer state; checks everything before writing anything. Old slots are disposed. */
export function restoreTowerState(
  vars: readonly tf.Variable[],
  optimizer: tf.Optimizer,
  kind: OptimizerName,
  state: TowerState,
): void {
  const { meta, buffers } = state;
  const o = optimizer as unknown as OptimizerInternals;
  const lists = slotLists(o, kind, vars.length);
  const unfit = (what: string): Error => new Error(`tower state does not fit this tower: ${what}`);
  if (!Array.isArray(meta?.shapes) || !meta.shapes.every(Array.isArray) || !Array.isArray(buffers))
    throw unfit('malformed state');
  if (meta.optimizer !== kind) throw unfit(`optimizer ${meta.optimizer} in the state, ${kind} here`);
  const [saved, here] = [meta.shapes, vars.map((v) => v.shape)].map((l) => l.map((s) => s.join('×')).join(', '));
  if (saved !== here) throw unfit(`variables [${saved}] in the state, [${here}] here`);
  if (meta.slots !== 0 && meta.slots !== lists.length)
    throw unfit(`${meta.slots} slot arrays per variable, ${kind} has ${lists.length}`);
  if (!(Number.isSafeInteger(meta.iterations) && meta.iterations >= 0)) throw unfit(`iterations ${meta.iterations}`);
  if (kind === 'adam' && !(Number.isFinite(meta.accBeta1) && Number.isFinite(meta.accBeta2)))
    throw unfit('Adam state without accBeta1/accBeta2');
  if (buffers.length !== vars.length * (1 + meta.slots))
    throw unfit(`${buffers.length} arrays, expected ${vars.length * (1 + meta.slots)}`);
  buffers.forEach((b, j) => {
    const size = vars[j % vars.length].size;
    if (!(b instanceof Float32Array) || b.length !== size)
      throw unfit(`array ${j} should be a Float32Array of ${size}`);
  });
  // Copies: the cpu backend keeps a tensor's source array as its storage.
  tf.tidy(() => vars.forEach((v, i) => v.assign(tf.tensor(buffers[i].slice(), v.shape))));
  lists.forEach((list, s) => {
    tf.dispose(list.map((slot) => slot.variable));
    list.length = 0;
    if (meta.slots === 0) return;
    vars.forEach((v, i) => {
      const values = buffers[(1 + s) * vars.length + i].slice();
      // as applyGradients creates them: by index, not trainable
      list.push({
        originalName: `${v.name}/${SUFFIXES[kind][s]}`,
        variable: tf.tidy(() => tf.tensor(values, v.shape).variable(false)),
      });
    });
  });
  if (kind === 'adam') {
    tf.tidy(() => {
      o.accBeta1!.assign(tf.scalar(meta.accBeta1!));
      o.accBeta2!.assign(tf.scalar(meta.accBeta2!));
    });
  }
  o.iterations_ = meta.iterations;
}

/** The optimizer's slot lists in state order, after checking they are what tfjs-core 4.22 keeps. */
function slotLists(o: OptimizerInternals, kind: OptimizerName, count: number): SlotVariable[][] {
  const lists = kind === 'adam' ? [o.accumulatedFirstMoment, o.accumulatedSecondMoment] : [o.accumulatedGrads];
  const shaped =
    lists.every(
      (l) =>
        Array.isArray(l) &&
        (l.length === 0 || (l.length === count && l.every((s) => s?.variable instanceof tf.Variable))),
    ) &&
    lists.every((l) => l!.length === lists[0]!.length) &&
    (kind !== 'adam' || (o.accBeta1 instanceof tf.Variable && o.accBeta2 instanceof tf.Variable));
  if (!shaped)
    throw new Error(
      `the tfjs ${kind} optimizer's internal state is not laid out as tower-state.ts expects (tfjs-core 4.22)`,
    );
  return lists as SlotVariable[][];
}
