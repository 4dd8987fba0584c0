/**
 * Initialisation of MLET's factors so that the effective table A·B starts out like a plain table: A's entries
 * uniform in ±EMBEDDING_INIT_SCALE (the plain table's law, in k columns instead of d) and B (k × d) with orthonormal
 * columns. A row of A·B is then a[i]·B whose covariance is (s²/3)·BᵀB = (s²/3)·I, exactly the covariance of a plain
 * row: the same per-coordinate scale and uncorrelated coordinates, for every factor (with factor 1, B is a rotation).
 */
import type { PRNG } from 'seedrandom';

/** A k × d row-major matrix (k ≥ d) with orthonormal columns: Gram–Schmidt on Gaussian draws from `rng`. */
export function orthonormalColumns(k: number, d: number, rng: PRNG): Float32Array {
  if (d > k) throw new Error(`orthonormalColumns: ${d} columns do not fit in ${k} dimensions`);
  const cols: Float64Array[] = [];
  while (cols.length < d) {
    const v = Float64Array.from({ length: k }, () => gaussian(rng));
    // Modified Gram–Schmidt, twice: one pass leaves float error of the order of the condition number.
    for (let pass = 0; pass < 2; pass++) {
      for (const c of cols) {
        let dot = 0;
        for (let l = 0; l < k; l++) dot += c[l] * v[l];
        for (let l = 0; l < k; l++) v[l] -= dot * c[l];
      }
    }
    const norm = Math.hypot(...v);
    if (norm < 1e-6) continue; // a draw (almost) inside the span so far: draw again
    for (let l = 0; l < k; l++) v[l] /= norm;
    cols.push(v);
  }
  const b = new Float32Array(k * d);
  cols.forEach((c, j) => c.forEach((x, l) => (b[l * d + j] = x)));
  return b;
}

/** Standard normal draw (Box–Muller) from a uniform PRNG. */
function gaussian(rng: PRNG): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}
