/**
 * The maths of one categorical decision parameterised by logits: softmax, sampling, the REINFORCE score function,
 * the entropy gradient, and an Adam step. Plain number arrays so the state is JSON as-is.
 */

export function softmax(logits: number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Inverse-CDF sampling with one uniform draw `u` in [0, 1). */
export function sampleIndex(probs: number[], u: number): number {
  let acc = 0;
  for (let k = 0; k < probs.length; k++) {
    acc += probs[k];
    if (u < acc) return k;
  }
  return probs.length - 1; // rounding left the cumulative sum just under 1
}

export function entropy(probs: number[]): number {
  return -probs.reduce((h, p) => (p > 0 ? h + p * Math.log(p) : h), 0);
}

/**
 * Gradient (to ascend) w.r.t. the logits of
 *   mean_i A_i · log π(a_i)  +  β · H(π)
 * where ∂log π(a)/∂θ_k = 1[k = a] − π_k and ∂H/∂θ_k = −π_k (log π_k + H).
 */
export function policyGradient(
  probs: number[],
  picks: number[],
  advantages: number[],
  entropyWeight: number,
): number[] {
  const grad = new Array<number>(probs.length).fill(0);
  const n = picks.length;
  for (let i = 0; i < n; i++) {
    const a = advantages[i] / n;
    for (let k = 0; k < probs.length; k++) grad[k] -= a * probs[k];
    grad[picks[i]] += a;
  }
  const h = entropy(probs);
  for (let k = 0; k < probs.length; k++) {
    if (probs[k] > 0) grad[k] -= entropyWeight * probs[k] * (Math.log(probs[k]) + h);
  }
  return grad;
}

export interface AdamSettings {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** One Adam ascent step, in place on `params`, `m`, `v`; `t` is the 1-based step number (bias correction). */
export function adamAscend(
  params: number[],
  grad: number[],
  m: number[],
  v: number[],
  t: number,
  s: AdamSettings,
): void {
  const c1 = 1 - Math.pow(s.beta1, t);
  const c2 = 1 - Math.pow(s.beta2, t);
  for (let k = 0; k < params.length; k++) {
    m[k] = s.beta1 * m[k] + (1 - s.beta1) * grad[k];
    v[k] = s.beta2 * v[k] + (1 - s.beta2) * grad[k] * grad[k];
    params[k] += (s.lr * (m[k] / c1)) / (Math.sqrt(v[k] / c2) + s.epsilon);
  }
}
