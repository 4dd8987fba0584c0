// What bench/search-quality.mjs makes of its searches, apart from running them: the planted-truth checks on synthetic
// data and the markdown block for docs/search-quality.md. Pure functions of the records, so the page can be redrawn
// from a --json file without running anything again.

/** The candidate dims of field `name`, ascending: its own override or the space's default list. */
function candidates(features, name) {
  return [...(features.fields?.[name]?.dims ?? features.dims)].sort((a, b) => a - b);
}

/** Position of the smallest candidate that holds `rank` (the largest when none does). */
function truthPosition(cands, rank) {
  const i = cands.findIndex((c) => c >= rank);
  return i < 0 ? cands.length - 1 : i;
}

/**
 * Against the synthetic generator's truth: did every noise field get dim 0 or its smallest candidate, and every
 * informative field a dim within one candidate of its truth (the smallest candidate that holds its latent rank)?
 * Dropping an informative field (dim 0) is a miss even when 0 is the next candidate. Names the fields that missed.
 */
export function plantedChecks(dims, { spec, features }) {
  const noiseMissed = spec.noise
    .map((f) => f.name)
    .filter((n) => dims[n] !== undefined && dims[n] !== 0 && dims[n] !== candidates(features, n)[0]);
  const informativeMissed = spec.informative
    .filter((f) => dims[f.name] !== undefined)
    .filter((f) => {
      const c = candidates(features, f.name);
      return dims[f.name] === 0 || Math.abs(c.indexOf(dims[f.name]) - truthPosition(c, f.dim)) > 1;
    })
    .map((f) => f.name);
  return {
    noiseSmallest: noiseMissed.length === 0,
    noiseMissed,
    informativeWithinOne: informativeMissed.length === 0,
    informativeMissed,
  };
}

const mean = (xs) => xs.reduce((a, x) => a + x, 0) / xs.length;
const sd = (xs) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
const pm = (xs, digits = 4) => `${mean(xs).toFixed(digits)} ± ${sd(xs).toFixed(digits)}`;
const dimsText = (dims) =>
  Object.entries(dims)
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');

/** Records grouped by `key(r)`, in first-seen order. */
function groups(records, key) {
  const out = new Map();
  for (const r of records) {
    const k = key(r);
    if (!out.has(k)) out.set(k, []);
    out.get(k).push(r);
  }
  return out;
}

/** The markdown block: per dataset a summary per (controller, trials) and every search's best trial. */
export function summaryLines({ records, skipped, command, date }) {
  const lines = [`Generated on ${date} by \`${command}\`.`, ''];
  for (const s of skipped)
    lines.push(`- ${s.dataset}: skipped, its data is absent (${s.missing.split(/[\\/]/).slice(-2).join('/')}).`);
  if (skipped.length > 0) lines.push('');
  for (const [dataset, rows] of groups(records, (r) => r.dataset)) {
    const synthetic = rows[0].noiseSmallest !== undefined;
    const seedCount = new Set(rows.map((r) => r.seed)).size;
    lines.push(
      `## ${dataset}`,
      '',
      `Mean ± sd over ${seedCount} seed(s); a larger trial count is the smaller search resumed.`,
      '',
    );
    const head = [
      'controller',
      'trials',
      'best reward',
      'test AUC of the best',
      'valid AUC',
      'memory (MB)',
      'wall (s)',
    ];
    if (synthetic) head.push('noise at smallest', 'informative within one');
    lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
    for (const g of groups(rows, (r) => `${r.controller}\u0000${r.trials}`).values()) {
      const cells = [
        g[0].controller,
        g[0].trials,
        pm(g.map((r) => r.reward)),
        pm(g.map((r) => r.testAuc)),
        mean(g.map((r) => r.validAuc)).toFixed(4),
        (mean(g.map((r) => r.memoryBytes)) / 1e6).toFixed(3),
        mean(g.map((r) => r.wallSeconds)).toFixed(0),
      ];
      if (synthetic)
        cells.push(
          `${g.filter((r) => r.noiseSmallest).length}/${g.length}`,
          `${g.filter((r) => r.informativeWithinOne).length}/${g.length}`,
        );
      lines.push(`| ${cells.join(' | ')} |`);
    }
    lines.push(
      '',
      '| controller | trials | seed | best reward | valid AUC | test AUC | memory (MB) | wall (s) | dims of the best |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of rows) {
      const missed = synthetic
        ? [...r.noiseMissed.map((n) => `${n} not smallest`), ...r.informativeMissed.map((n) => `${n} off truth`)]
        : [];
      const dims = dimsText(r.dims) + (missed.length > 0 ? ` (${missed.join(', ')})` : '');
      lines.push(
        `| ${r.controller} | ${r.trials} | ${r.seed} | ${r.reward.toFixed(4)} | ${r.validAuc.toFixed(4)} | ${r.testAuc.toFixed(4)} | ${(r.memoryBytes / 1e6).toFixed(3)} | ${r.wallSeconds.toFixed(0)} | ${dims} |`,
      );
    }
    lines.push('');
  }
  return lines;
}
