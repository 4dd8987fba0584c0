/**
 * The library as a user gets it: `npm pack`, the tarball unpacked into a scratch folder's node_modules/embnas (what
 * npm install does with it; its dependencies linked from this checkout's node_modules, only those its package.json
 * declares, so an undeclared one fails here and no network is needed), then docs/api.md's example run there with
 * `import … from 'embnas'` on a 4-trial synthetic search, and a TypeScript file type-checked against its
 * declarations.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = process.cwd();
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'embnas-packed-'));
  // npm 10 and 11 print an array of packages, npm 12 an object keyed by name.
  const answer = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], {
      cwd: root,
      encoding: 'utf8',
    }),
  ) as { filename: string }[] | Record<string, { filename: string }>;
  const packed = Array.isArray(answer) ? answer : Object.values(answer);
  const target = path.join(scratch, 'node_modules', 'embnas');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['xzf', path.join(scratch, packed[0].filename), '-C', target, '--strip-components=1']);
  const pkg = JSON.parse(readFileSync(path.join(target, 'package.json'), 'utf8')) as Record<
    string,
    Record<string, string>
  >;
  const modules = realpathSync(path.join(root, 'node_modules'));
  for (const dep of [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]) {
    const from = path.join(modules, dep);
    if (!existsSync(from)) continue; // an optional dependency this machine did not install
    mkdirSync(path.dirname(path.join(scratch, 'node_modules', dep)), { recursive: true });
    symlinkSync(from, path.join(scratch, 'node_modules', dep), 'dir');
  }
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the packed library', () => {
  it('runs the example of docs/api.md: a 4-trial search, its trials, the best one exported', () => {
    const example = /```js\n([\s\S]*?)```/.exec(readFileSync(path.join(root, 'docs', 'api.md'), 'utf8'))?.[1];
    expect(example).toBeDefined();
    writeFileSync(path.join(scratch, 'example.mjs'), example!);
    writeFileSync(
      path.join(scratch, 'space.yaml'),
      readFileSync(path.join(root, 'test', 'fixtures', 'tiny-synthetic.yaml')),
    );
    const r = spawnSync(process.execPath, ['example.mjs'], {
      cwd: scratch,
      encoding: 'utf8',
      timeout: 180_000,
      env: { ...process.env, CI: 'true' },
    });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('space tiny: reinforce, budget 0.02 MB');
    expect(
      lines
        .filter((l) => /^trial \d+ completed reward -?\d/.test(l))
        .map((l) => Number(l.split(' ')[1]))
        .sort(),
    ).toEqual([0, 1, 2, 3]);
    expect(lines).toContain('search tiny finished');
    expect(lines).toContain('4 completed');
    expect(lines.at(-1)).toMatch(/^best: trial [0-3], dims (\w+:\d+ ?)+$/);
  }, 240_000);

  it('is typed: its declarations accept a correct call and refuse a wrong one', () => {
    writeFileSync(
      path.join(scratch, 'check.ts'),
      [
        "import { openStore, runSearch, type RunningSearch, type TrialRecord } from 'embnas';",
        'export const start: (o: { space: string; trials: number }) => Promise<RunningSearch> = runSearch;',
        'export const rows = async (db: string): Promise<TrialRecord[]> => (await openStore(db)).listTrials(1);',
        '// @ts-expect-error: a search needs its space',
        'runSearch({ trials: 4 });',
        '',
      ].join('\n'),
    );
    const options = {
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      target: 'ES2022',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    };
    writeFileSync(
      path.join(scratch, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: options, files: ['check.ts'] }),
    );
    writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], {
      cwd: scratch,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 150_000);
});
