/**
 * Adam and Adagrad for the native tower, with tfjs's arithmetic (its float32 constants, its order of operations, its
 * running products of β1 and β2) and its state layout (tower-state.ts), so a tower trained on one backend resumes on
 * the other. The updates themselves run in the addon (native/src/kernels.cc).
 */
import type { NativeKernels } from './native-addon.js';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from './sparse-optimizers.js';
import type { TowerState, TowerStateMeta } from './tower-state.js';
import type { OptimizerName } from './trial-config.js';

/** tfjs's backend epsilon for float32, which its Adagrad adds under the square root. */
const ADAGRAD_EPSILON = 1e-7;
const f32 = Math.fround;

export class NativeOptimizer {
  /** Slot arrays per parameter: Adam [m, v], Adagrad [accumulator]; empty before the first step (as in tfjs). */
  private slots: Float32Array[][] = [];
  private iterations = 0;
  private accBeta1 = f32(ADAM_BETA1);
  private accBeta2 = f32(ADAM_BETA2);

  constructor(
    private readonly kernels: NativeKernels,
    readonly kind: OptimizerName,
    private readonly lr: number,
  ) {}

  /** One step on every parameter with its gradient (same order). */
  apply(params: Float32Array[], grads: Float32Array[]): void {
    const k = this.kernels;
    if (this.slots.length === 0)
      this.slots = Array.from({ length: this.kind === 'adam' ? 2 : 1 }, () =>
        params.map((p) => new Float32Array(p.length)),
      );
    if (this.kind === 'adam') {
      const [c1, c2] = [f32(1 - this.accBeta1), f32(1 - this.accBeta2)];
      const [m, v] = this.slots;
      params.forEach((p, i) =>
        k.adam(
          p,
          grads[i],
          m[i],
          v[i],
          this.lr,
          ADAM_BETA1,
          ADAM_BETA2,
          1 - ADAM_BETA1,
          1 - ADAM_BETA2,
          ADAM_EPSILON,
          c1,
          c2,
        ),
      );
      this.accBeta1 = f32(this.accBeta1 * f32(ADAM_BETA1));
      this.accBeta2 = f32(this.accBeta2 * f32(ADAM_BETA2));
    } else {
      params.forEach((p, i) => k.adagrad(p, grads[i], this.slots[0][i], this.lr, ADAGRAD_EPSILON));
    }
    this.iterations++;
  }

  /** The state of parameters `params` and of this optimizer, as copies. */
  capture(params: Float32Array[], shapes: number[][]): TowerState {
    const meta: TowerStateMeta = {
      optimizer: this.kind,
      shapes,
      slots: this.slots.length,
      iterations: this.iterations,
    };
    if (this.kind === 'adam') [meta.accBeta1, meta.accBeta2] = [this.accBeta1, this.accBeta2];
    return { meta, buffers: [...params, ...this.slots.flat()].map((b) => b.slice()) };
  }

  /** Overwrites `params` and this optimizer's state; checks everything before writing anything. */
  restore(params: Float32Array[], shapes: number[][], state: TowerState): void {
    const { meta, buffers } = state;
    const unfit = (what: string): Error => new Error(`tower state does not fit this tower: ${what}`);
    if (!Array.isArray(meta?.shapes) || !meta.shapes.every(Array.isArray) || !Array.isArray(buffers))
      throw unfit('malformed state');
    if (meta.optimizer !== this.kind) throw unfit(`optimizer ${meta.optimizer} in the state, ${this.kind} here`);
    const [saved, here] = [meta.shapes, shapes].map((l) => l.map((s) => s.join('×')).join(', '));
    if (saved !== here) throw unfit(`variables [${saved}] in the state, [${here}] here`);
    const slotCount = this.kind === 'adam' ? 2 : 1;
    if (meta.slots !== 0 && meta.slots !== slotCount)
      throw unfit(`${meta.slots} slot arrays per variable, ${this.kind} has ${slotCount}`);
    if (!(Number.isSafeInteger(meta.iterations) && meta.iterations >= 0)) throw unfit(`iterations ${meta.iterations}`);
    if (this.kind === 'adam' && !(Number.isFinite(meta.accBeta1) && Number.isFinite(meta.accBeta2)))
      throw unfit('Adam state without accBeta1/accBeta2');
    if (buffers.length !== params.length * (1 + meta.slots))
      throw unfit(`${buffers.length} arrays, expected ${params.length * (1 + meta.slots)}`);
    buffers.forEach((b, j) => {
      const size = params[j % params.length].length;
      if (!(b instanceof Float32Array) || b.length !== size)
        throw unfit(`array ${j} should be a Float32Array of ${size}`);
    });
    params.forEach((p, i) => p.set(buffers[i]));
    this.slots = Array.from({ length: meta.slots }, (_, s) =>
      params.map((_p, i) => buffers[(1 + s) * params.length + i].slice()),
    );
    this.iterations = meta.iterations;
    if (this.kind === 'adam') [this.accBeta1, this.accBeta2] = [f32(meta.accBeta1!), f32(meta.accBeta2!)];
  }
}
