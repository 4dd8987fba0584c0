/**
 * `data.path` in either form — a file or list split by fractions, or `{ train, valid, test }` naming each file's role —
 * seen through one set of helpers, so the rest of the data room never looks at the raw union.
 */
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

/** A file named under two roles would be trained and validated on at once: a mistake, said before anything is read. */
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
  const seen = new Map<string, string>();
  for (const role of ROLES) {
    roles[role].forEach((p, i) => {
      const abs = path.resolve(baseDir, p);
      const key = roleKey(spec, role, i);
      const before = seen.get(abs);
      if (before !== undefined) {
        throw new UsageError(`${key}: ${p} is also listed as ${before}`, 'name each file under one role only');
      }
      seen.set(abs, key);
    });
  }
}
