/**
 * Dense layers for the tower with hand-written gradients.
 *
 * tfjs's built-in matMul gradient multiplies with transposeA/transposeB, which the wasm backend runs on a slow path
 * (~12× slower than a plain matMul here). These layers compute the same gradients with an explicit transpose and
 * plain matMuls: dX = dY·Wᵀ, dW = Xᵀ·dY, db = 1ᵀ·dY (column sums).
 */
import * as tf from '@tensorflow/tfjs';

type Save = (tensors: tf.Tensor[]) => void;
type CustomGradientFunc = Parameters<typeof tf.customGrad>[0];
export type DenseLayer = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor2D;

/**
 * y = act(x·W + b) in one fused kernel. Called directly rather than through tf.fused.matMul, which falls back to
 * separate matMul, add and relu kernels whenever a gradient is being recorded.
 */
export function fusedDense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, relu: boolean): tf.Tensor2D {
  const [m, k] = x.shape;
  const n = w.shape[1];
  const out = tf.engine().runKernel(
    tf._FusedMatMul,
    { a: tf.reshape(x, [1, m, k]), b: tf.reshape(w, [1, k, n]), bias: b } as unknown as tf.NamedTensorMap,
    {
      transposeA: false,
      transposeB: false,
      activation: relu ? 'relu' : 'linear',
      leakyreluAlpha: 0.2,
    } as unknown as tf.NamedAttrMap,
  ) as tf.Tensor3D;
  return tf.reshape(out, [m, n]);
}

/**
 * A dense layer (ReLU or linear) with a transpose-free gradient. `inputTransposed`, when given, is xᵀ already laid
 * out by the caller (the embedding gather produces it cheaply), saving the largest transpose of the step.
 */
export function denseLayer(relu: boolean, inputTransposed?: tf.Tensor2D): DenseLayer {
  return tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: Save) => {
    const y = fusedDense(x, w, b, relu);
    save(relu ? [x, w, y] : [x, w]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [sx, sw, sy] = saved as tf.Tensor2D[];
      // relu'(z) = 1 where the output is positive (tf.step gives 0 at 0, like relu's own gradient).
      const g = (relu ? tf.mul(dy, tf.step(sy)) : dy) as tf.Tensor2D;
      const dx = tf.matMul(g, tf.transpose(sw));
      const dw = tf.matMul(inputTransposed ?? tf.transpose(sx), g);
      // Column sums as a [1, B]·[B, out] product: tf.sum over axis 0 transposes first on wasm (~20× slower).
      const db = tf.reshape(tf.matMul(tf.ones([1, g.shape[0]]), g), [g.shape[1]]);
      return [dx, dw, db];
    };
    return { value: y, gradFunc };
  }) as unknown as CustomGradientFunc) as DenseLayer;
}

/** Writes the transpose of `src` (rows × cols, row-major) into `dst` (cols × rows), in cache-friendly tiles. */
export function transposeInto(src: Float32Array, rows: number, cols: number, dst: Float32Array): void {
  const TILE = 32;
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(cols, c0 + TILE);
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) dst[c * rows + r] = src[r * cols + c];
      }
    }
  }
}
