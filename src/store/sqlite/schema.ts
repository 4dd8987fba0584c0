/**
 * The trial database's schema, by version. Never edit a released migration: add a new one to migrations.ts.
 *
 * The rules that must hold even against raw SQL (a completed trial is immutable, the event log and snapshot history
 * are append-only) are triggers, so that no code path — ours or a user's sqlite3 shell — can break them by accident.
 */
export const SCHEMA_V1 = `
CREATE TABLE searches (
  id            INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL UNIQUE,
  space_path    TEXT    NOT NULL,
  space_text    TEXT    NOT NULL,
  space_hash    TEXT    NOT NULL,
  seed          INTEGER NOT NULL,
  trials_budget INTEGER NOT NULL CHECK (trials_budget >= 0),
  status        TEXT    NOT NULL CHECK (status IN ('running', 'stopped', 'finished', 'failed')),
  owner_pid     INTEGER,
  owner_host    TEXT,
  heartbeat_at  INTEGER,
  created_at    INTEGER NOT NULL,
  finished_at   INTEGER
);

CREATE TABLE trials (
  id             INTEGER PRIMARY KEY,
  search_id      INTEGER NOT NULL REFERENCES searches (id),
  number         INTEGER NOT NULL,
  config         TEXT    NOT NULL,
  config_key     TEXT    NOT NULL,
  seed           INTEGER NOT NULL,
  status         TEXT    NOT NULL
                 CHECK (status IN ('queued', 'running', 'completed', 'failed', 'interrupted')),
  epochs         TEXT,
  best_epoch     INTEGER,
  valid_auc      REAL,
  valid_logloss  REAL,
  memory_bytes   INTEGER,
  training_bytes INTEGER,
  rows_trained   INTEGER,
  reward         REAL,
  backend        TEXT,
  rows_per_sec   REAL,
  wall_seconds   REAL,
  cache_hit      INTEGER NOT NULL DEFAULT 0,
  error          TEXT,
  queued_at      INTEGER NOT NULL,
  started_at     INTEGER,
  finished_at    INTEGER,
  attempts       INTEGER NOT NULL DEFAULT 1,
  UNIQUE (search_id, number)
);

-- Top-N by reward (ties by number) without a sort; NULL rewards (unfinished trials) sort last under DESC.
CREATE INDEX trials_by_reward ON trials (search_id, reward DESC, number);
-- No index on status: every status change would rewrite it, while the per-search scans that filter on status
-- (counts, "what is queued" at resume) already walk UNIQUE (search_id, number) and stay in milliseconds.
-- Cache lookups: has this exact candidate already been trained in this search?
CREATE INDEX trials_by_config_key ON trials (search_id, config_key, number) WHERE status = 'completed';

CREATE TABLE controller_snapshots (
  id         INTEGER PRIMARY KEY,
  search_id  INTEGER NOT NULL REFERENCES searches (id),
  step       INTEGER NOT NULL,
  state      TEXT    NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX controller_snapshots_by_search ON controller_snapshots (search_id, id);

CREATE TABLE events (
  id        INTEGER PRIMARY KEY,
  search_id INTEGER NOT NULL REFERENCES searches (id),
  at        INTEGER NOT NULL,
  kind      TEXT    NOT NULL,
  payload   TEXT
);
CREATE INDEX events_by_search ON events (search_id, id);

CREATE TRIGGER trials_completed_no_update BEFORE UPDATE ON trials WHEN OLD.status = 'completed'
BEGIN SELECT RAISE(ABORT, 'embnas: a completed trial cannot be modified'); END;
CREATE TRIGGER trials_completed_no_delete BEFORE DELETE ON trials WHEN OLD.status = 'completed'
BEGIN SELECT RAISE(ABORT, 'embnas: a completed trial cannot be deleted'); END;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'embnas: the event log is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'embnas: the event log is append-only'); END;
CREATE TRIGGER controller_snapshots_no_update BEFORE UPDATE ON controller_snapshots
BEGIN SELECT RAISE(ABORT, 'embnas: controller snapshots are append-only'); END;
CREATE TRIGGER controller_snapshots_no_delete BEFORE DELETE ON controller_snapshots
BEGIN SELECT RAISE(ABORT, 'embnas: controller snapshots are append-only'); END;
`;

/**
 * Version 2: the one mutable thing a search keeps — the latest checkpoint of a long computation inside it (a one-shot
 * search's supernet, optimizer and controller), replaced as a whole at every save, one row per search.
 */
export const SCHEMA_V2 = `
CREATE TABLE checkpoints (
  search_id  INTEGER PRIMARY KEY REFERENCES searches (id),
  step       INTEGER NOT NULL,
  payload    BLOB    NOT NULL,
  created_at INTEGER NOT NULL
);
`;

/**
 * Version 3: the owner's run id beside its pid and host. A pid can be reused (after a crash, or by a restarted
 * container); a run id is not, and a heartbeat older than the staleness window means the run is gone.
 */
export const SCHEMA_V3 = `
ALTER TABLE searches ADD COLUMN owner_run TEXT;
`;

/**
 * Version 4: a shared queue for workers on other machines. A trial is open to workers' claims once dispatched; the
 * claimant (host, pid, run) and its claim heartbeat say who trains it and whether they are still alive, and its last
 * progress payload is what they reported. The partial index is exactly the claim query's: the lowest dispatched
 * queued trial of a search.
 */
export const SCHEMA_V4 = `
ALTER TABLE trials ADD COLUMN dispatched INTEGER NOT NULL DEFAULT 0 CHECK (dispatched IN (0, 1));
ALTER TABLE trials ADD COLUMN worker_host TEXT;
ALTER TABLE trials ADD COLUMN worker_pid INTEGER;
ALTER TABLE trials ADD COLUMN worker_run TEXT;
ALTER TABLE trials ADD COLUMN claim_heartbeat_at INTEGER;
ALTER TABLE trials ADD COLUMN progress TEXT;
CREATE INDEX trials_claimable ON trials (search_id, number) WHERE status = 'queued' AND dispatched = 1;
`;

/**
 * Version 5: the token of the claim that marked a trial running — one random id per `claimTrial` call, kept across
 * the reconnection retries of that call (promise 19). A retried claim whose first try was committed after all (the
 * reply was lost) finds its trial by the token and returns it instead of taking a second one. Cleared when the trial
 * goes back to the queue. Not indexed: only a retried claim — rare, after a lost connection — looks it up.
 */
export const SCHEMA_V5 = `
ALTER TABLE trials ADD COLUMN claim_token TEXT;
`;
