/**
 * Compact numeric keys: log2 buckets for integer / numeric columns and an exact numeric form of hex ids.
 */

/** Key of every negative value (one bucket for all of them: in click logs negatives are rare sentinels). */
export const NEGATIVE_BUCKET = -1;

/** ⌊log2(x + 1)⌋ for x ≥ 0 (0 → 0, 1..2 → 1, 3..6 → 2, 7..14 → 3, …); NEGATIVE_BUCKET for x < 0. */
export function log2Bucket(x: number): number {
  if (x < 0) return NEGATIVE_BUCKET;
  const y = x + 1;
  // clz32 is exact and fast while y fits 32 bits; Math.log2 is exact at powers of two beyond that.
  if (y < 4294967296) return 31 - Math.clz32(y);
  return Math.floor(Math.log2(y));
}

/** Longest hex id that still maps to a distinct safe integer. */
export const MAX_HEX_DIGITS = 13;

/** HEX_OFFSET[len] = Σ_{k<len} 16^k: where ids of `len` digits start in bijective base 16. */
const HEX_OFFSET: readonly number[] = (() => {
  const offsets = [0];
  for (let len = 1; len <= MAX_HEX_DIGITS; len++) offsets.push(offsets[len - 1] + 16 ** (len - 1));
  return offsets;
})();

const TWO_POW_31 = 2 ** 31;

/**
 * The key of a hex id of `digits` digits (1..13) whose value is `value`; no two ids share a key, except that letter
 * case is ignored. 8-digit ids (Criteo's hashes) map to their signed 32-bit value: a small integer V8 stores in an
 * array without allocating, which matters at 26 ids per line. Every other length goes to v + Σ_{k<len} 16^k + 2^31
 * (bijective base 16, above the 32-bit range), so leading zeros still count ("0a" ≠ "a") and every key is a safe
 * integer.
 */
export function hexKeyOf(value: number, digits: number): number {
  return digits === 8 ? value | 0 : value + HEX_OFFSET[digits] + TWO_POW_31;
}

/** hex digit value of each byte; -1 for a byte that is not a hex digit. */
export const HEX_DIGIT: Int8Array = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) table[48 + i] = i;
  for (let i = 0; i < 6; i++) table[97 + i] = table[65 + i] = 10 + i;
  return table;
})();

/** The key of a hex id string, or null when it is not 1..13 hex digits (letters in either case). */
export function hexKey(s: string): number | null {
  if (s.length === 0 || s.length > MAX_HEX_DIGITS || !/^[0-9a-fA-F]+$/.test(s)) return null;
  return hexKeyOf(parseInt(s, 16), s.length);
}
