/**
 * The dense tower in tfjs (every backend but 'native'): concatenated embeddings (B × inputWidth) → hidden layers
 * (ReLU) → one logit, trained on sigmoid cross-entropy. It owns its tfjs variables and optimizer; the embedding
 * tables live outside (TypeScript) and receive dLoss/dX from `trainStep`.
 *
 * With inputWidth 0 (every field dropped) the model is a single bias: the logit is the same for every row.
 */
import * as tf from '@tensorflow/tfjs';
import type { PRNG } from 'seedrandom';
import { denseLayer, fusedDense, transposeInto } from './dense-layer.js';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from './sparse-optimizers.js';
import { initialTowerWeights, towerParamCount, towerShapes, type Tower, type TowerGradients } from './tower-common.js';
import { captureTowerState, restoreTowerState, type TowerState } from './tower-state.js';
import type { OptimizerName } from './trial-config.js';

export class TfjsTower implements Tower {
  /** W0, b0, W1, b1, …, bias of the output last. */
  private readonly vars: tf.Variable[] = [];
  private readonly optimizer: tf.Optimizer;
  /**
   * On wasm, xᵀ for the first layer's weight gradient is laid out here in TypeScript (a tiled copy, ~2× faster
   * than wasm's Transpose kernel); other backends transpose fast enough themselves.
   */
  private readonly hostTranspose = tf.getBackend() === 'wasm';
  private transposeBuffer = new Float32Array(0);

  constructor(
    readonly inputWidth: number,
    readonly hidden: readonly number[],
    readonly optimizerName: OptimizerName,
    lr: number,
    rng: PRNG,
  ) {
    const shapes = towerShapes(inputWidth, hidden);
    // tidy frees the initial-value tensors; variables survive it.
    tf.tidy(() => {
      initialTowerWeights(inputWidth, hidden, rng).forEach((w, i) =>
        this.vars.push(tf.variable(tf.tensor(w, shapes[i]), true)),
      );
    });
    this.optimizer =
      optimizerName === 'adagrad' ? tf.train.adagrad(lr, 0) : tf.train.adam(lr, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
  }

  get paramCount(): number {
    return towerParamCount(this.inputWidth, this.hidden);
  }

  /**
   * The logits of `batch` rows of input x, as tensors (call inside tf.tidy). Training passes `xT` (xᵀ, laid out on
   * the host) to get layers with custom gradients; inference uses the bare fused kernels.
   */
  private logits(
    x: tf.Tensor2D | null,
    batch: number,
    params: tf.Tensor[],
    train: boolean,
    xT?: tf.Tensor2D,
  ): tf.Tensor2D {
    if (this.inputWidth === 0) return tf.mul(tf.ones([batch, 1]), params[0]) as tf.Tensor2D;
    let h = x as tf.Tensor2D;
    const layers = params.length / 2;
    for (let l = 0; l < layers; l++) {
      const [w, b] = [params[2 * l] as tf.Tensor2D, params[2 * l + 1] as tf.Tensor1D];
      const relu = l + 1 < layers;
      h = train ? denseLayer(relu, l === 0 ? xT : undefined)(h, w, b) : fusedDense(h, w, b, relu);
    }
    return h;
  }

  /** Mean sigmoid cross-entropy: relu(z) − z·y + log(1 + e^−|z|). */
  private static loss(z: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
    return tf.mean(tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z))))));
  }

  /** Loss and gradients for one batch, without updating anything. */
  gradients(x: Float32Array, y: Float32Array, batch: number): TowerGradients {
    return this.step(x, y, batch, false);
  }

  /** One optimizer step of the tower on a batch; returns the loss and dLoss/dX for the embedding tables. */
  trainStep(x: Float32Array, y: Float32Array, batch: number): { loss: number; dx: Float32Array } {
    return this.step(x, y, batch, true);
  }

  private step(x: Float32Array, y: Float32Array, batch: number, apply: boolean): TowerGradients {
    const width = this.inputWidth;
    const input = width > 0 ? x.subarray(0, batch * width) : null;
    const xTensor = input ? tf.tensor2d(input, [batch, width]) : null;
    let xTransposed: tf.Tensor2D | undefined;
    if (input && this.hostTranspose) {
      if (this.transposeBuffer.length < input.length) this.transposeBuffer = new Float32Array(input.length);
      const buffer = this.transposeBuffer.subarray(0, input.length);
      transposeInto(input, batch, width, buffer);
      xTransposed = tf.tensor2d(buffer, [width, batch]);
    }
    const yTensor = tf.tensor2d(y.subarray(0, batch), [batch, 1]);
    const lossOf = (...args: tf.Tensor[]): tf.Scalar => {
      const [inputArg, params] = xTensor ? [args[0] as tf.Tensor2D, args.slice(1)] : [null, args];
      return TfjsTower.loss(this.logits(inputArg, batch, params, true, xTransposed), yTensor);
    };
    const { value, grads } = tf.valueAndGrads(lossOf)(xTensor ? [xTensor, ...this.vars] : [...this.vars]);
    const paramGrads = xTensor ? grads.slice(1) : grads;
    try {
      // Values are read outside any tf.tidy: returning TypedArrays from tidy makes it walk them (slow).
      const loss = value.dataSync()[0];
      const dx = xTensor ? (grads[0].dataSync() as Float32Array) : new Float32Array(0);
      let params: Float32Array[] = [];
      if (apply) {
        const named: tf.NamedTensorMap = {};
        this.vars.forEach((v, i) => (named[v.name] = paramGrads[i]));
        this.optimizer.applyGradients(named);
      } else {
        params = paramGrads.map((g) => g.dataSync() as Float32Array);
      }
      return { loss, dx, params };
    } finally {
      tf.dispose([value, ...grads, yTensor]);
      if (xTensor) xTensor.dispose();
      if (xTransposed) xTransposed.dispose();
    }
  }

  /** Logits of `batch` rows of x (B × inputWidth), for validation. */
  predict(x: Float32Array, batch: number): Float32Array {
    const width = this.inputWidth;
    const xTensor = width > 0 ? tf.tensor2d(x.subarray(0, batch * width), [batch, width]) : null;
    const z = tf.tidy(() => this.logits(xTensor, batch, this.vars, false));
    try {
      return z.dataSync() as Float32Array;
    } finally {
      z.dispose();
      if (xTensor) xTensor.dispose();
    }
  }

  /** Copies of the current parameters (W0, b0, …), for tests and export. */
  parameters(): Float32Array[] {
    return this.vars.map((v) => v.dataSync() as Float32Array).map((a) => a.slice());
  }

  /** Copies of the parameters and of the optimizer's slots and counters: what a resumed run needs (tower-state.ts). */
  captureState(): TowerState {
    return captureTowerState(this.vars, this.optimizer, this.optimizerName);
  }

  /** Overwrites parameters and optimizer state with a state captured from a tower of the same layout and optimizer. */
  restoreState(state: TowerState): void {
    restoreTowerState(this.vars, this.optimizer, this.optimizerName, state);
  }

  /** Frees the variables and the optimizer's slots (disposing variables alone leaves the slots allocated). */
  dispose(): void {
    this.optimizer.dispose();
    tf.dispose(this.vars);
    this.vars.length = 0;
  }
}
