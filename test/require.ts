/**
 * Some tests need what a fresh clone may not have: the real datasets of ../shared/datasets, Debian's Optuna and numpy,
 * tmux. On a user's machine such a test skips and says what to install; in CI (.ci/run sets EMBNAS_REQUIRE_ALL=1) a
 * skip would let the suite go green without its only real-data and real-tool checks, so there the missing piece is a
 * failing test whose message says what to install. Every such test asks through `requireOrSkip`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';

/** Set by .ci/run (test/setup.ts leaves it alone, unlike CI). */
export const REQUIRE_ALL = process.env.EMBNAS_REQUIRE_ALL === '1';

/**
 * Returns `present`. When it is false, registers in the calling file either a failing test (EMBNAS_REQUIRE_ALL=1) or
 * a skipped one, both titled with what is missing and how to install it; the caller skips the tests that need it.
 */
export function requireOrSkip(present: boolean, what: string, install: string): boolean {
  if (present) return true;
  const message = `not found: ${what}; to install: ${install}`;
  if (REQUIRE_ALL) {
    it(`needs ${what}`, () => {
      throw new Error(`${message} (EMBNAS_REQUIRE_ALL=1: required here, not skipped)`);
    });
  } else {
    console.log(`skipping: ${message}`);
    it.skip(`needs ${what} — ${install}`, () => {});
  }
  return false;
}

/** The shared real datasets, reachable from the project root as ../shared/datasets (see their README). */
export const SHARED_DATASETS = path.resolve(process.cwd(), '../shared/datasets');

/** Whether every file exists under ../shared/datasets. */
export function sharedDataPresent(...files: string[]): boolean {
  return files.every((f) => existsSync(path.join(SHARED_DATASETS, f)));
}

export const SHARED_DATA_INSTALL = `put the shared datasets folder next to the project, as ${SHARED_DATASETS} (see its README.md)`;

/**
 * The first Python that can import every module: $PYTHON, then /usr/bin/python3 (where Debian's python3-optuna and
 * python3-numpy install), then the python3 on PATH (which a version manager may put in front of the system one).
 */
export function pythonWith(...modules: string[]): string | undefined {
  const candidates = [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
  return candidates.find(
    (py) => spawnSync(py, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' }).status === 0,
  );
}

/** Whether `command` runs (`command args` exits 0). */
export function commandRuns(command: string, ...args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}
