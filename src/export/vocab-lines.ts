/**
 * The lines of a saved model's vocabulary files: a field's kept values as the data file spells them, turned back from
 * the compact keys some readers store (Criteo's hex ids as numbers, numeric columns as their log2 bucket).
 */
import type { EncodedField } from '../data/encoded-dataset.js';
import type { DataSpec } from '../space/data-schema.js';
import type { VocabKind } from './saved-model/index.js';

/**
 * A field's vocabulary lines. The readers store some values as compact keys: Criteo's hex ids become numbers (turned
 * back into lowercase hex here) and numeric columns (Criteo's I1..I13, csv `numeric`) their log2 bucket.
 */
export function vocabLines(spec: DataSpec, field: EncodedField): { values: readonly string[]; kind: VocabKind } {
  if (
    (spec.format === 'criteo' && /^I\d+$/.test(field.name)) ||
    (spec.format === 'csv' && spec.numeric?.includes(field.name))
  ) {
    return { values: field.values, kind: 'log2-bucket' };
  }
  if (spec.format === 'criteo') return { values: field.values.map(criteoHexOf), kind: 'value' };
  return { values: field.values, kind: 'value' };
}

const TWO_POW_31 = 2 ** 31;

/**
 * Inverse of the Criteo reader's hex key (src/data/readers/buckets.ts hexKeyOf): 8-digit ids are their signed 32-bit
 * value; an id of d ≠ 8 digits is value + Σ_{k<d} 16^k + 2^31.
 */
export function criteoHexOf(key: string): string {
  const k = Number(key);
  if (k >= -TWO_POW_31 && k < TWO_POW_31) return (k >>> 0).toString(16).padStart(8, '0');
  const v = k - TWO_POW_31;
  let digits = 1;
  let offset = 1; // Σ_{k<digits} 16^k
  while (v >= offset + 16 ** digits) {
    offset += 16 ** digits;
    digits++;
  }
  return (v - offset).toString(16).padStart(digits, '0');
}
