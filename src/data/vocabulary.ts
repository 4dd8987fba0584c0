/**
 * Final ids of each field, from the counts of the interned rows — the training rows' counts (training-counts.ts).
 *
 * Values seen at least minCount times get ids 0..kept-1 in descending frequency (ties broken by first appearance, so
 * the order is deterministic and a "top-k rows" cut is an id prefix); rarer values, and values that occur only outside
 * the counted rows (count 0), share oovId = kept; missing cells get
 * missingId = kept + 1. The rows are rewritten to these ids by finalize-rows.ts.
 */
import { createHash } from 'node:crypto';
import type { EncodedField } from './encoded-dataset.js';
import { MISSING_TMP, type InternedField, type InternedRows } from './encoder.js';

export interface Vocabulary {
  fields: EncodedField[];
  /** Per field: temporary id → final id (MISSING_TMP → missingId). */
  remaps: Int32Array[];
}

/** Counts below this are bucket-sorted; the few values above it are sorted by comparison. */
const BUCKETED_COUNTS = 4096;

/**
 * Temporary ids with count ≥ minCount, by descending count, ties by ascending id (= first appearance).
 * Most values of a click log are rare, so a counting sort over small counts does nearly all the work in linear time.
 * `spare` zeros follow the order in the array, for a caller that reuses it.
 */
export function frequencyOrder(tmpCounts: Int32Array, minCount: number, spare = 0): Int32Array {
  const hist = new Int32Array(BUCKETED_COUNTS);
  const frequent: number[] = [];
  let kept = 0;
  for (let t = 0; t < tmpCounts.length; t++) {
    const c = tmpCounts[t];
    if (c < minCount) continue;
    kept++;
    if (c >= BUCKETED_COUNTS) frequent.push(t);
    else hist[c]++;
  }
  frequent.sort((a, b) => tmpCounts[b] - tmpCounts[a] || a - b);
  const order = new Int32Array(kept + spare);
  order.set(frequent);
  // next[c] = where the next id of count c goes: buckets laid out from the largest count down.
  const next = new Int32Array(BUCKETED_COUNTS);
  for (let c = BUCKETED_COUNTS - 1, pos = frequent.length; c >= minCount && c > 0; c--) {
    next[c] = pos;
    pos += hist[c];
  }
  for (let t = 0; t < tmpCounts.length; t++) {
    const c = tmpCounts[t];
    if (c >= minCount && c < BUCKETED_COUNTS) order[next[c]++] = t;
  }
  return order;
}

/**
 * Builds one field's vocabulary from its interned counts. The remap (temporary id → final id, MISSING_TMP → missingId)
 * is written over `interned.counts`, which is not needed afterwards: no second array of that size.
 */
export function buildFieldVocabulary(
  name: string,
  interned: InternedField,
  minCount: number,
): { field: EncodedField; remap: Int32Array } {
  const tmp = interned.counts;
  const distinct = tmp.length - 1;
  // Ranks in the order of the values' temporary ids, which start at 1 (0 = missing); two spare slots at the end, so
  // the array can become the field's counts (kept values, OOV, missing) in place.
  const order = frequencyOrder(tmp.subarray(1), minCount, 2);
  const kept = order.length - 2;
  const oovId = kept;
  const missingId = kept + 1;

  let total = 0;
  let seen = 0;
  for (let t = 1; t <= distinct; t++) {
    total += tmp[t];
    if (tmp[t] > 0) seen++;
  }
  const missing = tmp[MISSING_TMP];
  // In one pass: a kept value's count moves into the order array, and its place in `tmp` (counts are ≥ 1) marks it
  // with its final id as ~id < 0; the next pass turns the marks into the remap, and every other value into oovId.
  const counts = order;
  let keptCount = 0;
  for (let id = 0; id < kept; id++) {
    const t = order[id] + 1;
    counts[id] = tmp[t];
    keptCount += tmp[t];
    tmp[t] = ~id;
  }
  counts[oovId] = total - keptCount;
  counts[missingId] = missing;
  const remap = tmp;
  remap[MISSING_TMP] = missingId;
  for (let t = 1; t <= distinct; t++) remap[t] = remap[t] < 0 ? ~remap[t] : oovId;

  const keys = interned.keptKeys(remap, kept);
  const keyDigest = digestKeys(keys.ints, keys.others);
  const field = { name, rows: kept + 2, kept, oovId, missingId, counts, distinct: seen, keyDigest } as EncodedField;
  return { field: withLazyValues(field, () => valueStrings(keys.ints, keys.others)), remap };
}

/** sha256 of the kept keys in id order: the int32 keys as bytes (one update), the others (rare) one by one. */
function digestKeys(ints: Int32Array, others: (string | number | undefined)[] | null): string {
  const hash = createHash('sha256').update(new Uint8Array(ints.buffer, ints.byteOffset, ints.byteLength));
  if (others !== null)
    others.forEach((k, id) => k !== undefined && hash.update(`\u0000${id}\u0000${typeof k}\u0000${k}`));
  return hash.digest('hex');
}

/** The raw value of each kept id as a string: the numeric keys formatted, the others as they are. */
function valueStrings(ints: Int32Array, others: (string | number | undefined)[] | null): string[] {
  const values = new Array<string>(ints.length);
  for (let id = 0; id < ints.length; id++) {
    const other = others === null ? undefined : others[id];
    values[id] = other === undefined ? String(ints[id]) : String(other);
  }
  return values;
}

/**
 * Gives `field` a `values` property that formats the strings on first read and then keeps them. Most loads never
 * read them (only export and inspection do), and 1.7M strings of a Criteo day cost ~50 MB and ~0.3 s; the numeric
 * keys they are made from take 4 bytes each. The property stays an ordinary enumerable one for callers (spread, JSON,
 * assignment), so nothing changes for them except when the work is done.
 */
function withLazyValues(field: EncodedField, make: () => string[]): EncodedField {
  const settle = (target: EncodedField, values: string[]): void => {
    Object.defineProperty(target, 'values', { value: values, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(field, 'values', {
    enumerable: true,
    configurable: true,
    get(this: EncodedField) {
      const values = make();
      settle(this, values);
      return values;
    },
    set(this: EncodedField, values: string[]) {
      settle(this, values);
    },
  });
  return field;
}

/** The vocabulary of every field; each interned field is let go (set to null) as soon as it is used. */
export function buildVocabulary(names: readonly string[], rows: InternedRows, minCount: number): Vocabulary {
  const fields: EncodedField[] = [];
  const remaps: Int32Array[] = [];
  for (let f = 0; f < rows.numFields; f++) {
    const interned = rows.fields[f];
    if (interned === null) throw new Error(`the vocabulary of field ${names[f]} was already built`);
    rows.fields[f] = null;
    const { field, remap } = buildFieldVocabulary(names[f], interned, minCount);
    fields.push(field);
    remaps.push(remap);
  }
  return { fields, remaps };
}
