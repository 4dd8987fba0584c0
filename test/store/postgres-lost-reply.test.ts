/**
 * The one connection loss a retry cannot tell from a failure: the server committed the transaction, then the
 * connection dropped before its reply arrived. The store retries the whole call (promise 19); the retried write must
 * find its own earlier effect and take it for success — an enqueue is not "already there", an outcome is not "already
 * completed", a claim returns the trial it took instead of taking a second one. A proxy between the store and the
 * server drops the connection right after forwarding a COMMIT (or a statement that commits on its own).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { TrialStore } from '../../src/store/trial-store.js';
import { requireOrSkip } from '../require.js';
import { makeConfig, makeResult, makeSearch } from './fixtures.js';
import { freshDatabase, PG_INSTALL, PG_PRESENT, PG_WHAT } from './postgres-server.js';
import { usePostgres } from './store-harness.js';

/**
 * Forwards to the server; when armed with a statement's text, forwards the next message that holds it (a COMMIT, or a
 * statement run on its own, which commits by itself) and cuts the connection instead of passing its reply on.
 */
class ReplyCutter {
  armed: string | undefined;
  cuts = 0;
  private server: Server | undefined;

  async listen(target: URL): Promise<number> {
    this.server = createServer((client: Socket) => {
      const upstream = createConnection(Number(target.port), target.hostname);
      let cutNextReply = false;
      client.on('data', (d) => {
        if (this.armed !== undefined && d.includes(this.armed)) {
          this.armed = undefined;
          cutNextReply = true;
        }
        upstream.write(d);
      });
      upstream.on('data', (d) => {
        if (!cutNextReply) return void client.write(d);
        this.cuts++;
        client.destroy();
        upstream.destroy();
      });
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  close(): void {
    this.server?.close();
  }
}

if (requireOrSkip(PG_PRESENT, PG_WHAT, PG_INSTALL)) {
  describe('PostgreSQL: a COMMIT whose reply is lost', () => {
    const server = usePostgres();
    const cutter = new ReplyCutter();
    let store: TrialStore;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const db = await freshDatabase(server.url());
      drop = db.drop;
      const url = new URL(db.url);
      url.port = String(await cutter.listen(new URL(db.url)));
      store = await openPostgresStore(url.toString(), { retryMs: 20_000 });
    }, 60_000);
    afterAll(async () => {
      await store?.close();
      cutter.close();
      await drop?.();
    });

    it('is retried to success: enqueue, a claimant outcome and an owner outcome each land once', async () => {
      const id = (await store.createSearch(makeSearch('lost-reply', 8))).id;
      const trials = [0, 1, 2].map((number) => ({ number, config: makeConfig([2, 4], number), seed: number }));

      cutter.armed = 'COMMIT';
      await store.enqueueTrials(id, trials);
      expect(cutter.cuts).toBe(1);
      expect((await store.listTrials(id)).map((t) => [t.number, t.status])).toEqual([
        [0, 'queued'],
        [1, 'queued'],
        [2, 'queued'],
      ]);
      // A genuine repeat is still refused.
      await expect(store.enqueueTrials(id, [trials[0]])).rejects.toThrow(/already has a trial 0/);

      const worker = { host: 'far', pid: 7, run: 'far-run' };
      await store.dispatchTrials(id, [0, 1]);
      const claimed = await store.claimTrial(worker, { searchId: id });
      expect(claimed?.number).toBe(0);
      cutter.armed = 'UPDATE trials SET status'; // a claimant's outcome is one statement
      const outcome = { number: 0, status: 'completed' as const, result: makeResult(0.8), reward: 0.79 };
      expect(await store.completeClaimed(id, worker, outcome)).toBe(true);
      expect(cutter.cuts).toBe(2);
      expect(await store.getTrial(id, 0)).toMatchObject({ status: 'completed', reward: 0.79, attempts: 1 });

      cutter.armed = 'COMMIT';
      await store.recordResults(id, [{ number: 2, status: 'failed', error: 'over budget: 1 MB > 0.5 MB' }], {
        step: 3,
        state: { n: 3 },
      });
      expect(cutter.cuts).toBe(3);
      expect(await store.getTrial(id, 2)).toMatchObject({ status: 'failed', error: 'over budget: 1 MB > 0.5 MB' });
      expect((await store.latestSnapshot(id))?.step).toBe(3);
    }, 60_000);

    it('a claim is retried to the trial its first try took: no second trial is left claimed', async () => {
      const id = (await store.createSearch(makeSearch('lost-claim', 8))).id;
      const trials = [0, 1, 2].map((number) => ({ number, config: makeConfig([2, 4], number), seed: number }));
      await store.enqueueTrials(id, trials);
      await store.dispatchTrials(id, [0, 1, 2]);
      const worker = { host: 'far', pid: 7, run: 'far-run' };
      const cuts = cutter.cuts;

      cutter.armed = "UPDATE trials SET status = 'running'"; // a claim is one statement
      const claimed = await store.claimTrial(worker, { searchId: id });
      expect(cutter.cuts).toBe(cuts + 1);
      const running = await store.listTrials(id, { status: 'running' });
      expect(running.map((t) => [t.number, t.worker])).toEqual([[claimed?.number, worker]]);
      expect(claimed).toMatchObject({ number: 0, status: 'running', worker, attempts: 1 });
      // The claimant goes on as after any claim: the next one takes the next trial, and the outcome lands.
      expect((await store.claimTrial(worker, { searchId: id }))?.number).toBe(1);
      const outcome = { number: 0, status: 'completed' as const, result: makeResult(0.7), reward: 0.69 };
      expect(await store.completeClaimed(id, worker, outcome)).toBe(true);
      expect((await store.listTrials(id, { status: 'queued' })).map((t) => t.number)).toEqual([2]);
    }, 60_000);
  });
}
