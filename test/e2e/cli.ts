/** Runs the built `embnas` executable (dist/) as a user would, for end-to-end tests. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { connect } from '../../src/store/sqlite/sqlite-connection.js';

export const CLI = path.resolve('dist/cli/main.js');

export function embnas(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env, CI: 'true' },
    timeout: 300_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function embnasAsync(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Rows of a query on a database another process is writing; [] while it does not exist yet or is mid-migration. */
export function queryDb<T>(db: string, sql: string): T[] {
  try {
    const conn = connect(db, { readonly: true, fileMustExist: true });
    try {
      return conn.prepare(sql).all() as T[];
    } finally {
      conn.close();
    }
  } catch {
    return [];
  }
}
