/**
 * The house rules that keep themselves: (1) every file of src/ opens with a header saying why it exists; (2) the
 * arrows between rooms are exactly the ones declared below, so a new one is a decision written here (and in
 * docs/architecture.md), not an accident — report → tui would have failed; (3) the store's two wings, sqlite/ and
 * postgres/, import only the contract and the shared store files, never each other.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importGraph, roomGraph, sourceFiles } from './import-graph.js';

const files = sourceFiles('src');
const graph = importGraph(files);

/** Each room and the rooms it may import, from the bottom of the house up. */
const ALLOWED: Record<string, string[]> = {
  'src/errors': [],
  'src/paths': [],
  'src/units': [],
  'src/techniques': [],
  'src/environment-error': ['src/errors'],
  'src/controllers': ['src/errors', 'src/techniques'],
  'src/space': ['src/errors', 'src/controllers', 'src/techniques'],
  'src/data': ['src/errors', 'src/space'],
  'src/engine': ['src/data', 'src/errors', 'src/techniques'],
  'src/bench': ['src/engine'],
  'src/store': ['src/engine', 'src/environment-error', 'src/errors', 'src/techniques'],
  'src/search': [
    'src/data',
    'src/engine',
    'src/errors',
    'src/paths',
    'src/controllers',
    'src/space',
    'src/store',
    'src/techniques',
  ],
  // export: `embnas train` holds a config to the limits a search is held to (search/config-limits.ts).
  'src/export': [
    'src/data',
    'src/engine',
    'src/environment-error',
    'src/errors',
    'src/search',
    'src/space',
    'src/store',
    'src/techniques',
  ],
  'src/tui': ['src/search', 'src/units'],
  'src/report': [
    'src/export',
    'src/search',
    'src/controllers',
    'src/space',
    'src/store',
    'src/techniques',
    'src/units',
  ],
  'src/api': ['src/engine', 'src/errors', 'src/export', 'src/search', 'src/controllers', 'src/store'],
  'src/cli': [
    'src/bench',
    'src/data',
    'src/engine',
    'src/environment-error',
    'src/errors',
    'src/export',
    'src/report',
    'src/search',
    'src/controllers',
    'src/space',
    'src/store',
    'src/tui',
    'src/units',
  ],
  'src/index': [
    'src/api',
    'src/engine',
    'src/errors',
    'src/export',
    'src/search',
    'src/controllers',
    'src/space',
    'src/store',
  ],
};

describe('house rules', () => {
  it('1. every file of src/ opens with its why header', () => {
    const bare = files.filter((f) => !/^(#![^\n]*\n)?\s*(\/\*\*|\/\/)/.test(readFileSync(f, 'utf8')));
    expect(bare).toEqual([]);
  });

  it('2. the arrows between rooms are the declared ones, no more and no fewer', () => {
    const rooms = roomGraph(graph);
    const undeclared: string[] = [];
    const unused: string[] = [];
    for (const [room, targets] of rooms) {
      const allowed = ALLOWED[room];
      if (allowed === undefined) undeclared.push(`${room} (a room the table does not name)`);
      for (const t of targets) if (!allowed?.includes(t)) undeclared.push(`${room} -> ${t}`);
      for (const a of allowed ?? []) if (!targets.includes(a)) unused.push(`${room} -> ${a}`);
    }
    expect(undeclared, 'arrows nobody declared (add them to ALLOWED and docs/architecture.md, or remove them)').toEqual(
      [],
    );
    expect(unused, 'declared arrows no import uses any more (remove them from ALLOWED)').toEqual([]);
  });

  it('3. the SQLite and PostgreSQL wings of the store do not import each other', () => {
    const wing = (f: string) =>
      f.startsWith('src/store/sqlite/') ? 'sqlite' : f.startsWith('src/store/postgres/') ? 'postgres' : '';
    const crossing = [...graph].flatMap(([file, targets]) =>
      targets
        .filter((t) => wing(file) !== '' && wing(t) !== '' && wing(file) !== wing(t))
        .map((t) => `${file} -> ${t}`),
    );
    expect(crossing).toEqual([]);
  });

  it('the checks can fail: a bare file and a crossing arrow are found', () => {
    expect(/^(#![^\n]*\n)?\s*(\/\*\*|\/\/)/.test("import x from './x.js';\n")).toBe(false);
    expect(/^(#![^\n]*\n)?\s*(\/\*\*|\/\/)/.test('#!/usr/bin/env node\n/** why */\n')).toBe(true);
    const rooms = roomGraph(new Map([['src/report/a.ts', ['src/tui/b.ts']]]));
    expect(ALLOWED['src/report']).not.toContain(rooms.get('src/report')?.[0]);
  });
});
