/**
 * The checks and refusals about searches that both stores (SQLite and PostgreSQL) make, worded once: a user sees the
 * same line whichever database holds the search.
 */
import { UsageError } from '../errors.js';
import type { SearchStatus } from './trial-store.js';

export const SEARCH_STATUSES: readonly SearchStatus[] = ['running', 'stopped', 'finished', 'failed'];

/** The trimmed name; refuses an empty name and a name of digits only (digits are search ids). */
export function checkSearchName(raw: string): string {
  const name = raw.trim();
  if (name === '' || /^\d+$/.test(name)) {
    throw new UsageError(
      `search name '${raw}' is ${name === '' ? 'empty' : 'only digits (numbers are search ids)'}`,
      'pick a name with at least one letter with --name',
    );
  }
  return name;
}

export function checkBudget(trialsBudget: number): void {
  if (!Number.isInteger(trialsBudget) || trialsBudget < 0) {
    throw new UsageError(`trials budget must be a whole number ≥ 0, got ${trialsBudget}`, 'pass --trials N');
  }
}

export function checkStatus(status: SearchStatus): void {
  if (!SEARCH_STATUSES.includes(status)) throw new Error(`unknown search status '${status}'`);
}

/** A numeric string (or a number) names a search by id, anything else by name. */
export function isSearchId(idOrName: string | number): boolean {
  return typeof idOrName === 'number' || /^\d+$/.test(idOrName);
}

export function noSuchSearch(idOrName: string | number, file: string, inMemory = false): UsageError {
  const list = inMemory ? '`embnas list`' : `\`embnas list --db ${file}\``;
  return new UsageError(`no search '${idOrName}' in ${file}`, `see the searches with ${list}`);
}

export function duplicateSearch(name: string, file: string): UsageError {
  return new UsageError(
    `a search named '${name}' already exists in ${file}`,
    `continue it with \`embnas resume ${name}\`, or start a new one with --name <other>`,
  );
}

/** restartSearch's refusal (promise 10): the search already has `what` (a table name). */
export function notRestartable(name: string, what: string): Error {
  return new Error(`search '${name}' cannot be restarted: it has ${what.replace('_', ' ')}`);
}

export function finishedAt(status: SearchStatus, now: number): number | null {
  return status === 'finished' || status === 'failed' ? now : null;
}
