/**
 * The byte-level parser of one Criteo line, the hottest loop of loading a click log.
 *
 * Lines are parsed straight from the Buffer bytes, without building strings. Typed-array loads and data-dependent
 * branches are what a byte loop pays for in V8, so the common cells are read four bytes at a time (one unaligned
 * DataView load) and decoded with 32-bit SWAR arithmetic: an 8-digit hex id is two loads, an integer of up to three
 * digits is one. Anything else (longer integers, ids of other lengths, malformed cells) takes a byte-by-byte path.
 */
import { INT32_MISSING } from '../row-sink.js';
import { HEX_DIGIT, MAX_HEX_DIGITS, NEGATIVE_BUCKET, hexKeyOf, log2Bucket } from './buckets.js';

export const INTEGER_COLUMNS = 13;
export const CATEGORICAL_COLUMNS = 26;
/** Label + integers + categoricals. */
export const COLUMNS = 1 + INTEGER_COLUMNS + CATEGORICAL_COLUMNS;
/** Bit of parseLine's result: the line has a key that is not an int32 (it went to `wide`). */
export const WIDE = 2;
const TAB = 9;
const MINUS = 45;

/**
 * Parses one line, buf[start, end), into column `row` of the column-major block `keys`: the key of the field in slot s
 * goes to keys[at[column] + row] with at[column] = s · stride (−1: the column is not read), INT32_MISSING for an
 * empty cell. Integer cells become their log2 bucket, hex ids their exact numeric form (hexKeyOf).
 *
 * Returns the label, plus WIDE when some key is not an int32 — an id of other than 8 hex digits, or the one id whose
 * key is INT32_MISSING itself — and was put in wide[slot] instead; −1 when the line is malformed (the block and `wide`
 * then hold garbage). `dv` views the same memory as `buf`.
 */
export function parseLine(
  buf: Uint8Array,
  dv: DataView,
  start: number,
  end: number,
  at: Int32Array,
  keys: Int32Array,
  stride: number,
  row: number,
  wide: Float64Array,
): number {
  const first = buf[start];
  if ((first !== 48 && first !== 49) || start + 1 >= end || buf[start + 1] !== TAB) return -1;
  let flags = first - 48;
  let p = start + 2;
  const size = buf.length;
  for (let column = 1; column <= INTEGER_COLUMNS; column++) {
    const o = at[column];
    if (o < 0) {
      while (p < end && buf[p] !== TAB) p++;
    } else if (p + 4 <= size && p < end) {
      // Up to three digits (or a sign and two) before the tab: one load, no loop.
      const x = dv.getInt32(p, true);
      const negative = (x & 0xff) === MINUS;
      const digits = negative ? x >> 8 : x;
      const n = leadingDigits(digits);
      if (n < (negative ? 3 : 4)) {
        const q = p + n + (negative ? 1 : 0);
        if (q > end || (q < end && buf[q] !== TAB)) return -1;
        if (n === 0) {
          if (negative) return -1;
          keys[o + row] = INT32_MISSING;
        } else {
          const value = decimal4(digits, n);
          keys[o + row] = negative && value !== 0 ? NEGATIVE_BUCKET : 31 - Math.clz32(value + 1);
        }
        p = q;
      } else {
        p = slowInteger(buf, p, end, keys, o + row, wide, o / stride);
        if (p < 0) return -1;
        if (keys[o + row] === INT32_MISSING) flags |= WIDE;
      }
    } else if (p === end || buf[p] === TAB) {
      keys[o + row] = INT32_MISSING;
    } else {
      p = slowInteger(buf, p, end, keys, o + row, wide, o / stride);
      if (p < 0) return -1;
      if (keys[o + row] === INT32_MISSING) flags |= WIDE;
    }
    if (p >= end) return -1; // too few columns
    p++; // the tab
  }

  for (let column = INTEGER_COLUMNS + 1; column < COLUMNS; column++) {
    const o = at[column];
    const q = p + 8;
    // The common cell: 8 hex digits, then a tab or the end of the line.
    if (o >= 0 && q <= end && (q === end || buf[q] === TAB)) {
      const hi = hex4(dv.getInt32(p, true));
      const lo = hex4(dv.getInt32(p + 4, true));
      const key = (hi << 16) | lo;
      if ((hi | lo) >= 0 && key !== INT32_MISSING) {
        keys[o + row] = key;
        p = q;
        if (column < COLUMNS - 1) {
          if (p === end) return -1; // too few columns
          p++;
        } else if (p !== end) {
          return -1; // too many columns
        }
        continue;
      }
    }
    if (o < 0) {
      while (p < end && buf[p] !== TAB) p++;
    } else {
      let value = 0;
      const digitsFrom = p;
      while (p < end) {
        const b = buf[p];
        if (b === TAB) break;
        const d = HEX_DIGIT[b];
        if (d < 0) return -1;
        value = value * 16 + d;
        p++;
      }
      const digits = p - digitsFrom;
      if (digits === 0) keys[o + row] = INT32_MISSING;
      else if (digits > MAX_HEX_DIGITS) return -1;
      else {
        wide[o / stride] = hexKeyOf(value, digits);
        flags |= WIDE;
      }
    }
    if (column < COLUMNS - 1) {
      if (p === end) return -1; // too few columns
      p++;
    } else if (p !== end) {
      return -1; // too many columns
    }
  }
  return flags;
}

/**
 * A non-empty integer cell byte by byte (long numbers, the end of a buffer): writes its bucket to keys[o] — or, when
 * that is no int32 (a number of hundreds of digits), to wide[slot] with keys[o] = INT32_MISSING — and returns the
 * position after it; −1 when it is no integer.
 */
function slowInteger(
  buf: Uint8Array,
  p: number,
  end: number,
  keys: Int32Array,
  o: number,
  wide: Float64Array,
  slot: number,
): number {
  const negative = buf[p] === MINUS;
  if (negative) p++;
  let value = 0;
  const digitsFrom = p;
  while (p < end) {
    const d = buf[p] - 48;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
    p++;
  }
  if (p === digitsFrom || (p < end && buf[p] !== TAB)) return -1;
  const bucket = negative && value !== 0 ? NEGATIVE_BUCKET : log2Bucket(value);
  if ((bucket | 0) === bucket) {
    keys[o] = bucket;
    return p;
  }
  wide[slot] = bucket;
  keys[o] = INT32_MISSING;
  return p;
}

/** How many of the 4 bytes of x (little-endian: the first byte lowest) are ASCII digits before the first non-digit. */
function leadingDigits(x: number): number {
  const low7 = x & 0x7f7f7f7f;
  // Per byte, bit 7 set when 0x30 ≤ byte ≤ 0x39 (on the low 7 bits, which cannot carry) and the byte is ASCII.
  const digit = ((low7 + 0x50505050) | 0) & ~((low7 + 0x46464646) | 0) & ~x & 0x80808080;
  const other = ~digit & 0x80808080;
  return other === 0 ? 4 : (31 - Math.clz32(other & -other)) >> 3;
}

/** The value of the first n (1..4) bytes of x, all ASCII digits, the first the most significant. */
function decimal4(x: number, n: number): number {
  let v = (x << ((4 - n) << 3)) & 0x0f0f0f0f;
  v = (Math.imul(v, 10) + (v >>> 8)) & 0x00ff00ff;
  return (Math.imul(v, 100) + (v >>> 16)) & 0xffff;
}

/** The value of 4 hex digits (either case) in the bytes of x, the first the most significant; −1 if one is not. */
function hex4(x: number): number {
  if ((x & 0x80808080) !== 0) return -1;
  const digit = ((x + 0x50505050) | 0) & ~((x + 0x46464646) | 0);
  const lower = x | 0x20202020;
  const letter = ((lower + 0x1f1f1f1f) | 0) & ~((lower + 0x19191919) | 0);
  if (((digit | letter) & 0x80808080) !== (0x80808080 | 0)) return -1;
  const letters = (letter >> 7) & 0x01010101;
  const nibbles = ((x & 0x0f0f0f0f) + ((letters << 3) + letters)) | 0;
  const pairs = ((nibbles & 0x0f000f00) >> 8) | ((nibbles & 0x000f000f) << 4);
  return ((pairs & 0xff) << 8) | ((pairs >> 16) & 0xff);
}
