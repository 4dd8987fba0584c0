/**
 * An open-addressing hash table from int32 keys to temporary ids, counting each id's occurrences.
 *
 * Temporary ids start at 1, in first-appearance order; 0 is a missing cell (MISSING_TMP), so a later remap array
 * indexed by temporary id handles missing cells without a branch, and counts[0] counts them.
 *
 * Criteo, Avazu and libFM readers hand over most keys as int32 numbers (hex hashes, indices, buckets). A JS Map costs
 * several dependent memory reads per lookup; here a slot is two adjacent Int32 (key, id; id 0 = empty), so a probe
 * reads one cache line and the table of a 220k-value column is 3 MiB. Counts live apart, indexed by id: frequent
 * values (which click logs meet first) have small ids, so their counts stay in cache. Small keys and missing cells
 * skip hashing altogether (see directIndex). The table works on a whole column of a block at once, so its arrays stay in registers for the loop.
 */

import { INT32_MISSING } from './row-sink.js';

/** Key of a missing cell in the int32 columns handed to `internColumn` (a real key of this value takes the slow path). */
export const MISSING_KEY = INT32_MISSING;

/** Temporary id written for a missing cell. */
export const MISSING_TMP = 0;

const INITIAL_SLOTS = 256;
/**
 * Small keys (−1 … DIRECT/2 − 2: buckets, small indices, synthetic ids) and missing cells index a small array of
 * ids instead of the hash table: no hash, and no probe loop, whose data-dependent branches the CPU mispredicts.
 */
const DIRECT = 2048;
/** directIndex(MISSING_KEY). */
const DIRECT_MISSING = 3;

/**
 * Where a key sits in the direct array, or an index ≥ DIRECT: key + 1 rotated left by one bit, so small keys land on
 * small even indices, −1 on 0 and MISSING_KEY on 3 — one unsigned comparison tells direct keys from hashed ones, and
 * a missing cell is handled like any small key rather than by a branch that goes either way at random.
 */
function directIndex(key: number): number {
  const x = (key + 1) | 0;
  return ((x << 1) | (x >>> 31)) >>> 0;
}

/** The key at a direct index (directIndex's inverse). */
function directKey(index: number): number {
  return (((index >>> 1) | (index << 31)) - 1) | 0;
}

/** Tables of at least this many slots count in a pass of their own (see internColumn). */
const COUNT_APART_SLOTS = 1 << 16;
/** Largest share of slots in use before the table grows. */
const MAX_LOAD = 0.7;
/**
 * Growth factor of the table. 1.5× rather than 2× keeps a large table 25 % smaller on average (a 220k-value column
 * takes 3 MiB instead of 4), which matters because the tables are alive exactly when the rows reach their full size.
 */
const GROWTH = 1.5;

/**
 * The home slot (times 2, the index of its key) of a key in a table of `capacity` slots: the multiplicative hash's
 * 32 bits scaled to [0, capacity) ("fast range"; the product is exact in doubles below 2^21 slots, and deterministic
 * beyond, which is all a hash table needs).
 */
function home(key: number, capacity: number): number {
  return (((Math.imul(key, 0x9e3779b1) >>> 0) * capacity) / 4294967296) << 1;
}

export class IntTable {
  /** (key, id) pairs; id 0 marks an empty slot. */
  private slots = new Int32Array(INITIAL_SLOTS * 2);
  /** Number of slots (any size: homes are scaled, not masked, so the table can grow by 1.5× rather than 2×). */
  private capacity = INITIAL_SLOTS;
  private size = 0;
  /** Id + 1 of the keys at each directIndex (0: not seen yet); a missing cell's id is MISSING_TMP. */
  private readonly direct = new Int32Array(DIRECT);
  /** Occurrences of each id, missing cells at 0 (grown on demand; valid below nextId). */
  private counts = new Int32Array(INITIAL_SLOTS);
  /** Scratch for internKey: the key in, the id out. */
  private readonly cell = new Int32Array(2);
  /** The id the next new key gets (= 1 + distinct keys so far, counting those the owner keeps outside the table). */
  nextId = 1;

  constructor() {
    this.direct[DIRECT_MISSING] = MISSING_TMP + 1;
  }

  /**
   * Interns one column: cells `from … from + rows - 1` of `keys` (MISSING_KEY = missing), writing the temporary id of
   * cell `from + r` to `out[to + r·outStride]` (which may be the cell itself).
   */
  internColumn(keys: Int32Array, from: number, rows: number, out: Int32Array, to: number, outStride: number): void {
    // A large table's counts are counted in a second pass: an increment right after each lookup waits for it, and the
    // count of a rare value is a second cache miss; in a pass of their own the misses of many cells overlap. A small
    // table's counts are in cache, where the second pass would only cost time.
    const countApart = this.capacity >= COUNT_APART_SLOTS;
    const direct = this.direct;
    let slots = this.slots;
    let counts = this.counts;
    let capacity = this.capacity;
    for (let r = 0, o = to; r < rows; r++, o += outStride) {
      const key = keys[from + r];
      let id: number;
      const d = directIndex(key);
      if (d < DIRECT) {
        id = direct[d] - 1;
        if (id < 0) {
          id = this.newId();
          direct[d] = id + 1;
          counts = this.counts;
        }
      } else {
        let s = home(key, capacity);
        for (;;) {
          id = slots[s + 1];
          if (id === 0) {
            id = this.insert(key, s);
            slots = this.slots; // a rehash replaces the arrays
            counts = this.counts;
            capacity = this.capacity;
            break;
          }
          if (slots[s] === key) break;
          s += 2;
          if (s === slots.length) s = 0;
        }
      }
      if (!countApart) counts[id]++;
      out[o] = id;
    }
    if (countApart) for (let r = 0, o = to; r < rows; r++, o += outStride) counts[out[o]]++;
  }

  /** The temporary id of one int32 key (or MISSING_TMP for MISSING_KEY), counted: for fields mixing key kinds. */
  internKey(key: number): number {
    const cell = this.cell;
    cell[0] = key;
    this.internColumn(cell, 0, 1, cell, 1, 1);
    return cell[1];
  }

  /** The next temporary id; ids of keys kept outside the table (a Map of strings) are taken here too. */
  newId(): number {
    const id = this.nextId++;
    if (id >= this.counts.length) {
      const bigger = new Int32Array(this.counts.length * 2);
      bigger.set(this.counts);
      this.counts = bigger;
    }
    return id;
  }

  /** Counts one occurrence of an id given by newId() to a key kept outside the table. */
  countOther(id: number): void {
    this.counts[id]++;
  }

  private insert(key: number, s: number): number {
    const id = this.newId();
    const slots = this.slots;
    slots[s] = key;
    slots[s + 1] = id;
    // Keep the load under MAX_LOAD, so probe chains stay short.
    if (++this.size > this.capacity * MAX_LOAD) this.rehash();
    return id;
  }

  /**
   * Makes room for about `distinct` keys at once (an estimate from the expected row count), so that the table is not
   * rebuilt step by step while it is large: each rebuild moves every key, at random, into a new array.
   */
  reserve(distinct: number): void {
    const capacity = Math.ceil(distinct / MAX_LOAD);
    if (capacity > this.capacity) this.rehash(capacity);
    if (distinct + 1 > this.counts.length) {
      const bigger = new Int32Array(distinct + 1);
      bigger.set(this.counts);
      this.counts = bigger;
    }
  }

  private rehash(capacity = Math.ceil(this.capacity * GROWTH)): void {
    const old = this.slots;
    const slots = new Int32Array(capacity * 2);
    for (let o = 0; o < old.length; o += 2) {
      if (old[o + 1] === 0) continue;
      let s = home(old[o], capacity);
      while (slots[s + 1] !== 0) {
        s += 2;
        if (s === slots.length) s = 0;
      }
      slots[s] = old[o];
      slots[s + 1] = old[o + 1];
    }
    this.slots = slots;
    this.capacity = capacity;
  }

  /**
   * Occurrences of each temporary id, missing cells at 0 (length nextId). A view on the table's own array, which the
   * caller may overwrite once it has read it (the vocabulary stores its remap there).
   */
  countsView(): Int32Array {
    return this.counts.subarray(0, this.nextId);
  }

  /**
   * The int32 keys of the kept ids: out[remap[id]] = key of id, for every id of the table whose remap is below
   * `kept`. (Ids of keys kept outside the table are the owner's business.)
   */
  keptKeys(remap: Int32Array, kept: number): Int32Array {
    const out = new Int32Array(kept);
    const direct = this.direct;
    for (let d = 0; d < DIRECT; d++) {
      const id = direct[d] - 1;
      if (id > MISSING_TMP && remap[id] < kept) out[remap[id]] = directKey(d);
    }
    const slots = this.slots;
    for (let s = 0; s < slots.length; s += 2) {
      const id = slots[s + 1];
      if (id !== 0 && remap[id] < kept) out[remap[id]] = slots[s];
    }
    return out;
  }
}
