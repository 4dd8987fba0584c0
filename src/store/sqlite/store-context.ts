/**
 * What the parts of the SQLite store (ownership, trial lifecycle) need from the store object that holds the
 * connection: the connection, a cached statement, the clock, and the lookups every part shares.
 */
import type Database from 'better-sqlite3';
import type { SearchRow } from '../row-mappers.js';
import type { TrialRecord } from '../trial-store.js';

export interface StoreContext {
  readonly db: Database.Database;
  readonly host: string;
  readonly staleAfterMs: number;
  now(): number;
  sql(source: string): Database.Statement;
  /** The search row, or a UsageError naming the search and how to list them. */
  searchRow(id: number): SearchRow;
  getTrial(searchId: number, number: number): TrialRecord | undefined;
  appendEvent(searchId: number, kind: string, payload?: unknown): number;
}
