/**
 * `data.path` in either form — a file or list split by fractions, or `{ train, valid, test }` naming each file's role —
 * seen through one set of helpers, so the rest of the data room never looks at the raw union.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { DataSpec, RolePaths } from '../space/data-schema.js';

export const ROLES = ['train', 'valid', 'test'] as const;
export type Role = (typeof ROLES)[number];

/** Each role's files as written (test may be empty), or null when data.path is not in role form. */
export function rolesOf(spec: DataSpec): Record<Role, string[]> | null {
  const p = spec.path;
  if (p === undefined || typeof p === 'string' || Array.isArray(p)) return null;
  const list = (x: RolePaths[Role]) => (x === undefined ? [] : typeof x === 'string' ? [x] : x);
  return { train: list(p.train), valid: list(p.valid), test: list(p.test) };
}

/** Every path of data.path as written, in reading order (train, valid, test files for the role form). */
export function pathsOf(spec: DataSpec): string[] {
  const roles = rolesOf(spec);
  if (roles !== null) return [...roles.train, ...roles.valid, ...roles.test];
  const p = spec.path;
  return p === undefined ? [] : typeof p === 'string' ? [p] : (p as string[]);
}

/** Whether the data has test rows to report a test AUC on. */
export function hasTestSplit(spec: DataSpec): boolean {
  const roles = rolesOf(spec);
  return roles !== null ? roles.test.length > 0 : spec.split.test > 0;
}

/** The key a path of a role is named by in messages: data.path.train, or data.path.valid[1] in a list. */
export function roleKey(spec: DataSpec, role: Role, i: number): string {
  const p = spec.path as RolePaths;
  return Array.isArray(p[role]) ? `data.path.${role}[${i}]` : `data.path.${role}`;
}

/**
 * A file named under two roles would be trained and validated on at once: a mistake, said before anything is read.
 * Paths are compared as files (device and inode), so a link to the training file under `valid` is refused too.
 */
export function checkRoles(spec: DataSpec, baseDir: string): void {
  const roles = rolesOf(spec);
  if (roles === null) return;
  if (spec.format === 'movielens' || spec.format === 'synthetic') {
    throw new UsageError(
      `data.path: format ${spec.format} does not take files by role ({ train, valid, test })`,
      spec.format === 'movielens'
        ? 'give the ml-100k folder as data.path and split with data.split'
        : 'remove data.path',
    );
  }
  const listed = ROLES.flatMap((role) => roles[role].map((p, i) => ({ key: roleKey(spec, role, i), written: p })));
  refuseRepeats(listed, baseDir, 'name each file under one role only (the search would validate on its training rows)');
}

/** A file listed twice in a data.path list would put the same rows in train and valid: refused like two roles. */
export function checkListedOnce(spec: DataSpec, baseDir: string): void {
  if (!Array.isArray(spec.path)) return;
  const listed = spec.path.map((p, i) => ({ key: `data.path[${i}]`, written: p }));
  refuseRepeats(listed, baseDir, 'list each file once (its rows would be both trained and validated on)');
}

function refuseRepeats(listed: { key: string; written: string }[], baseDir: string, hint: string): void {
  const seen = new Map<string, { key: string; written: string; abs: string }>();
  for (const { key, written } of listed) {
    const abs = path.resolve(baseDir, written);
    const file = fileIdentity(abs);
    const before = seen.get(file);
    if (before !== undefined && before.abs === abs)
      throw new UsageError(`${key}: ${written} is also listed as ${before.key}`, hint);
    if (before !== undefined) {
      throw new UsageError(
        `${key}: ${written} is the same file as ${before.key} (${before.written}), through a link`,
        hint,
      );
    }
    seen.set(file, { key, written, abs });
  }
}

/**
 * What makes two paths one file: its device and inode, whatever symbolic links, hard links or `..` lead to it; the
 * resolved path for a file that cannot be read (its reader then says why).
 */
function fileIdentity(abs: string): string {
  try {
    const s = statSync(abs, { bigint: true });
    return `${s.dev}:${s.ino}`;
  } catch {
    return abs;
  }
}
