/**
 * What both tower implementations share (tfjs-tower.ts on a tfjs backend, native-tower.ts on the native addon): the
 * interface the models train through, the parameter count, and the initial weights, drawn in TypeScript from the
 * trial's seed so that every backend starts from identical weights.
 */
import type { PRNG } from 'seedrandom';
import type { TowerState } from './tower-state.js';
import type { OptimizerName } from './trial-config.js';

export interface TowerGradients {
  loss: number;
  /** dLoss/dX, B × inputWidth (empty when inputWidth is 0). */
  dx: Float32Array;
  /** Gradients of the parameters in `parameters()` order. */
  params: Float32Array[];
}

/** The dense tower: concatenated embeddings (B × inputWidth) → hidden layers (ReLU) → one logit, sigmoid cross-entropy. */
export interface Tower {
  readonly inputWidth: number;
  readonly hidden: readonly number[];
  readonly optimizerName: OptimizerName;
  readonly paramCount: number;
  /** Loss and gradients for one batch, without updating anything. */
  gradients(x: Float32Array, y: Float32Array, batch: number): TowerGradients;
  /** One optimizer step on a batch; returns the loss and dLoss/dX (valid until the next call) for the embedding tables. */
  trainStep(x: Float32Array, y: Float32Array, batch: number): { loss: number; dx: Float32Array };
  /** Logits of `batch` rows of x (B × inputWidth). */
  predict(x: Float32Array, batch: number): Float32Array;
  /** Copies of the current parameters (W0, b0, …). */
  parameters(): Float32Array[];
  /** Parameters and optimizer state, in the same layout on every backend (tower-state.ts). */
  captureState(): TowerState;
  restoreState(state: TowerState): void;
  dispose(): void;
}

/** Tower parameter count: Σ (in·out + out) over layers, or 1 (the bias) when the input is empty. */
export function towerParamCount(inputWidth: number, hidden: readonly number[]): number {
  if (inputWidth === 0) return 1;
  let count = 0;
  let fanIn = inputWidth;
  for (const out of [...hidden, 1]) {
    count += fanIn * out + out;
    fanIn = out;
  }
  return count;
}

/**
 * Initial parameters W0, b0, W1, b1, … (W row-major fanIn × out), as torch.nn.Linear draws them: uniform in
 * ±1/√fanIn. With inputWidth 0, a single zero bias.
 */
export function initialTowerWeights(inputWidth: number, hidden: readonly number[], rng: PRNG): Float32Array[] {
  if (inputWidth === 0) return [new Float32Array(1)];
  const sizes = [inputWidth, ...hidden, 1];
  const params: Float32Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [fanIn, out] = [sizes[l], sizes[l + 1]];
    const bound = 1 / Math.sqrt(fanIn);
    params.push(uniform(fanIn * out, bound, rng), uniform(out, bound, rng));
  }
  return params;
}

/** The variable shapes of a tower, in parameters() order. */
export function towerShapes(inputWidth: number, hidden: readonly number[]): number[][] {
  if (inputWidth === 0) return [[1]];
  const sizes = [inputWidth, ...hidden, 1];
  return sizes.slice(1).flatMap((out, l) => [[sizes[l], out], [out]]);
}

function uniform(n: number, bound: number, rng: PRNG): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (rng() * 2 - 1) * bound;
  return out;
}
