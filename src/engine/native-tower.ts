/**
 * The dense tower on the native addon: parameters, activations and gradients are Float32Arrays owned here, and every
 * matrix product is one cblas_sgemm on them (no tensors, no copies in or out). Forward: hₗ₊₁ = act(hₗ·Wₗ + bₗ).
 * Backward, from dz = (σ(z) − y)/B: dWₗ = hₗᵀ·g, dbₗ = 1ᵀ·g, g ← (g·Wₗᵀ) ⊙ [hₗ > 0]; the last product gives dX for the
 * embedding tables. Same model, loss, initial weights and optimizer arithmetic as tfjs-tower.ts.
 */
import type { PRNG } from 'seedrandom';
import type { NativeKernels } from './native-addon.js';
import { NativeOptimizer } from './native-optimizer.js';
import { initialTowerWeights, towerParamCount, towerShapes, type Tower, type TowerGradients } from './tower-common.js';
import type { TowerState } from './tower-state.js';
import type { OptimizerName } from './trial-config.js';

export class NativeTower implements Tower {
  /** W0, b0, W1, b1, …; the bias alone when inputWidth is 0. */
  private readonly params: Float32Array[];
  private readonly grads: Float32Array[];
  private readonly optimizer: NativeOptimizer;
  /** Layer widths: input, hidden…, 1. */
  private readonly sizes: number[];
  /** Rows the scratch below holds. */
  private capacity = 0;
  /** Outputs of each layer (B × width); acts[last] are the logits. */
  private acts: Float32Array[] = [];
  /** Two gradient buffers that the backward pass alternates between, and dX. */
  private gradBuffers: Float32Array[] = [];
  private dx = new Float32Array(0);

  constructor(
    readonly inputWidth: number,
    readonly hidden: readonly number[],
    readonly optimizerName: OptimizerName,
    lr: number,
    rng: PRNG,
    private readonly k: NativeKernels,
  ) {
    this.params = initialTowerWeights(inputWidth, hidden, rng);
    this.grads = this.params.map((p) => new Float32Array(p.length));
    this.sizes = inputWidth === 0 ? [] : [inputWidth, ...hidden, 1];
    this.optimizer = new NativeOptimizer(k, optimizerName, lr);
  }

  get paramCount(): number {
    return towerParamCount(this.inputWidth, this.hidden);
  }

  private reserve(batch: number): void {
    if (batch <= this.capacity) return;
    this.capacity = batch;
    // The addon's 64-byte-aligned memory: dX's 16-float slices (one per field) are then whole cache lines.
    this.acts = this.sizes.slice(1).map((w) => this.k.alignedArray(batch * w));
    const widest = Math.max(1, ...this.sizes.slice(1));
    this.gradBuffers = [this.k.alignedArray(batch * widest), this.k.alignedArray(batch * widest)];
    this.dx = this.k.alignedArray(batch * this.inputWidth);
  }

  /** Forward pass; returns the logits (a view of internal scratch). */
  private forward(x: Float32Array, batch: number): Float32Array {
    if (this.inputWidth === 0) return new Float32Array(batch).fill(this.params[0][0]);
    this.reserve(batch);
    const { k, sizes, params } = this;
    let h = x;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [fanIn, out] = [sizes[l], sizes[l + 1]];
      const next = this.acts[l];
      k.sgemm(false, false, batch, out, fanIn, 1, h, params[2 * l], 0, next);
      k.biasAct(next, params[2 * l + 1], batch, out, l + 2 < sizes.length);
      h = next;
    }
    return h.subarray(0, batch);
  }

  /** Loss, parameter gradients into this.grads, and dX (a view of internal scratch). */
  private backward(x: Float32Array, y: Float32Array, batch: number): { loss: number; dx: Float32Array } {
    const z = this.forward(x, batch);
    const { k, sizes, params, grads } = this;
    // Mean sigmoid cross-entropy relu(z) − z·y + log(1 + e^−|z|), and its gradient (σ(z) − y)/B.
    let g = this.inputWidth === 0 ? new Float32Array(batch) : this.gradBuffers[0];
    let loss = 0;
    for (let i = 0; i < batch; i++) {
      const [zi, yi] = [z[i], y[i]];
      const e = Math.exp(-Math.abs(zi));
      loss += Math.max(zi, 0) - zi * yi + Math.log1p(e);
      g[i] = ((zi >= 0 ? 1 / (1 + e) : e / (1 + e)) - yi) / batch;
    }
    loss /= batch;
    if (this.inputWidth === 0) {
      grads[0][0] = g.reduce((s, v) => s + v, 0);
      return { loss, dx: new Float32Array(0) };
    }
    // The top layer's bias gradient here; each lower layer's comes with its ReLU mask (reluGradColSums), one pass.
    k.colSums(g, batch, 1, grads[grads.length - 1]);
    for (let l = sizes.length - 2; l >= 0; l--) {
      const [fanIn, out] = [sizes[l], sizes[l + 1]];
      const h = l === 0 ? x : this.acts[l - 1];
      k.sgemm(true, false, fanIn, out, batch, 1, h, g, 0, grads[2 * l]);
      const prev = l === 0 ? this.dx : this.gradBuffers[(sizes.length - 1 - l) % 2];
      if (l > 0 && out === 1) k.outerReluColSums(g, params[2 * l], h, batch, fanIn, prev, grads[2 * l - 1]);
      else {
        k.sgemm(false, true, batch, fanIn, out, 1, g, params[2 * l], 0, prev);
        if (l > 0) k.reluGradColSums(prev, h, batch, fanIn, grads[2 * l - 1]);
      }
      g = prev;
    }
    return { loss, dx: this.dx.subarray(0, batch * this.inputWidth) };
  }

  gradients(x: Float32Array, y: Float32Array, batch: number): TowerGradients {
    const { loss, dx } = this.backward(x, y, batch);
    return { loss, dx: dx.slice(), params: this.grads.map((g) => g.slice()) };
  }

  trainStep(x: Float32Array, y: Float32Array, batch: number): { loss: number; dx: Float32Array } {
    const result = this.backward(x, y, batch);
    this.optimizer.apply(this.params, this.grads);
    return result;
  }

  predict(x: Float32Array, batch: number): Float32Array {
    return this.forward(x, batch).slice();
  }

  parameters(): Float32Array[] {
    return this.params.map((p) => p.slice());
  }

  captureState(): TowerState {
    return this.optimizer.capture(this.params, towerShapes(this.inputWidth, this.hidden));
  }

  restoreState(state: TowerState): void {
    this.optimizer.restore(this.params, towerShapes(this.inputWidth, this.hidden), state);
  }

  dispose(): void {
    this.acts = [];
    this.gradBuffers = [];
    this.capacity = 0;
  }
}
