// Cheap stand-ins for "train a CTR model and score it", so controllers can be compared over many seeds in seconds.
// Each landscape draws, from its seed, per-field AUC contributions that are concave in the dim's step with a
// per-field optimum (worthless fields peak at dim 0), a small per-field norm-budget effect, a few pairwise
// interactions, and a memory of Σ rows·dim·4 + tower scored by the hinge R = AUC − λ·max(0, M/budget − 1), with
// Gaussian noise on the AUC like the training-seed noise of real trials.

const DIMS = [0, 2, 4, 8, 16];
const NORMS = [0, 1e-4, 1e-3];

/**
 * name → { fields, matter (fraction of fields with a gain), noise (sd of AUC), tight (budget / the memory of the
 * best dims), lambda, rows (log10 of the largest vocabulary, default 4) }. The first five make memory the main
 * problem; the last two are closer to the real spaces, where the best trials sit near the budget and AUC differences
 * of a few thousandths decide.
 */
export const LANDSCAPES = {
  'criteo-like': { fields: 26, matter: 0.7, noise: 0.002, tight: 0.6, lambda: 0.05 },
  'few-matter': { fields: 20, matter: 0.15, noise: 0.001, tight: 0.8, lambda: 0.05 },
  'small-noisy': { fields: 6, matter: 0.67, noise: 0.003, tight: 0.7, lambda: 0.05 },
  wide: { fields: 40, matter: 0.5, noise: 0.001, tight: 0.5, lambda: 0.1 },
  'tight-budget': { fields: 12, matter: 0.8, noise: 0.002, tight: 0.3, lambda: 0.2 },
  'loose-budget': { fields: 26, matter: 0.6, noise: 0.002, tight: 1.5, lambda: 0.05, rows: 3 },
  'planted-6': { fields: 6, matter: 0.67, noise: 0.002, tight: 1.0, lambda: 0.05, rows: 3 },
};

/** A seeded landscape: `choices` for a controller and `reward(proposal, noiseDraw)`. */
export function makeLandscape(name, seed) {
  const spec = LANDSCAPES[name];
  const rnd = mulberry32(seed * 7919 + name.length * 104729);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const fields = [];
  for (let f = 0; f < spec.fields; f++) {
    const matters = rnd() < spec.matter;
    fields.push({
      name: `f${f}`,
      rows: Math.round(10 ** (1 + ((spec.rows ?? 4) - 1) * rnd())),
      gain: matters ? 0.004 * Math.exp(gauss()) : 0,
      best: matters ? 1 + Math.floor(rnd() * 4) : 0, // optimum step among 2, 4, 8, 16 (0 = drop)
      waste: matters ? 0 : 0.0003 * rnd(), // a worthless field costs a little AUC when kept (overfitting)
      norm: Math.floor(rnd() * 3),
      normGain: 0.0008 * rnd(),
    });
  }
  const pairs = [];
  for (let k = 0; k < Math.ceil(spec.fields / 4); k++) {
    pairs.push([Math.floor(rnd() * spec.fields), Math.floor(rnd() * spec.fields), 0.002 * rnd()]);
  }
  const tower = 20000;
  const memory = (steps) => tower + fields.reduce((m, f, i) => m + f.rows * DIMS[steps[i]] * 4, 0);
  const budget = spec.tight * memory(fields.map((f) => f.best));
  // The memory term of the reward is known before training, as the search passes it (SearchChoices.penalty).
  const penalty = (p) => spec.lambda * Math.max(0, memory(p.fields.map((f) => DIMS.indexOf(f.dim))) / budget - 1);
  const choices = { fields: fields.map((f) => ({ name: f.name, dims: DIMS, normBudgets: NORMS })), penalty };

  function auc(steps, norms) {
    let a = 0.7;
    fields.forEach((f, i) => {
      const s = steps[i];
      if (s === 0) return;
      a += f.gain * (1 - ((s - f.best) / 3) ** 2) - f.waste * s; // concave in the step, peak at `best`
      a -= f.normGain * Math.abs(norms[i] - f.norm);
    });
    for (const [i, j, w] of pairs) a += (w * Math.min(steps[i], steps[j])) / 4;
    return a;
  }
  /** Reward of a proposal; `noise` is a standard normal draw (the caller's, so runs stay seeded). */
  function reward(p, noise = 0) {
    const steps = p.fields.map((f) => DIMS.indexOf(f.dim));
    const norms = p.fields.map((f) => NORMS.indexOf(f.normAlpha));
    return auc(steps, norms) + spec.noise * noise - penalty(p);
  }
  return { choices, reward };
}

/** A small seeded generator for the landscapes and the noise. */
export function mulberry32(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(rnd) {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}
