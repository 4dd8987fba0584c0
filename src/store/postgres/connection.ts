/**
 * One PostgreSQL connection per store object, and the store's rules for using it: calls run one at a time in call
 * order (a transaction's statements never interleave with another call's), and a call that loses the connection — a
 * server restart, a failover — is retried whole with backoff (a transaction from its BEGIN, never half) until
 * EMBNAS_DB_RETRY_S runs out. A constraint violation or an error of the contract is the call's answer, never retried.
 */
import pg from 'pg';
import { UsageError } from '../../errors.js';

/** Seconds a call keeps retrying a lost connection. */
export const DB_RETRY_ENV = 'EMBNAS_DB_RETRY_S';
export const DEFAULT_RETRY_MS = 120_000;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

export function retryMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[DB_RETRY_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_RETRY_MS;
  const s = Number(raw);
  if (!Number.isFinite(s) || s < 0) {
    throw new UsageError(`${DB_RETRY_ENV}=${raw}: not a number of seconds ≥ 0`, `set e.g. ${DB_RETRY_ENV}=300`);
  }
  return s * 1000;
}

/** What a call gets to run its statements. */
export interface Db {
  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  /**
   * This run of the call follows one that lost its connection — possibly after the server committed it (a COMMIT whose
   * reply was lost). A write then finds its own earlier effect and must take it for success, not a conflict.
   */
  readonly retry?: boolean;
}

/** BIGINT (ids, millisecond times) as a JS number: every value the store writes is below 2^53. */
const TYPES = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** SQLSTATEs and socket errors that mean "the connection is gone", not "the statement is wrong". */
const LOST = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const LOST_SQLSTATE = new Set(['57P01', '57P02', '57P03', '53300']);

export function isConnectionLoss(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (LOST.has(code) || LOST_SQLSTATE.has(code) || code.startsWith('08'))) return true;
  // A socket file that is not there (yet): the server is stopped or starting.
  if (code === 'ENOENT' && (e as { syscall?: string }).syscall === 'connect') return true;
  const message = e instanceof Error ? e.message : '';
  return /Connection terminated|encountered a connection error|timeout expired/i.test(message);
}

/** Errors the user fixes in the URL or on the server, as one line naming the (redacted) database. */
function asUsageError(e: unknown, where: string): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === '28P01' || code === '28000') {
    return new UsageError(`cannot log in to ${where} (${message})`, 'check the user and password of the URL');
  }
  if (code === '3D000') {
    return new UsageError(`${where}: ${message}`, 'create the database first (createdb <name>) or fix the URL');
  }
  if (code === 'ENOTFOUND') {
    return new UsageError(`cannot find the host of ${where}`, 'check the host name of the URL');
  }
  return e;
}

export interface ConnectionOptions {
  retryMs: number;
  /** Every transaction read-only (commands that only read). */
  readonly?: boolean;
}

export class PgConnection {
  private client: pg.Client | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Set at close(): a call still retrying gives up at its next failure instead of holding close() up. */
  private closing = false;

  constructor(
    private readonly url: string,
    /** The URL without its password, for messages. */
    readonly where: string,
    private readonly options: ConnectionOptions,
  ) {}

  /** Runs `fn` alone on the connection (its statements autocommit), retrying a lost connection. */
  run<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return this.serialized(() => this.withRetry(fn, false));
  }

  /** Runs `fn` in one transaction, retried from BEGIN when the connection is lost. */
  transaction<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return this.serialized(() => this.withRetry(fn, true));
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.serialized(async () => {
      this.closed = true;
      const client = this.client;
      this.client = undefined;
      await client?.end().catch(() => undefined);
    });
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async connected(): Promise<pg.Client> {
    if (this.closed) throw new Error(`the store on ${this.where} is closed`);
    if (this.client) return this.client;
    const client = new pg.Client({
      connectionString: this.url,
      types: TYPES,
      application_name: 'embnas',
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
      ...(this.options.readonly ? { options: '-c default_transaction_read_only=on' } : {}),
    });
    // An idle connection that drops emits 'error': forget the client (the next call reconnects), never crash.
    const forget = () => {
      if (this.client === client) this.client = undefined;
    };
    client.on('error', forget);
    client.on('end', forget);
    try {
      await client.connect();
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    this.client = client;
    return client;
  }

  private async withRetry<T>(fn: (db: Db) => Promise<T>, transaction: boolean): Promise<T> {
    let delay = FIRST_DELAY_MS;
    let deadline: number | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        const client = await this.connected();
        const db: Db = attempt === 0 ? client : { query: client.query.bind(client) as Db['query'], retry: true };
        if (!transaction) return await fn(db);
        await client.query('BEGIN');
        try {
          const value = await fn(db);
          await client.query('COMMIT');
          return value;
        } catch (e) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw e;
        }
      } catch (e) {
        if (this.closing || !isConnectionLoss(e)) throw asUsageError(e, this.where);
        const client = this.client;
        this.client = undefined;
        client?.end().catch(() => undefined);
        deadline ??= Date.now() + this.options.retryMs;
        if (Date.now() + delay > deadline) {
          const why = e instanceof Error ? e.message : String(e);
          throw new UsageError(
            `cannot reach the database ${this.where} (${why}; retried for ${Math.round(this.options.retryMs / 1000)} s)`,
            `is the database server running? (${DB_RETRY_ENV} sets how long to retry)`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, MAX_DELAY_MS);
      }
    }
  }
}
