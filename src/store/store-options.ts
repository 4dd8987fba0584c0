/**
 * How a store is opened, whatever holds it (the options of `openStore`): what only SQLite reads, what only PostgreSQL
 * reads, and the clock, heartbeat timeout and host name both stores use for ownership.
 */
export interface OpenStoreOptions {
  /** Refuse a missing database instead of creating it (for commands that only read, like `list` and `show`). */
  mustExist?: boolean;
  /** Open read-only (implies mustExist): no pragma that writes, no migration; an old schema is refused. */
  readonly?: boolean;
  /** PostgreSQL only: how long a call retries a lost connection, in ms (default: EMBNAS_DB_RETRY_S, else 120 s). */
  retryMs?: number;
  /** Clock for every timestamp (tests move it to age heartbeats). */
  now?: () => number;
  /** Heartbeat age after which an owner is presumed dead (default: EMBNAS_HEARTBEAT_TIMEOUT_S, else 30 s). */
  staleAfterMs?: number;
  /** This machine's name, compared with owners' hosts. */
  host?: string;
}
