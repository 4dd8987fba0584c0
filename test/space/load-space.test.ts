import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { loadSpace, parseSpace } from '../../src/space/load-space.js';

const minimal = `data:\n  format: synthetic\nreward:\n  budgetMB: 1\n`;

function errorOf(text: string): UsageError {
  try {
    parseSpace(text, 'space.yaml');
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('expected a UsageError');
}

describe('parseSpace', () => {
  it('fills defaults for every section', () => {
    const { space } = parseSpace(minimal, 'space.yaml');
    expect(space.features.dims).toEqual([0, 2, 4, 8, 16]);
    expect(space.model.optimizer).toBe('adam');
    expect(space.search.controller).toBe('reinforce');
    expect(space.data.split).toEqual({ valid: 0.1, test: 0.1, seed: 0, by: 'random' });
    expect(space.reward).toEqual({ form: 'hinge', budgetMB: 1, lambda: 0.1 });
  });

  it('names the line and key path of an unknown key and lists the allowed keys', () => {
    const e = errorOf(`${minimal}model:\n  lr: 0.01\n  epocs: 3\n`);
    expect(e.toLine()).toMatch(/^space\.yaml:7: model\.epocs: unknown key "epocs"/);
    expect(e.toLine()).toContain('epochs');
  });

  it('names a wrong value inside a list by its index', () => {
    const e = errorOf(`${minimal}features:\n  dims: [0, 4, -8]\n`);
    expect(e.toLine()).toMatch(/^space\.yaml:6: features\.dims\[2\]:/);
  });

  it('says which required key is missing', () => {
    const e = errorOf('data:\n  format: synthetic\n');
    expect(e.toLine()).toMatch(/reward: required key is missing/);
  });

  it('rejects an unknown data format and a typo inside data', () => {
    expect(errorOf('data:\n  format: parquet\nreward: { budgetMB: 1 }\n').toLine()).toMatch(
      /space\.yaml:2: data\.format:/,
    );
    expect(errorOf('data:\n  format: csv\n  minCont: 3\nreward: { budgetMB: 1 }\n').toLine()).toMatch(
      /data\.minCont: unknown key/,
    );
  });

  it('reports YAML syntax errors with their line', () => {
    expect(errorOf('data:\n  format: [csv\nreward: 1\n').toLine()).toMatch(/^space\.yaml:\d+: invalid YAML/);
  });

  it('rejects a document that is not a mapping', () => {
    expect(errorOf('- 1\n- 2\n').toLine()).toMatch(/must be a YAML mapping/);
  });
});

describe('loadSpace', () => {
  it('names a missing file', () => {
    expect(() => loadSpace('nope/space.yaml')).toThrow(/nope\/space\.yaml: no such file/);
  });

  it('returns the text, its hash and the folder relative paths resolve against', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'embnas-space-'));
    const file = path.join(dir, 's.yaml');
    writeFileSync(file, minimal);
    const loaded = loadSpace(file);
    expect(loaded.baseDir).toBe(dir);
    expect(loaded.text).toBe(minimal);
    expect(loaded.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts every space shipped in search-spaces/', async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync('search-spaces').filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(() => loadSpace(path.join('search-spaces', f)), f).not.toThrow();
  });
});
