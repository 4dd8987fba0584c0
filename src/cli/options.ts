/** Option helpers shared by the commands, so that every flag reads EMBNAS_<FLAG> from the environment the same way. */
import { BACKEND_NAMES } from '../engine/trial-config.js';
import { Option } from 'commander';
import { UsageError } from '../errors.js';
import { SEARCH_NAME, SEARCH_NAME_RULE } from '../space/schema.js';

/** `--db-path` → `EMBNAS_DB_PATH`; `--no-tui` → `EMBNAS_NO_TUI` (set to anything: no TUI). */
export function envName(flags: string): string {
  const long = /--([a-z0-9-]+)/.exec(flags)?.[1] ?? flags;
  return `EMBNAS_${long.replace(/-/g, '_').toUpperCase()}`;
}

export function option(flags: string, description: string, defaultValue?: string | boolean): Option {
  const o = new Option(flags, description).env(envName(flags));
  return defaultValue === undefined ? o : o.default(defaultValue);
}

export const dbOption = () =>
  option('--db <file|url>', 'searches and trials: a SQLite file, or a postgresql://user@host:port/db URL', 'trials.db');
export const jsonOption = () => option('--json', 'print machine-readable JSON only');
/** `--backend`, the same list for every command that trains; `when` prefixes the help (e.g. "with --retrain: "). */
export const backendOption = (when = '') =>
  option('--backend <name>', `${when}backend of the dense tower: auto, ${BACKEND_NAMES.join(', ')}`, 'auto');

/** Parses a positive integer flag value, naming the flag when it is not one. */
export function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new UsageError(`${flag}: "${value}" is not a positive integer`, `pass e.g. ${flag} 4`);
    return n;
  };
}

/** Parses a whole number (0, 1, 2, …) flag value, naming the flag when it is not one. */
export function wholeNumber(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new UsageError(`${flag}: "${value}" is not a whole number (0, 1, 2, …)`, `pass e.g. ${flag} 2`);
    return n;
  };
}

export function integer(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n)) throw new UsageError(`${flag}: "${value}" is not an integer`, `pass e.g. ${flag} 42`);
    return n;
  };
}

/** --name: the same rule as a space's `name:`, so that a name is accepted or refused wherever it is given. */
export function searchName(value: string): string {
  if (!SEARCH_NAME.test(value))
    throw new UsageError(
      `--name: "${value}" is not a valid search name (${SEARCH_NAME_RULE})`,
      'pass e.g. --name my-search.2',
    );
  return value;
}
