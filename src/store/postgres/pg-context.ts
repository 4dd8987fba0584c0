/**
 * What the parts of the PostgreSQL store share: the connection, the clock and this host (for liveness, promise 11),
 * and the lookups every part makes inside its own transaction (a search row, a trial, an event appended).
 */
import { ownerIsAlive, type Observer, type OwnerEvidence } from '../ownership.js';
import { toTrialRecord, type SearchRow, type TrialRow } from '../row-mappers.js';
import { isSearchId, noSuchSearch } from '../search-checks.js';
import type { TrialRecord } from '../trial-store.js';
import type { Db, PgConnection } from './connection.js';

export interface PgContext {
  readonly conn: PgConnection;
  /** The redacted URL, for messages. */
  readonly location: string;
  readonly host: string;
  readonly staleAfterMs: number;
  now(): number;
}

export function observer(ctx: PgContext): Observer {
  return { host: ctx.host, now: ctx.now(), staleAfterMs: ctx.staleAfterMs };
}

export function isAlive(ctx: PgContext): (owner: OwnerEvidence) => boolean {
  return (owner) => ownerIsAlive(owner, observer(ctx));
}

/** The search row (locked for the transaction with `forUpdate`), or a UsageError naming the search. */
export async function searchRow(
  db: Db,
  ctx: PgContext,
  idOrName: string | number,
  forUpdate = false,
): Promise<SearchRow> {
  const lock = forUpdate ? ' FOR UPDATE' : '';
  const byId = isSearchId(idOrName);
  // An id beyond BIGINT is no search (SQLite finds none either), not an out-of-range error.
  if (byId && !Number.isSafeInteger(Number(idOrName))) throw noSuchSearch(idOrName, ctx.location);
  const { rows } = await db.query<SearchRow>(`SELECT * FROM searches WHERE ${byId ? 'id' : 'name'} = $1${lock}`, [
    byId ? Number(idOrName) : idOrName,
  ]);
  if (rows.length === 0) throw noSuchSearch(idOrName, ctx.location);
  return rows[0];
}

export async function trialOf(db: Db, searchId: number, number: number): Promise<TrialRecord | undefined> {
  const { rows } = await db.query<TrialRow>('SELECT * FROM trials WHERE search_id = $1 AND number = $2', [
    searchId,
    number,
  ]);
  return rows[0] && toTrialRecord(rows[0]);
}

export async function trialsOf(db: Db, searchId: number, numbers: number[]): Promise<TrialRecord[]> {
  const { rows } = await db.query<TrialRow>(
    'SELECT * FROM trials WHERE search_id = $1 AND number = ANY($2) ORDER BY number',
    [searchId, numbers],
  );
  return rows.map(toTrialRecord);
}

export async function appendEvent(
  db: Db,
  ctx: PgContext,
  searchId: number,
  kind: string,
  payload?: unknown,
): Promise<number> {
  const json = payload === undefined ? null : JSON.stringify(payload);
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO events (search_id, at, kind, payload) VALUES ($1, $2, $3, $4) RETURNING id',
    [searchId, ctx.now(), kind, json],
  );
  return rows[0].id;
}
