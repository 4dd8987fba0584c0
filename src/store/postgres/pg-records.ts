/**
 * The append-only and the one mutable record of a search on PostgreSQL: the event log, controller snapshots (read
 * side; they are written with results, pg-trials.ts) and the checkpoint, replaced whole by one upsert (promise 9).
 */
import { toEvent, toSnapshot, type EventRow, type SnapshotRow } from '../row-mappers.js';
import type { Checkpoint, EventRecord, StoredCheckpoint, StoredSnapshot } from '../trial-store.js';
import { appendEvent, searchRow, type PgContext } from './pg-context.js';

export class PgRecords {
  constructor(private readonly ctx: PgContext) {}

  latestSnapshot(searchId: number): Promise<StoredSnapshot | undefined> {
    return this.ctx.conn.run(async (db) => {
      const { rows } = await db.query<SnapshotRow>(
        'SELECT step, state, created_at FROM controller_snapshots WHERE search_id = $1 ORDER BY id DESC LIMIT 1',
        [searchId],
      );
      return rows[0] && toSnapshot(rows[0]);
    });
  }

  async saveCheckpoint(searchId: number, checkpoint: Checkpoint): Promise<void> {
    const { step, payload } = checkpoint;
    const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    await this.ctx.conn.run(async (db) => {
      await searchRow(db, this.ctx, searchId);
      await db.query(
        `INSERT INTO checkpoints (search_id, step, payload, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (search_id) DO UPDATE SET step = excluded.step, payload = excluded.payload,
           created_at = excluded.created_at`,
        [searchId, step, bytes, this.ctx.now()],
      );
    });
  }

  latestCheckpoint(searchId: number): Promise<StoredCheckpoint | undefined> {
    return this.ctx.conn.run(async (db) => {
      const { rows } = await db.query<{ step: number; payload: Buffer; created_at: number }>(
        'SELECT step, payload, created_at FROM checkpoints WHERE search_id = $1',
        [searchId],
      );
      const row = rows[0];
      return row && { step: row.step, payload: new Uint8Array(row.payload), createdAt: row.created_at };
    });
  }

  async deleteCheckpoint(searchId: number): Promise<void> {
    await this.ctx.conn.run((db) => db.query('DELETE FROM checkpoints WHERE search_id = $1', [searchId]));
  }

  appendEvent(searchId: number, kind: string, payload?: unknown): Promise<number> {
    return this.ctx.conn.run(async (db) => {
      await searchRow(db, this.ctx, searchId);
      return appendEvent(db, this.ctx, searchId, kind, payload);
    });
  }

  events(searchId: number, options: { afterId?: number; limit?: number } = {}): Promise<EventRecord[]> {
    return this.ctx.conn.run(async (db) => {
      const { rows } = await db.query<EventRow>(
        'SELECT * FROM events WHERE search_id = $1 AND id > $2 ORDER BY id LIMIT $3',
        [searchId, options.afterId ?? 0, options.limit ?? null],
      );
      return rows.map(toEvent);
    });
  }
}
