/** The UsageError a call throws: the tests that check a refusal's one line read it from here. */
import { isUsageError, type UsageError } from '../src/errors.js';

/** Runs `fn` and returns the UsageError it throws; anything else it throws is rethrown, and no throw fails the test. */
export function thrownUsageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    if (isUsageError(e)) return e;
    throw e;
  }
  throw new Error('expected a UsageError, nothing was thrown');
}
