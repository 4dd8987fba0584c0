/** Shared by the space tests: the smallest valid space text, and the one-line error a space text gets. */
import { UsageError } from '../../src/errors.js';
import { parseSpace } from '../../src/space/load-space.js';

export const minimal = `data:\n  format: synthetic\nreward:\n  budgetMB: 1\n`;

export function errorLine(text: string): string {
  try {
    parseSpace(text, 'space.yaml');
  } catch (e) {
    if (e instanceof UsageError) return e.toLine();
    throw e;
  }
  throw new Error('expected a UsageError');
}
