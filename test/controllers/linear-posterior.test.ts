/**
 * The model proposals' surrogate (linear-posterior.ts): its posterior mean equals the ridge closed form computed
 * here independently, its Thompson draws have that mean and the inverse precision's variances, and on noise-free
 * additive data it recovers the effects.
 */
import { describe, expect, it } from 'vitest';
import { fitLinear, posterior } from '../../src/controllers/linear-posterior.js';
import { Rng } from '../../src/controllers/rng.js';

/** Inverse of a small dense matrix by Gauss–Jordan elimination with partial pivoting. */
function inverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const d = m[c][c];
    for (let k = 0; k < 2 * n; k++) m[c][k] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let k = 0; k < 2 * n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row) => row.slice(n));
}

const ROWS = [
  [0, 2],
  [1, 2],
  [0, 3],
  [1, 3],
  [0, 2],
  [1, 3],
];
const Z = [0.3, -1.2, 0.8, 0.1, 0.5, -0.5];

describe('linear posterior', () => {
  it('has the ridge closed-form mean (XᵀX/σ² + λI)⁻¹ Xᵀz/σ²', () => {
    const noise = 0.4;
    const prior = 2;
    const x = ROWS.map((r) => [0, 1, 2, 3].map((k) => (r.includes(k) ? 1 : 0)));
    const p = [0, 1, 2, 3].map((a) =>
      [0, 1, 2, 3].map((b) => x.reduce((s, row) => s + row[a] * row[b], 0) / noise + (a === b ? prior : 0)),
    );
    const xtz = [0, 1, 2, 3].map((a) => x.reduce((s, row, i) => s + row[a] * Z[i], 0) / noise);
    const inv = inverse(p);
    const want = inv.map((row) => row.reduce((s, v, k) => s + v * xtz[k], 0));
    const got = posterior(ROWS, Z, 4, noise, prior).mean;
    got.forEach((g, k) => expect(g).toBeCloseTo(want[k], 12));
  });

  it('draws weights with the posterior mean and variances', () => {
    const fit = fitLinear(ROWS, Z, 4, 2);
    const rng = new Rng(7);
    const n = 6000;
    const sum = [0, 0, 0, 0];
    const sq = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      fit.sample(rng).forEach((w, k) => {
        sum[k] += w;
        sq[k] += w * w;
      });
    }
    const sd = Math.sqrt(Z.reduce((a, b) => a + b * b, 0) / 5 - Z.reduce((a, b) => a + b, 0) ** 2 / 30);
    for (let k = 0; k < 4; k++) {
      const mean = sum[k] / n;
      const variance = sq[k] / n - mean * mean;
      expect(Math.abs(mean - fit.mean[k])).toBeLessThan(4 * Math.sqrt(variance / n));
      expect(variance).toBeGreaterThan(0);
      expect(variance).toBeLessThan(sd * sd); // the data narrows the prior
    }
  });

  it('recovers additive effects from noise-free data', () => {
    const effects = [
      [0, 0.02, 0.03],
      [0, -0.01],
      [0, 0.005, 0.004, -0.02],
    ];
    const offsets = [0, 3, 5];
    const rng = new Rng(3);
    const rows: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 80; i++) {
      const picks = effects.map((e) => rng.int(e.length));
      rows.push(picks.map((p, j) => offsets[j] + p));
      y.push(0.7 + picks.reduce((s, p, j) => s + effects[j][p], 0));
    }
    const fit = fitLinear(rows, y, 9, 3);
    effects.forEach((e, j) => {
      for (let k = 1; k < e.length; k++) {
        expect(fit.mean[offsets[j] + k] - fit.mean[offsets[j]]).toBeCloseTo(e[k] - e[0], 3);
      }
    });
  });
});
