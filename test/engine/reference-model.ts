/**
 * An independent float64 forward pass of the CTR model, for gradient checks of every way a field's rows are made
 * (plain, MLET, Res-embedding, multi-size blocks): each test says how a row is read from its parameters, this file
 * does the rest — the tower, the loss and the finite differences.
 */
import type { BatchSource } from '../../src/engine/model.js';

/** How one kept field's row for an id is read from the (float64 copies of the) parameters; null = dropped. */
export type RowReader = ((id: number) => number[]) | null;

/** Mean sigmoid cross-entropy in float64 over rows [0, rows): fields' rows concatenated, then the tower. */
export function referenceLoss(fields: RowReader[], tower: Float64Array[], src: BatchSource, rows: number): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    let h = fields.flatMap((read, i) => (read ? read(src.ids[r * src.numFields + i]) : []));
    const layers = tower.length / 2;
    for (let l = 0; l < layers; l++) {
      const [w, b] = [tower[2 * l], tower[2 * l + 1]];
      const next = Array.from(b);
      for (let i = 0; i < h.length; i++) for (let o = 0; o < b.length; o++) next[o] += h[i] * w[i * b.length + o];
      h = l + 1 < layers ? next.map((z) => Math.max(0, z)) : next;
    }
    const [z, y] = [h[0], src.labels[r]];
    total += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
  }
  return total / rows;
}

/**
 * Compares `analytic` with central differences of `loss` in every entry of `target` (which `loss` reads); throws on
 * the first mismatch, naming `label`. Returns how many entries had a gradient clearly above noise (|g| > 1e-3), so a
 * test can check that it was not vacuous.
 */
export function checkAgainstFiniteDifferences(
  label: string,
  target: Float64Array,
  analytic: Float32Array,
  loss: () => number,
): number {
  if (analytic.length !== target.length)
    throw new Error(`${label}: ${analytic.length} gradient entries for ${target.length} parameters`);
  let checked = 0;
  for (let j = 0; j < target.length; j++) {
    const saved = target[j];
    target[j] = saved + 1e-5;
    const up = loss();
    target[j] = saved - 1e-5;
    const down = loss();
    target[j] = saved;
    const numeric = (up - down) / 2e-5;
    if (Math.abs(analytic[j] - numeric) > 1e-6 + 1e-3 * Math.abs(numeric)) {
      throw new Error(`${label}[${j}]: analytic ${analytic[j]} vs numeric ${numeric}`);
    }
    if (Math.abs(numeric) > 1e-3) checked++;
  }
  return checked;
}
