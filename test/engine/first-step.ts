/**
 * The first optimizer step of a field embedding, checked entry by entry: a gradient check proves `backward` right but
 * never runs `step`, and a training run hides a parameter that never moves (the others learn around it: a Res-embedding
 * whose residual has no update, or multi-size blocks whose projection has none, still reach nearly a plain table's
 * AUC). Adam's first step moves every entry by about lr against the sign of its gradient and leaves entries without
 * gradient as they were, whatever the technique, so one check covers every parameter of every kind.
 */
import { expect } from 'vitest';
import type { FieldEmbedding } from '../../src/engine/field-embedding.js';
import { ADAM_BETA2, ADAM_EPSILON } from '../../src/engine/sparse-optimizers.js';

/**
 * Feeds dx for `ids` (columns [0, dim) of rows of width dim) to a fresh embedding built with Adam at `lr` and no decay,
 * steps once, and expects every entry of every parameter at w − lr·√(1−β2)·g / (√(1−β2)·|g| + ε). Returns, per
 * parameter, how many entries had a gradient (so a caller sees the check was not vacuous).
 */
export function expectFirstAdamStep(e: FieldEmbedding, ids: Int32Array, dx: Float32Array, lr: number): number[] {
  const before = e.parameters().map((p) => p.slice());
  e.backward(ids, ids.length, dx, e.dim, 0);
  const { params: grads } = e.gradients();
  e.backward(ids, ids.length, dx, e.dim, 0);
  e.step(1);
  const c = Math.sqrt(1 - ADAM_BETA2);
  const expected = (w: number, g: number) => w - (lr * c * g) / (c * Math.abs(g) + ADAM_EPSILON);
  return e.parameters().map((after, p) => {
    let moved = 0;
    for (let j = 0; j < after.length; j++) {
      expect(after[j], `parameter ${p}, entry ${j}`).toBeCloseTo(expected(before[p][j], grads[p][j]), 6);
      if (grads[p][j] !== 0 && Math.abs(after[j] - before[p][j]) > 0.9 * lr) moved++;
    }
    return moved;
  });
}
