/**
 * The per-field norm budget: adaptive, decoupled weight decay on embedding rows (after arXiv 2511.06374, which
 * regularizes rare rows harder to fight one-epoch overfitting in CTR models), plus an optional hard L2 cap.
 *
 * Decay: when a row is touched at global step t, before its optimizer update, w ← (1 − λ)·w with
 * λ = min(1, α·Δ) and Δ = t − (step of the row's previous update; 0 for a row never updated). A row seen every step
 * is pulled by α per step, a row seen once in a thousand steps by 1000·α at once: the same total pull as dense
 * decay, applied lazily, so rare rows drift back towards zero between their rare updates. α = 0 disables it.
 *
 * Cap: after the update, a row whose L2 norm exceeds maxNorm is scaled back onto the sphere of radius maxNorm.
 */
export class NormBudget {
  /** Step of each row's last update (0 = never); allocated only when the decay is on. */
  private readonly lastStep: Int32Array | undefined;

  constructor(
    rows: number,
    private readonly dim: number,
    readonly alpha: number,
    readonly maxNorm: number | undefined,
  ) {
    this.lastStep = alpha > 0 ? new Int32Array(rows) : undefined;
  }

  get enabled(): boolean {
    return this.lastStep !== undefined || this.maxNorm !== undefined;
  }

  get stateBytes(): number {
    return this.lastStep ? this.lastStep.byteLength : 0;
  }

  /** Decays rows `ids[0..count)` by their staleness at step `step`, and records `step` as their last update. */
  decay(weights: Float32Array, ids: Int32Array, count: number, step: number): void {
    const last = this.lastStep;
    if (!last) return;
    decayRows(weights, this.dim, this.dim, ids, count, step, this.alpha, last);
  }

  /** Scales rows `ids[0..count)` whose L2 norm exceeds maxNorm back to maxNorm. */
  cap(weights: Float32Array, ids: Int32Array, count: number): void {
    if (this.maxNorm === undefined) return;
    for (let i = 0; i < count; i++) capRow(weights, ids[i] * this.dim, this.dim, this.maxNorm);
  }

  /** Applies the cap to every row (at initialisation, so the invariant holds for rows never touched). */
  capAll(weights: Float32Array, rows: number): void {
    if (this.maxNorm === undefined) return;
    for (let r = 0; r < rows; r++) capRow(weights, r * this.dim, this.dim, this.maxNorm);
  }
}

/**
 * The decay of `decay()` for an explicit α and last-update record: rows `ids[0..count)` (row stride `dim`) shrink
 * by λ = min(1, α·(step − last[id])) in their first `cols` columns, and `last` records `step`. Shared with the
 * weight-sharing supernet, whose α and active columns change from batch to batch.
 */
export function decayRows(
  weights: Float32Array,
  dim: number,
  cols: number,
  ids: Int32Array,
  count: number,
  step: number,
  alpha: number,
  last: Int32Array,
): void {
  for (let i = 0; i < count; i++) {
    const id = ids[i];
    const lambda = Math.min(1, alpha * (step - last[id]));
    last[id] = step;
    const keep = 1 - lambda;
    const base = id * dim;
    for (let k = 0; k < cols; k++) weights[base + k] *= keep;
  }
}

/** Scales the `dim` values at weights[base..) back to L2 norm maxNorm when they exceed it. */
export function capRow(weights: Float32Array, base: number, dim: number, maxNorm: number): void {
  let sq = 0;
  for (let k = 0; k < dim; k++) sq += weights[base + k] * weights[base + k];
  if (sq <= maxNorm * maxNorm) return;
  const scale = maxNorm / Math.sqrt(sq);
  for (let k = 0; k < dim; k++) weights[base + k] *= scale;
}
