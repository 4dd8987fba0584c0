/**
 * A one-shot search end to end through the CLI: the supernet phase, then its finalists as ordinary trials; killed
 * with SIGKILL in the middle of the supernet phase and resumed, it ends exactly as the uninterrupted run (the same
 * ranked finalists, the same trials and results); its header and `show` say how many epochs the supernet trained;
 * and `show --json` and `export` treat its finalists like any trials.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { embnas, embnasAsync, queryDb } from './cli.js';

const SPACE = 'test/fixtures/tiny-oneshot.yaml';

const trials = (db: string) =>
  queryDb<Record<string, unknown>>(
    db,
    'SELECT number, status, seed, config, valid_auc, memory_bytes, reward FROM trials ORDER BY number',
  );
const finished = (db: string) => {
  const [row] = queryDb<{ payload: string }>(db, "SELECT payload FROM events WHERE kind = 'oneshot_finished'");
  if (!row) return undefined;
  const { seconds: _s, ...rest } = JSON.parse(row.payload) as Record<string, unknown>;
  return rest;
};
const checkpointStep = (db: string) => queryDb<{ step: number }>(db, 'SELECT step FROM checkpoints')[0]?.step ?? 0;

describe('one-shot search through the CLI', () => {
  it('resumes after SIGKILL mid-supernet exactly as the uninterrupted run, and exports its finalists', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'embnas-oneshot-'));
    const refDb = path.join(dir, 'ref.db');
    const ref = embnas(['run', SPACE, '--db', refDb, '--workers', '1', '--no-tui']);
    expect(ref.code, ref.stderr).toBe(0);
    // 8 epochs of 4,200 train rows in batches of 256: 131.25 → 131 steps, and the header says what they make.
    expect(ref.stdout).toContain('supernet: 131 steps (7.98 epochs of the train split), 40 rounds');
    const want = trials(refDb);
    expect(want.map((t) => t.status)).toEqual(['completed', 'completed', 'completed']);
    expect(finished(refDb)).toMatchObject({ steps: 131 });
    expect(queryDb(refDb, 'SELECT * FROM checkpoints')).toEqual([]);

    const db = path.join(dir, 'killed.db');
    const child = embnasAsync(['run', SPACE, '--db', db, '--workers', '1', '--no-tui']);
    const exited = new Promise((r) => child.on('exit', r));
    const t0 = Date.now();
    while (checkpointStep(db) < 60 && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await exited;
    const at = checkpointStep(db);
    expect(at).toBeGreaterThanOrEqual(60);
    expect(at).toBeLessThan(131);
    expect(finished(db)).toBeUndefined();

    const resumed = embnas(['resume', 'tiny-oneshot', '--db', db, '--no-tui']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(
      new RegExp(`supernet resumed at step ${at}/131 \\(7\\.98 epochs of the train split\\)`),
    );
    expect(finished(db)).toEqual(finished(refDb));
    expect(trials(db)).toEqual(want);

    const human = embnas(['show', 'tiny-oneshot', '--db', db]);
    expect(human.stdout).toMatch(/one-shot supernet: 131 steps \(7\.98 epochs of the train split\) in /);
    const shown = embnas(['show', 'tiny-oneshot', '--db', db, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const json = JSON.parse(shown.stdout);
    expect(json.best).toHaveLength(3);
    expect(json.oneShot.epochs).toBeCloseTo((131 * 256) / 4200, 12);
    expect(json.oneShot.ranked[0].proposal.fields.map((f: { dim: number }) => f.dim)).toEqual(
      JSON.parse(want[0].config as string).fields.map((f: { dim: number }) => f.dim),
    );
    const out = path.join(dir, 'best.json');
    const exported = embnas(['export', 'tiny-oneshot', '--db', db, '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    const exportedJson = JSON.parse(readFileSync(out, 'utf8'));
    expect(JSON.stringify(exportedJson)).toContain(JSON.stringify(json.best[0].config.fields[0].name));
    expect(exportedJson.format).toBe('embnas.trial/1');
  }, 300_000);
});
