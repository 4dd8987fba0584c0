/** The trial store's public surface: the contract, the SQLite implementation, and the config key used for caching. */
export * from './trial-store.js';
export { openSqliteStore, SqliteTrialStore, type OpenStoreOptions } from './sqlite-store.js';
export { isDatabaseUrl, openStore } from './open-store.js';
export { configKey, canonicalConfigJson } from './config-key.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations.js';
export { DEFAULT_STALE_AFTER_MS, HEARTBEAT_TIMEOUT_ENV, heartbeatEveryMs, pidIsAlive, RUN_ID } from './ownership.js';
