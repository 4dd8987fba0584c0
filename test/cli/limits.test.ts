/**
 * Limits and repeated runs as a user meets them on the command line: a dim too long for one array is refused when
 * the space loads; a space whose largest model cannot fit is refused in one line naming the dims key (and can be
 * fixed and run again under the same name); --workers beyond the
 * trial budget is capped with a one-line notice; `run` of an existing search with completed trials says exactly how to
 * continue it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_ARRAY_LENGTH } from '../../src/search/array-limits.js';
import { embnas } from '../e2e/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'embnas-limits-'));
const tiny = readFileSync('test/fixtures/tiny-synthetic.yaml', 'utf8');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function oneLine(stderr: string): string[] {
  return stderr
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('embnas: '));
}

describe('limits on the command line', () => {
  it('refuses a dim too large for one array (Node 20) or for memory (Node 22 on), in one line', () => {
    const space = path.join(dir, 'array.yaml');
    const db = path.join(dir, 'array.db');
    writeFileSync(space, tiny.replace('dims: [0, 2, 4, 8]', 'dims: [0, 1000000000]'));
    const r = embnas(['run', space, '--db', db, '--trials', '2', '--max-batches', '1', '--no-tui']);
    expect(r.code, r.stderr).toBe(1);
    // Node 20 holds 2³² numbers in one typed array; from Node 22 on the limit is 2⁵³ − 1, past any memory limit, so
    // there the same space is refused for its memory, as early.
    expect(oneLine(r.stderr)).toEqual([
      expect.stringMatching(
        MAX_ARRAY_LENGTH < 256e9
          ? /^embnas: .*array\.yaml: features\.dims: dim 1000000000 with model\.batchSize 256 needs one array of 256,000,000,000 numbers, over the [\d,]+ a JavaScript typed array can hold — lower it: no setting raises this limit$/
          : /^embnas: .*array\.yaml: features\.dims: dim 1000000000 for field "\w+" \(\d+ rows\) makes the largest model need [\d.]+ TB to train .* over the memory limit/,
      ),
    ]);
    expect(r.stderr).not.toMatch(/RangeError|\n\s+at /);
    // The array limit is known from the space alone; the memory limit once the data's rows are counted.
    if (MAX_ARRAY_LENGTH < 256e9) expect(existsSync(db)).toBe(false);
  });

  it('refuses a dim too large for memory in one line, then runs the fixed space under the same name', () => {
    const space = path.join(dir, 'huge.yaml');
    const db = path.join(dir, 'huge.db');
    writeFileSync(space, tiny.replace('dims: [0, 2, 4, 8]', 'dims: [0, 100000]'));
    const r = embnas(['run', space, '--db', db, '--trials', '2', '--max-batches', '1', '--no-tui'], {
      EMBNAS_MEMORY_LIMIT_MB: '50',
    });
    expect(r.code, r.stderr).toBe(1);
    expect(oneLine(r.stderr)).toEqual([
      expect.stringMatching(
        /^embnas: .*huge\.yaml: features\.dims: dim 100000 for field "\w+" \(\d+ rows\) makes the largest model need .* to train .*over the memory limit of 50\.0 MB \(EMBNAS_MEMORY_LIMIT_MB\) — lower the largest dims in features\.dims, or raise the limit with EMBNAS_MEMORY_LIMIT_MB=<megabytes>$/,
      ),
    ]);
    expect(r.stderr).not.toMatch(/RangeError|\n\s+at /);
    writeFileSync(space, tiny);
    const fixed = embnas(['run', space, '--db', db, '--trials', '2', '--max-batches', '1', '--no-tui']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stderr).toContain("starting search 'tiny' again: nothing had run yet");
  });

  it('caps --workers to the trial budget with a notice, and refuses a run of a search with completed trials exactly', () => {
    const space = path.join(dir, 'tiny.yaml');
    const db = path.join(dir, 'workers.db');
    writeFileSync(space, tiny);
    const r = embnas([
      'run',
      space,
      '--db',
      db,
      '--trials',
      '2',
      '--workers',
      '100000',
      '--max-batches',
      '1',
      '--no-tui',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      '--workers 100000: capped to 2 workers, the trial budget of the search: more threads would have no trial to train',
    );
    const again = embnas(['run', space, '--db', db, '--trials', '2', '--no-tui']);
    expect(again.code).toBe(1);
    expect(oneLine(again.stderr)).toEqual([
      `embnas: a search named 'tiny' already exists in ${db} and has 2 completed trial(s) — continue it with \`embnas resume tiny --db ${db}\`, or start another with \`embnas run ${space} --name <another name> --db ${db}\``,
    ]);
  });
});
