/**
 * Writes Criteo-format files that look like the real logs, for tests and the parse benchmark: the per-column missing
 * rates and cardinalities of the public Kaggle release (cardinalities capped), heavy-tailed integers with a few
 * negative sentinels in I2, Zipf-like id frequencies, 8-digit hex ids, and a label that depends on a few columns so a
 * model has something to learn. The same seed always writes the same bytes.
 */
import fs from 'node:fs';
import seedrandom from 'seedrandom';

/** Share of empty cells in I1..I13. */
const INTEGER_MISSING = [0.45, 0, 0.21, 0.22, 0.03, 0.22, 0.04, 0.001, 0.04, 0.45, 0.04, 0.77, 0.22];
/** Median magnitude of I1..I13 (log-normal around it). */
const INTEGER_SCALE = [2, 3, 10, 5, 2000, 50, 5, 10, 40, 1, 3, 1, 5];
/** Distinct values of C1..C26 (the real ones, capped at one million). */
const CARDINALITY = [
  1460, 583, 1e6, 1e6, 305, 24, 12517, 633, 3, 93145, 5683, 1e6, 3194, 27, 14992, 1e6, 10, 5652, 2173, 4, 1e6, 18, 15,
  286181, 105, 142572,
];
/** Share of empty cells in C1..C26. */
const CATEGORICAL_MISSING = [
  0, 0, 0.03, 0.03, 0, 0.12, 0, 0, 0, 0, 0, 0.03, 0, 0, 0, 0.03, 0, 0, 0.44, 0.44, 0.03, 0.76, 0, 0.03, 0.44, 0.44,
];
/** Categorical columns (0-based) whose values move the label. */
const INFORMATIVE = [0, 1, 4, 8, 13, 16];

/** A fixed 32-bit mix of (column, rank): the "hash" a real pipeline would have produced. */
function mix(column: number, rank: number): number {
  let h = Math.imul(column + 1, 0x9e3779b1) ^ Math.imul(rank + 1, 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Bytes gathered before a write: the lines are written as bytes, so generating a large file leaves no garbage. */
const WRITE_BYTES = 1 << 20;
/** Longest line: a label, 13 integers of at most 16 digits (and a sign), 26 ids of 8 digits, 39 tabs, a newline. */
const MAX_LINE_BYTES = 2 + 13 * 17 + 26 * 8 + 39 + 1;
const TAB = 9;
const NEWLINE = 10;
const HEX = Buffer.from('0123456789abcdef', 'latin1');

/** Writes `lines` rows to `path` (overwriting it). */
export async function writeCriteoFile(path: string, lines: number, seed: number): Promise<void> {
  const random = seedrandom.alea(`criteo-fixture:${seed}`);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  // Rank r is drawn with P ∝ 1/(r+1): log-uniform over [1, n+1), i.e. Zipf with exponent 1.
  const zipfRank = (n: number): number => Math.min(n - 1, Math.floor(Math.exp(random() * Math.log(n + 1))) - 1);

  const out = fs.createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  done.catch(() => undefined); // a failed write rejects both; the caller hears it once, from the write
  const buf = Buffer.allocUnsafe(WRITE_BYTES + MAX_LINE_BYTES);
  let pos = 0;
  const decimal = (value: number): void => {
    if (value < 0) {
      buf[pos++] = 45; // '-'
      value = -value;
    }
    const from = pos;
    do {
      buf[pos++] = 48 + (value % 10);
      value = Math.floor(value / 10);
    } while (value > 0);
    buf.subarray(from, pos).reverse();
  };
  for (let n = 0; n < lines; n++) {
    const labelAt = pos;
    pos += 2; // the label and its tab, written once the label is drawn
    let logit = -1.3;
    for (let i = 0; i < INTEGER_MISSING.length; i++) {
      if (random() < INTEGER_MISSING[i]) {
        // empty cell
      } else if (i === 1 && random() < 0.08) {
        decimal(-1 - Math.floor(random() * 3));
      } else {
        const value = Math.floor(INTEGER_SCALE[i] * Math.exp(1.2 * normal()) - 0.5);
        decimal(Math.max(0, value));
        if (i === 4) logit += 0.1 * (Math.log2(value + 2) - 10);
      }
      buf[pos++] = TAB;
    }
    for (let c = 0; c < CARDINALITY.length; c++) {
      if (random() >= CATEGORICAL_MISSING[c]) {
        const h = mix(c, zipfRank(CARDINALITY[c]));
        for (let shift = 28; shift >= 0; shift -= 4) buf[pos++] = HEX[(h >>> shift) & 15];
        if (INFORMATIVE.includes(c)) logit += ((h & 1023) / 1023 - 0.5) * 1.6;
      }
      buf[pos++] = c < CARDINALITY.length - 1 ? TAB : NEWLINE;
    }
    buf[labelAt] = random() < 1 / (1 + Math.exp(-logit)) ? 49 : 48;
    buf[labelAt + 1] = TAB;
    if (pos >= WRITE_BYTES || n === lines - 1) {
      // Waiting until the bytes are written lets the next lines reuse the buffer (and keeps the file out of memory).
      const full = buf.subarray(0, pos);
      await new Promise<void>((resolve, reject) => out.write(full, (e) => (e ? reject(e) : resolve())));
      pos = 0;
    }
  }
  out.end();
  await done;
}
