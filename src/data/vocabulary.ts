/**
 * Final ids of each field, from the counts of the interned rows.
 *
 * Values seen at least minCount times get ids 0..kept-1 in descending frequency (ties broken by first appearance, so
 * the order is deterministic and a "top-k rows" cut is an id prefix); rarer values share oovId = kept; missing cells get
 * missingId = kept + 1. The rows are rewritten to these ids by finalize-rows.ts.
 */
import type { EncodedField } from './encoded-dataset.js';
import type { FieldKeys, InternedRows } from './encoder.js';

export interface Vocabulary {
  fields: EncodedField[];
  /** Per field: temporary id → final id. */
  remaps: Int32Array[];
}

/** Counts below this are bucket-sorted; the few values above it are sorted by comparison. */
const BUCKETED_COUNTS = 4096;

/**
 * Temporary ids with count ≥ minCount, by descending count, ties by ascending id (= first appearance).
 * Most values of a click log are rare, so a counting sort over small counts does nearly all the work in linear time.
 */
export function frequencyOrder(tmpCounts: Int32Array, minCount: number): Int32Array {
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
  const order = new Int32Array(kept);
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

/** Builds one field's vocabulary from the counts of its temporary ids. */
export function buildFieldVocabulary(
  name: string,
  tmpCounts: Int32Array,
  keys: FieldKeys,
  missing: number,
  minCount: number,
): { field: EncodedField; remap: Int32Array } {
  const distinct = tmpCounts.length;
  const order = frequencyOrder(tmpCounts, minCount);
  const kept = order.length;

  const oovId = kept;
  const missingId = kept + 1;
  const remap = new Int32Array(distinct).fill(oovId);
  const counts = new Int32Array(kept + 2);
  const keptInts = new Int32Array(kept);
  const keptOthers = keys.others === null ? null : new Array<string | number | undefined>(kept);
  let keptCount = 0;
  for (let id = 0; id < kept; id++) {
    const t = order[id];
    remap[t] = id;
    counts[id] = tmpCounts[t];
    keptCount += tmpCounts[t];
    keptInts[id] = keys.ints[t];
    if (keptOthers !== null) keptOthers[id] = keys.others![t];
  }
  let total = 0;
  for (let t = 0; t < distinct; t++) total += tmpCounts[t];
  counts[oovId] = total - keptCount;
  counts[missingId] = missing;
  const field = { name, rows: kept + 2, kept, oovId, missingId, counts, distinct } as EncodedField;
  return { field: withLazyValues(field, () => valueStrings(keptInts, keptOthers)), remap };
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

export function buildVocabulary(names: readonly string[], rows: InternedRows, minCount: number): Vocabulary {
  const fields: EncodedField[] = [];
  const remaps: Int32Array[] = [];
  for (let f = 0; f < rows.numFields; f++) {
    const { field, remap } = buildFieldVocabulary(names[f], rows.counts[f], rows.keys[f], rows.missing[f], minCount);
    fields.push(field);
    remaps.push(remap);
  }
  return { fields, remaps };
}
