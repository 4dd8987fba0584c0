import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forEachLine, inputFile, readFirstLineSync, type InputFile } from '../../../src/data/readers/line-source.js';
import { removeDir, tempDir, usageError } from './helpers.js';

const dir = tempDir();
afterAll(() => removeDir(dir));

function file(name: string, content: string | Buffer): InputFile {
  fs.writeFileSync(path.join(dir, name), content);
  return inputFile(dir, name);
}

async function lines(f: InputFile, chunkBytes?: number): Promise<Array<[number, string]>> {
  const out: Array<[number, string]> = [];
  await forEachLine(f, (buf, start, end, line) => out.push([line, buf.toString('utf8', start, end)]), chunkBytes);
  return out;
}

describe('forEachLine', () => {
  const text = 'alpha\nbeta gamma\n\nde\r\nlast line without newline';
  const expected: Array<[number, string]> = [
    [1, 'alpha'],
    [2, 'beta gamma'],
    [4, 'de'],
    [5, 'last line without newline'],
  ];

  it('yields every non-empty line with its 1-based number, dropping \\r and counting empty lines', async () => {
    expect(await lines(file('a.txt', text))).toEqual(expected);
  });

  it('gives the same lines whatever the chunk size (lines cut across chunks are joined)', async () => {
    const f = file('b.txt', text);
    for (const size of [1, 2, 3, 5, 7, 11, 64]) expect(await lines(f, size)).toEqual(expected);
  });

  it('joins a line spread over many chunks', async () => {
    const long = 'x'.repeat(1000);
    expect(await lines(file('long.txt', `a\n${long}\nb`), 16)).toEqual([
      [1, 'a'],
      [2, long],
      [3, 'b'],
    ]);
  });

  it('drops a UTF-8 byte order mark and keeps multi-byte characters intact across chunks', async () => {
    const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('héllo wörld\nçà\n')]);
    expect(await lines(file('bom.txt', content), 3)).toEqual([
      [1, 'héllo wörld'],
      [2, 'çà'],
    ]);
  });

  it('passes on an error thrown by the handler, with the file closed and no read left behind', async () => {
    const many = file('many.txt', Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n'));
    let seen = 0;
    const failing = forEachLine(
      many,
      () => {
        if (++seen === 1200) throw new Error('stop here');
      },
      256,
    );
    await expect(failing).rejects.toThrow('stop here');
    expect(await lines(many, 256)).toHaveLength(5000); // the file can be read again
  });

  it('turns a missing file into a UsageError naming it', async () => {
    const err = await usageError(() => forEachLine(inputFile(dir, 'nope.txt'), () => {}));
    expect(err.message).toContain('nope.txt');
  });
});

describe('readFirstLineSync', () => {
  it('returns the first non-empty line and its number', () => {
    expect(readFirstLineSync(file('h.csv', '\r\n\nid,click\n1,0\n'))).toEqual({ text: 'id,click', line: 3 });
  });

  it('handles a header longer than one read block and a file without newline', () => {
    const header = Array.from({ length: 20000 }, (_, i) => `c${i}`).join(',');
    expect(readFirstLineSync(file('wide.csv', `${header}\n1\n`))?.text).toBe(header);
    expect(readFirstLineSync(file('one.csv', 'only'))).toEqual({ text: 'only', line: 1 });
  });

  it('returns null for an empty file', () => {
    expect(readFirstLineSync(file('empty.csv', '\n\n'))).toBeNull();
  });
});
