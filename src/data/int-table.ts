/**
 * An open-addressing hash table from int32 keys to temporary ids, with each key's occurrence count in the same slot.
 *
 * Criteo, Avazu and libFM readers hand over most keys as int32 numbers (hex hashes, indices, buckets). A JS Map costs
 * several dependent memory reads per lookup; here one lookup touches one 16-byte slot (key, id + 1, count, unused),
 * so a hot key is one cache line and counting needs no second array. Keys in [0, DIRECT) skip hashing altogether.
 * The table works on a whole column of a block at once, so its arrays and masks stay in registers for the loop.
 */

/** Slot layout: four Int32 per slot. */
const STRIDE = 4;
const KEY = 0;
/** id + 1, so 0 marks an empty slot. */
const ID = 1;
const COUNT = 2;
const INITIAL_SLOTS = 256;
/**
 * Keys in [0, DIRECT) index a small array of (id + 1, count) pairs: buckets, small indices and synthetic ids need no
 * hash and no probe loop (whose data-dependent branches the CPU mispredicts).
 */
const DIRECT = 1024;

/** Cell kinds of a block (see encoder.ts). */
export const CELL_INT = 0;
export const CELL_MISSING = 1;
export const CELL_OTHER = 2;

/** Temporary id written for a missing cell. */
export const MISSING_TMP = -1;

export class IntTable {
  private slots = new Int32Array(INITIAL_SLOTS * STRIDE);
  /** Element mask of a slot index times STRIDE: (slots − 1) · STRIDE. */
  private mask = (INITIAL_SLOTS - 1) * STRIDE;
  /** Right shift taking the top log2(slots) bits of the mixed key (Fibonacci hashing). */
  private shift = 32 - Math.log2(INITIAL_SLOTS);
  private size = 0;
  /** (id + 1, count) of keys 0..DIRECT-1. */
  private readonly direct = new Int32Array(DIRECT * 2);
  /** The id the next new key gets (= distinct keys so far, counting those the owner keeps outside the table). */
  nextId = 0;
  /** Missing cells seen. */
  missing = 0;
  /** Occurrences of ids handed out for keys kept outside the table (indexed by id, grown on demand). */
  private otherCounts = new Int32Array(0);

  /**
   * Interns one column: cells `from … from + rows - 1` of `keys`/`kinds`, writing the temporary id of cell `from + r`
   * to `out[to + r·outStride]`. Integer cells are interned, missing cells get MISSING_TMP, CELL_OTHER cells are left
   * for the caller.
   */
  internColumn(
    keys: Int32Array,
    kinds: Uint8Array,
    from: number,
    rows: number,
    out: Int32Array,
    to: number,
    outStride: number,
  ): void {
    const direct = this.direct;
    let slots = this.slots;
    let mask = this.mask;
    let shift = this.shift;
    let missing = 0;
    for (let q = from, end = from + rows, o = to; q < end; q++, o += outStride) {
      const kind = kinds[q];
      if (kind !== CELL_INT) {
        if (kind === CELL_MISSING) {
          out[o] = MISSING_TMP;
          missing++;
        }
        continue;
      }
      const key = keys[q];
      let id: number;
      if (key >= 0 && key < DIRECT) {
        const at = key << 1;
        const id1 = direct[at];
        if (id1 === 0) direct[at] = (id = this.newId()) + 1;
        else id = id1 - 1;
        direct[at + 1]++;
      } else {
        let s = (Math.imul(key, 0x9e3779b1) >>> shift) * STRIDE;
        for (;;) {
          const id1 = slots[s + ID];
          if (id1 === 0) {
            id = this.insert(key, s);
            slots = this.slots; // a rehash replaces the arrays
            mask = this.mask;
            shift = this.shift;
            break;
          }
          if (slots[s + KEY] === key) {
            slots[s + COUNT]++;
            id = id1 - 1;
            break;
          }
          s = (s + STRIDE) & mask;
        }
      }
      out[o] = id;
    }
    this.missing += missing;
  }

  /** The next temporary id; ids of keys kept outside the table (a Map of strings) are taken here too. */
  newId(): number {
    return this.nextId++;
  }

  /** Counts one occurrence of an id given by newId() to a key kept outside the table. */
  countOther(id: number): void {
    if (id >= this.otherCounts.length) {
      const bigger = new Int32Array(Math.max(256, (id + 1) * 2));
      bigger.set(this.otherCounts);
      this.otherCounts = bigger;
    }
    this.otherCounts[id]++;
  }

  private insert(key: number, s: number): number {
    const id = this.newId();
    const slots = this.slots;
    slots[s + KEY] = key;
    slots[s + ID] = id + 1;
    slots[s + COUNT] = 1;
    // Keep the load at most one half, so probe chains stay short.
    if (++this.size * 2 > slots.length / STRIDE) this.rehash();
    return id;
  }

  private rehash(): void {
    const old = this.slots;
    const count = (old.length / STRIDE) * 2;
    const slots = new Int32Array(count * STRIDE);
    const mask = (count - 1) * STRIDE;
    const shift = 32 - Math.log2(count);
    for (let o = 0; o < old.length; o += STRIDE) {
      if (old[o + ID] === 0) continue;
      let s = (Math.imul(old[o + KEY], 0x9e3779b1) >>> shift) * STRIDE;
      while (slots[s + ID] !== 0) s = (s + STRIDE) & mask;
      slots[s + KEY] = old[o + KEY];
      slots[s + ID] = old[o + ID];
      slots[s + COUNT] = old[o + COUNT];
    }
    this.slots = slots;
    this.mask = mask;
    this.shift = shift;
  }

  /** Writes each id's count into `counts[id]` and, for int32 keys, the key into `keys[id]`. */
  export(counts: Int32Array, keys: (string | number)[]): void {
    counts.set(this.otherCounts.subarray(0, Math.min(counts.length, this.otherCounts.length)));
    const direct = this.direct;
    for (let key = 0; key < DIRECT; key++) {
      const id1 = direct[key * 2];
      if (id1 === 0) continue;
      counts[id1 - 1] = direct[key * 2 + 1];
      keys[id1 - 1] = key;
    }
    const slots = this.slots;
    for (let s = 0; s < slots.length; s += STRIDE) {
      const id1 = slots[s + ID];
      if (id1 === 0) continue;
      counts[id1 - 1] = slots[s + COUNT];
      keys[id1 - 1] = slots[s + KEY];
    }
  }
}
