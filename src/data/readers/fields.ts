/**
 * Choosing fields by name: `data.fields` selects and orders a subset of what a format offers. Unknown and repeated
 * names are errors that name the key path, because a typo must never silently drop a feature.
 */
import { UsageError } from '../../errors.js';

const MAX_LISTED = 40;

/** "a, b, c" for a hint, shortened when a file has very many columns. */
export function listNames(names: readonly string[]): string {
  if (names.length <= MAX_LISTED) return names.join(', ');
  return `${names.slice(0, MAX_LISTED).join(', ')}, … (${names.length} in all)`;
}

/** Throws when a name appears twice in a list given under `key` (e.g. `data.fields`). */
export function rejectDuplicates(names: readonly string[], key: string): void {
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw new UsageError(
        `${key}: '${name}' is listed twice (${key}[${first}] and ${key}[${i}])`,
        'list each field once',
      );
    }
    seen.set(name, i);
  });
}

/**
 * Indices into `available` of the requested fields, in the requested order; every available field when none are
 * requested. @param what how the hint calls the available names ("fields of format criteo", "columns").
 */
export function selectFields(
  requested: readonly string[] | undefined,
  available: readonly string[],
  what: string,
  key = 'data.fields',
): number[] {
  if (requested === undefined) return available.map((_, i) => i);
  rejectDuplicates(requested, key);
  return requested.map((name, i) => {
    const index = available.indexOf(name);
    if (index < 0) throw unknownName(`${key}[${i}]`, name, available, what);
    return index;
  });
}

export function unknownName(key: string, name: string, available: readonly string[], what: string): UsageError {
  return new UsageError(`${key}: unknown name '${name}'`, `the ${what} are: ${listNames(available)}`);
}
