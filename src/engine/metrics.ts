/**
 * Validation metrics: exact ROC-AUC (ties count one half, as in the Mann–Whitney statistic) and log loss.
 */

/**
 * Exact ROC-AUC of `scores` against 0/1 `labels`: the probability that a random positive scores above a random
 * negative, ties counting 1/2. Sorts positives and negatives separately (native typed-array sort) and merges them,
 * O(n log n). Returns NaN when one class is absent; callers that must never report NaN check that beforehand.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) throw new Error(`rocAuc: ${n} scores but ${labels.length} labels`);
  let numPos = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) numPos++;
  const numNeg = n - numPos;
  if (numPos === 0 || numNeg === 0) return NaN;
  const pos = new Float64Array(numPos);
  const neg = new Float64Array(numNeg);
  for (let i = 0, p = 0, q = 0; i < n; i++) {
    if (labels[i] === 1) pos[p++] = scores[i];
    else neg[q++] = scores[i];
  }
  pos.sort();
  neg.sort();
  // For each positive: negatives strictly below count 1, equal ones 1/2. Both pointers only move forward.
  let below = 0;
  let belowOrEqual = 0;
  let wins = 0;
  for (let p = 0; p < numPos; p++) {
    const s = pos[p];
    while (below < numNeg && neg[below] < s) below++;
    if (belowOrEqual < below) belowOrEqual = below;
    while (belowOrEqual < numNeg && neg[belowOrEqual] <= s) belowOrEqual++;
    wins += below + 0.5 * (belowOrEqual - below);
  }
  return wins / (numPos * numNeg);
}

/** Mean binary cross-entropy of sigmoid(logits) against 0/1 labels, computed stably from the logits. */
export function loglossFromLogits(logits: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = logits.length;
  if (n === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const z = logits[i];
    // log(1 + e^z) − y·z, with softplus written to avoid overflow.
    const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    sum += softplus - labels[i] * z;
  }
  return sum / n;
}
