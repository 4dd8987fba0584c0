/**
 * An open-addressing hash table from int32 keys to temporary ids, counting each id's occurrences.
 *
 * Criteo, Avazu and libFM readers hand over most keys as int32 numbers (hex hashes, indices, buckets). A JS Map costs
 * several dependent memory reads per lookup; here a slot is two adjacent Int32 (key, id + 1), so a probe reads one
 * cache line and the table of a 220k-value column is 4 MiB. Counts live apart, indexed by id: ids are handed out in
 * first-appearance order, so the frequent values (which click logs meet first) have small ids and their counts stay
 * in cache. Keys in [0, DIRECT) skip hashing altogether.
 * The table works on a whole column of a block at once, so its arrays and masks stay in registers for the loop.
 */

import { INT32_MISSING } from './row-sink.js';

/** Key of a missing cell in the int32 columns handed to `internColumn` (a real key of this value takes the slow path). */
export const MISSING_KEY = INT32_MISSING;

/** Temporary id written for a missing cell. */
export const MISSING_TMP = -1;

const INITIAL_SLOTS = 256;
/**
 * Keys in [0, DIRECT) index a small array of id + 1: buckets, small indices and synthetic ids need no hash and no
 * probe loop (whose data-dependent branches the CPU mispredicts).
 */
const DIRECT = 1024;
/**
 * Above this many slots a column is looked up in two passes: the first computes every cell's home slot and touches it,
 * so the cache misses of a whole column overlap instead of waiting one after the other behind the probe loop's
 * branches; the second probes, now from cache.
 */
const PREFETCH_SLOTS = 1 << 15;

export class IntTable {
  /** (key, id + 1) pairs; id + 1 = 0 marks an empty slot. */
  private slots = new Int32Array(INITIAL_SLOTS * 2);
  /** Element mask of a slot index times 2: (slots − 1) · 2. */
  private mask = (INITIAL_SLOTS - 1) * 2;
  /** Right shift taking the top log2(slots) bits of the mixed key (Fibonacci hashing). */
  private shift = 32 - Math.log2(INITIAL_SLOTS);
  private size = 0;
  /** id + 1 of keys 0..DIRECT-1. */
  private readonly direct = new Int32Array(DIRECT);
  /** Occurrences of each id (grown on demand; valid up to nextId). */
  private counts = new Int32Array(INITIAL_SLOTS);
  /** Home slot of each cell of the column being interned (the prefetch pass). */
  private homes = new Int32Array(0);
  /** Scratch for internKey: the key in, the id out. */
  private readonly cell = new Int32Array(2);
  /** Folds the touched slots so the prefetch pass's loads are not optimized away. */
  private touched = 0;
  /** The id the next new key gets (= distinct keys so far, counting those the owner keeps outside the table). */
  nextId = 0;
  /** Missing cells seen. */
  missing = 0;

  /**
   * Interns one column: cells `from … from + rows - 1` of `keys` (MISSING_KEY = missing), writing the temporary id of
   * cell `from + r` to `out[to + r·outStride]`.
   */
  internColumn(keys: Int32Array, from: number, rows: number, out: Int32Array, to: number, outStride: number): void {
    if (this.slots.length >= PREFETCH_SLOTS * 2 && rows > 16) {
      this.internPrefetched(keys, from, rows, out, to, outStride);
      return;
    }
    const direct = this.direct;
    let slots = this.slots;
    let counts = this.counts;
    let mask = this.mask;
    let shift = this.shift;
    let missing = 0;
    for (let q = from, end = from + rows, o = to; q < end; q++, o += outStride) {
      const key = keys[q];
      let id: number;
      if (key >= 0 && key < DIRECT) {
        const id1 = direct[key];
        if (id1 !== 0) id = id1 - 1;
        else {
          direct[key] = (id = this.newId()) + 1;
          counts = this.counts;
        }
      } else if (key === MISSING_KEY) {
        out[o] = MISSING_TMP;
        missing++;
        continue;
      } else {
        let s = (Math.imul(key, 0x9e3779b1) >>> shift) << 1;
        for (;;) {
          const id1 = slots[s + 1];
          if (id1 === 0) {
            id = this.insert(key, s);
            slots = this.slots; // a rehash replaces the arrays
            counts = this.counts;
            mask = this.mask;
            shift = this.shift;
            break;
          }
          if (slots[s] === key) {
            id = id1 - 1;
            break;
          }
          s = (s + 2) & mask;
        }
      }
      counts[id]++;
      out[o] = id;
    }
    this.missing += missing;
  }

  /** internColumn for a large table: all home slots first (their cache misses overlap), then the probes. */
  private internPrefetched(keys: Int32Array, from: number, rows: number, out: Int32Array, to: number, outStride: number): void {
    if (this.homes.length < rows) this.homes = new Int32Array(rows);
    const homes = this.homes;
    const hashed = this.slots;
    let slots = hashed;
    let shift = this.shift;
    let touched = 0;
    for (let r = 0; r < rows; r++) {
      const s = (Math.imul(keys[from + r], 0x9e3779b1) >>> shift) << 1;
      homes[r] = s;
      touched ^= slots[s];
    }
    this.touched ^= touched;
    const direct = this.direct;
    let counts = this.counts;
    let mask = this.mask;
    let missing = 0;
    for (let r = 0, o = to; r < rows; r++, o += outStride) {
      const key = keys[from + r];
      let id: number;
      if (key >= 0 && key < DIRECT) {
        const id1 = direct[key];
        if (id1 !== 0) id = id1 - 1;
        else {
          direct[key] = (id = this.newId()) + 1;
          counts = this.counts;
        }
      } else if (key === MISSING_KEY) {
        out[o] = MISSING_TMP;
        missing++;
        continue;
      } else {
        // After a rehash the precomputed homes are stale: hash again.
        let s = slots === hashed ? homes[r] : (Math.imul(key, 0x9e3779b1) >>> shift) << 1;
        for (;;) {
          const id1 = slots[s + 1];
          if (id1 === 0) {
            id = this.insert(key, s);
            if (slots !== this.slots) {
              slots = this.slots;
              mask = this.mask;
              shift = this.shift;
            }
            counts = this.counts;
            break;
          }
          if (slots[s] === key) {
            id = id1 - 1;
            break;
          }
          s = (s + 2) & mask;
        }
      }
      counts[id]++;
      out[o] = id;
    }
    this.missing += missing;
  }

  /** The temporary id of one int32 key (not MISSING_KEY), counted: for fields that mix int32 keys with others. */
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

  /** Counts one missing cell seen outside internColumn. */
  countMissing(): void {
    this.missing++;
  }

  private insert(key: number, s: number): number {
    const id = this.newId();
    const slots = this.slots;
    slots[s] = key;
    slots[s + 1] = id + 1;
    // Keep the load at most one half, so probe chains stay short.
    if (++this.size * 4 > slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const old = this.slots;
    const count = old.length; // twice the slots: old.length / 2 · 2
    const slots = new Int32Array(count * 2);
    const mask = (count - 1) * 2;
    const shift = 32 - Math.log2(count);
    for (let o = 0; o < old.length; o += 2) {
      if (old[o + 1] === 0) continue;
      let s = (Math.imul(old[o], 0x9e3779b1) >>> shift) << 1;
      while (slots[s + 1] !== 0) s = (s + 2) & mask;
      slots[s] = old[o];
      slots[s + 1] = old[o + 1];
    }
    this.slots = slots;
    this.mask = mask;
    this.shift = shift;
  }

  /** Occurrences of each id, 0..nextId-1 (a copy: the table can be dropped). */
  exportCounts(): Int32Array {
    return this.counts.slice(0, this.nextId);
  }

  /** The int32 key of each id, 0..nextId-1; ids of keys kept outside the table are left 0 for the owner to fill. */
  exportKeys(): Int32Array {
    const keys = new Int32Array(this.nextId);
    const direct = this.direct;
    for (let key = 0; key < DIRECT; key++) if (direct[key] !== 0) keys[direct[key] - 1] = key;
    const slots = this.slots;
    for (let s = 0; s < slots.length; s += 2) if (slots[s + 1] !== 0) keys[slots[s + 1] - 1] = slots[s];
    return keys;
  }
}
