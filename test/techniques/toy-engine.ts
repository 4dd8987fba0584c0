/**
 * The engine half of the tests' toy technique (toy-technique.ts): its memory is a plain table of min(rows, buckets)
 * rows. It is never trained: `create` refuses, so a test that tried would fail loudly.
 */
import { plainTrainingBytes } from '../../src/engine/plain-embedding.js';
import type { TechniqueEngine } from '../../src/engine/technique-engines.js';

/** The toy's key is not in the real registry's types: read it as what the mocked registry makes it. */
const bucketRows = (f: object, rows: number) => Math.min(rows, (f as { buckets?: number }).buckets ?? rows);

export const toyEngine: TechniqueEngine = {
  create: () => {
    throw new Error('the toy technique is not trainable: it exists for the tests of the technique registry');
  },
  trainingBytes: (f, rows, optimizer, maxBatch) => plainTrainingBytes(f, bucketRows(f, rows), optimizer, maxBatch),
  inferenceParams: (f, rows) => bucketRows(f, rows) * f.dim,
};
