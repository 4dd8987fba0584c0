/**
 * A technique that exists only for the tests: hashed buckets, a field's values folded into `buckets` rows (0 = off).
 * It is written the way a real one is (one descriptor, src/techniques/technique.ts) and registered by
 * toy-technique.test.ts through the registry line, to show that everything else picks a new technique up.
 */
import { z } from 'zod';
import { defineTechnique, isNonNegInt, nonNegativeInt, num } from '../../src/techniques/technique.js';

const bucketCounts = z.array(z.number().int().min(0)).min(1);

export const toy = defineTechnique({
  name: 'toy',
  features: { bucketCounts: bucketCounts.default([0]).describe('Candidate bucket counts (0 = off).') },
  overrides: { bucketCounts: bucketCounts.optional() },
  configKeys: { buckets: nonNegativeInt('0 = no hashing').optional() },
  proposalKeys: { buckets: z.number().optional() },
  decisions: [
    {
      key: 'buckets',
      list: 'bucketCounts',
      optional: true,
      whole: true,
      uniform: 'sweep',
      param: 'buckets',
      label: 'buckets',
      value: (f) => f.buckets ?? 0,
    },
  ],
  keyPart: (f) => (f.buckets === undefined ? '' : `:h${num(f.buckets)}`),
  notation: (f) => (f.buckets ? `/h${f.buckets}` : ''),
  describe: (f) => (f.buckets ? [`hashed into ${f.buckets} buckets`] : []),
  csv: { uses: (f) => f.buckets !== undefined, columns: [{ prefix: 'buckets', value: (f) => f.buckets ?? 0 }] },
  config: (f, lists) => {
    if (f.buckets !== undefined) return { buckets: f.buckets };
    const counts = lists.bucketCounts;
    return counts.length === 1 && counts[0] > 0 ? { buckets: counts[0] } : {};
  },
  check: (f, at) => {
    if (f.buckets !== undefined && !isNonNegInt(f.buckets))
      at.fail(`${at.key('buckets')} is ${f.buckets}`, 'use a whole number ≥ 0 (0 = no hashing)');
  },
  active: (f) => f.dim > 0 && (f.buckets ?? 0) > 0,
  exclusive: {
    label: 'bucketCounts',
    enabledBy: (l) => ((l.bucketCounts ?? []).some((x) => x > 0) ? ['bucketCounts'] : []),
  },
});
