/**
 * Bayesian linear regression over sparse binary features, small enough to refit from scratch at every proposal: the
 * surrogate the reinforce controller's model proposals draw from (reinforce-model.ts). A row is the list of its
 * active features (one-hot choices); the target is standardised; the prior on each weight is N(0, τ²) with τ² chosen
 * so that a row's prior variance is about that of the targets, and the noise variance is estimated from the residuals
 * of a first fit. `sample` draws weights from the posterior (Thompson sampling) with the caller's generator, so a
 * proposal depends only on the data and the controller's state.
 */
import type { Rng } from './rng.js';

export interface LinearPosterior {
  /** Mean weights, in target units (the target's mean is in `offset`). */
  mean: number[];
  offset: number;
  /** Weights drawn from the posterior, in target units. */
  sample(rng: Rng): number[];
}

/**
 * Fits `y ≈ offset + Σ w[f]` over each row's active features `rows[i]` (indices below `width`). `activePerRow` sets the
 * prior scale: τ² = 1 / activePerRow in standardised units. Needs at least two rows.
 */
export function fitLinear(
  rows: readonly number[][],
  y: readonly number[],
  width: number,
  activePerRow: number,
): LinearPosterior {
  const n = y.length;
  const mu = y.reduce((a, b) => a + b, 0) / n;
  const sd = Math.max(1e-6, Math.sqrt(y.reduce((a, b) => a + (b - mu) ** 2, 0) / Math.max(1, n - 1)));
  const z = y.map((v) => (v - mu) / sd);
  const priorPrecision = Math.max(1, activePerRow);
  const { gram, xty } = moments(rows, z, width);
  // First fit at noise variance 0.5, then the residual variance (with the fit's effective degrees of freedom).
  let noise = 0.5;
  let fit = solve(gram, xty, width, noise, priorPrecision);
  const rss = rows.reduce((acc, r, i) => acc + (z[i] - r.reduce((s, a) => s + fit.mean[a], 0)) ** 2, 0);
  const dof = effectiveDof(gram, fit.chol, width, noise);
  noise = Math.min(1, Math.max(0.01, rss / Math.max(1, n - dof)));
  fit = solve(gram, xty, width, noise, priorPrecision);
  const { mean, chol } = fit;
  return {
    mean: mean.map((w) => w * sd),
    offset: mu,
    sample(rng: Rng): number[] {
      const eps = Array.from({ length: width }, () => gaussian(rng));
      const dev = backSubstituteTransposed(chol, eps, width);
      return mean.map((w, k) => (w + dev[k]) * sd);
    },
  };
}

/**
 * Posterior mean and the Cholesky factor L of the precision P = XᵀX/σ² + λI (P = L·Lᵀ), for standardised targets `z`,
 * noise variance σ² = `noise` and prior precision λ = `prior`. Exported for its tests.
 */
export function posterior(
  rows: readonly number[][],
  z: readonly number[],
  width: number,
  noise: number,
  prior: number,
) {
  const { gram, xty } = moments(rows, z, width);
  return solve(gram, xty, width, noise, prior);
}

function moments(rows: readonly number[][], z: readonly number[], width: number) {
  const gram = new Float64Array(width * width);
  const xty = new Float64Array(width);
  rows.forEach((r, i) => {
    for (const a of r) {
      xty[a] += z[i];
      for (const b of r) gram[a * width + b] += 1;
    }
  });
  return { gram, xty };
}

function solve(gram: Float64Array, xty: Float64Array, width: number, noise: number, prior: number) {
  const p = new Float64Array(width * width);
  for (let k = 0; k < p.length; k++) p[k] = gram[k] / noise;
  for (let k = 0; k < width; k++) p[k * width + k] += prior;
  const chol = cholesky(p, width);
  const b = Array.from(xty, (v) => v / noise);
  const mean = backSubstituteTransposed(chol, forwardSubstitute(chol, b, width), width);
  return { mean, chol };
}

/** trace(XᵀX/σ² · P⁻¹): how many weights the data pins down. */
function effectiveDof(gram: Float64Array, chol: Float64Array, width: number, noise: number): number {
  let trace = 0;
  for (let c = 0; c < width; c++) {
    const e = new Array<number>(width).fill(0);
    e[c] = 1;
    const col = backSubstituteTransposed(chol, forwardSubstitute(chol, e, width), width); // P⁻¹ e_c
    for (let k = 0; k < width; k++) trace += (gram[c * width + k] / noise) * col[k];
  }
  return trace;
}

function cholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j * n + j];
    }
  }
  return l;
}

/** Solves L·x = b. */
function forwardSubstitute(l: Float64Array, b: readonly number[], n: number): number[] {
  const x = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/** Solves Lᵀ·x = b. */
function backSubstituteTransposed(l: Float64Array, b: readonly number[], n: number): number[] {
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/** Standard normal by Box–Muller (one value per call: the state stays the generator's alone). */
function gaussian(rng: Rng): number {
  const u = Math.max(1e-12, rng.next());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}
