/** The trial store's public surface: the contract, its SQLite and PostgreSQL stores, the config key used for caching. */
export * from './trial-store.js';
export { isDatabaseUrl, openStore } from './open-store.js';
export { openSqliteStore, type SqliteTrialStore } from './sqlite/sqlite-store.js';
export type { OpenStoreOptions } from './store-options.js';
export { openPostgresStore, PostgresTrialStore } from './postgres/postgres-store.js';
export { isPostgresUrl, redactUrl } from './postgres/pg-url.js';
export { DB_RETRY_ENV } from './postgres/connection.js';
export { configKey, canonicalConfigJson } from './config-key.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './sqlite/migrations.js';
export { DEFAULT_STALE_AFTER_MS, HEARTBEAT_TIMEOUT_ENV, heartbeatEveryMs, pidIsAlive, RUN_ID } from './ownership.js';
