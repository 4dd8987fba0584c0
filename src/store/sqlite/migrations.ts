/**
 * Schema migrations, keyed by SQLite's `PRAGMA user_version`. The list is ordered and append-only: version N is the
 * N-th entry, each one moves the database from N-1 to N. `migrate` runs the missing ones in one transaction when the
 * store opens, before any worker starts, so a crash mid-migration leaves the file at its old version.
 */
import type Database from 'better-sqlite3';
import { UsageError } from '../../errors.js';
import { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5 } from './schema.js';

export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

/** `PRAGMA application_id` of embnas databases ('EMBN'): tells our files apart from any other SQLite file. */
export const EMBNAS_APPLICATION_ID = 0x454d424e;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'searches, trials, controller snapshots, events',
    up(db) {
      db.exec(SCHEMA_V1);
      db.pragma(`application_id = ${EMBNAS_APPLICATION_ID}`);
    },
  },
  {
    version: 2,
    description: 'checkpoints of long computations inside a search (one-shot supernets)',
    up(db) {
      db.exec(SCHEMA_V2);
    },
  },
  {
    version: 3,
    description: "the owner's run id (ownership by run and heartbeat, not by a reusable pid)",
    up(db) {
      db.exec(SCHEMA_V3);
    },
  },
  {
    version: 4,
    description: 'a queue for distributed workers: dispatched trials, their claimant, claim heartbeat and progress',
    up(db) {
      db.exec(SCHEMA_V4);
    },
  },
  {
    version: 5,
    description: "the claim token: a claim retried after its commit's reply was lost finds the trial it took",
    up(db) {
      db.exec(SCHEMA_V5);
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

function readHeader(db: Database.Database): { version: number; applicationId: number; tables: number } {
  return {
    version: db.pragma('user_version', { simple: true }) as number,
    applicationId: db.pragma('application_id', { simple: true }) as number,
    tables: (
      db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'`).get() as { n: number }
    ).n,
  };
}

/** Refuses files that are SQLite but not ours, and files from a newer embnas. */
function checkHeader(header: ReturnType<typeof readHeader>, file: string, latest: number): void {
  const fresh = header.version === 0 && header.applicationId === 0 && header.tables === 0;
  if (!fresh && header.applicationId !== EMBNAS_APPLICATION_ID) {
    throw new UsageError(
      `${file} is a SQLite database but not an embnas trial database`,
      'pass another file with --db (a new file is created when missing)',
    );
  }
  if (header.version > latest) {
    throw new UsageError(
      `${file} was written by a newer embnas (schema ${header.version}, this one knows up to ${latest})`,
      'upgrade embnas',
    );
  }
}

/**
 * What `migrate` would do, without writing (for read-only connections): undefined when the schema is current, 'fresh'
 * for a file with no tables yet, else the versions to go from and to. Foreign and newer files are refused as by `migrate`.
 */
export function needsMigration(
  db: Database.Database,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
): undefined | 'fresh' | { from: number; to: number } {
  const header = readHeader(db);
  checkHeader(header, file, migrations.length);
  if (header.version === migrations.length) return undefined;
  if (header.version === 0 && header.tables === 0) return 'fresh';
  return { from: header.version, to: migrations.length };
}

/**
 * Brings the database to LATEST_SCHEMA_VERSION. Returns the versions applied (empty when already current).
 * The header is re-read inside an IMMEDIATE transaction: two processes opening a new file at once must not both
 * create the tables.
 */
export function migrate(db: Database.Database, file: string, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const latest = migrations.length;
  const before = readHeader(db);
  checkHeader(before, file, latest);
  if (before.version === latest) return [];
  const run = db.transaction((): number[] => {
    const header = readHeader(db);
    checkHeader(header, file, latest);
    const applied: number[] = [];
    for (const m of migrations) {
      if (m.version <= header.version) continue;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
      applied.push(m.version);
    }
    return applied;
  });
  return run.immediate();
}
