/**
 * search-spaces/schema.json is what editors complete and check space files with: it must be the one generated from
 * the zod schema (`npm run schema`), every shipped space must name it and pass it, and so must the spaces the docs
 * show (with a data section filled in where a doc leaves it out).
 */
import { Ajv } from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { spaceJsonSchema, spaceJsonSchemaText } from '../../src/space/json-schema.js';

const validate = new Ajv({ strict: false, allErrors: true }).compile(spaceJsonSchema());
const errors = (value: unknown): string[] =>
  validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
const spaces = readdirSync('search-spaces').filter((f) => f.endsWith('.yaml'));

/** The ```yaml blocks of a markdown file, parsed. */
function yamlBlocks(file: string): Record<string, unknown>[] {
  return [...readFileSync(file, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map(
    (m) => parse(m[1]) as Record<string, unknown>,
  );
}

describe('search-spaces/schema.json', () => {
  it('is the one generated from the zod schema (run `npm run schema` after changing it)', () => {
    expect(readFileSync('search-spaces/schema.json', 'utf8')).toBe(spaceJsonSchemaText());
  });

  it('refuses what embnas refuses: an unknown key, a missing reward, a wrong type', () => {
    const ok = { data: { format: 'synthetic' }, reward: { budgetMB: 1 } };
    expect(errors(ok)).toEqual([]);
    expect(errors({ ...ok, features: { dimz: [2] } })).not.toEqual([]);
    expect(errors({ data: ok.data })).not.toEqual([]);
    expect(errors({ ...ok, search: { controller: 'bayes' } })).not.toEqual([]);
  });

  it.each(spaces)('%s names it on its first line and passes it', (file) => {
    const text = readFileSync(path.join('search-spaces', file), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./schema.json');
    expect(errors(parse(text))).toEqual([]);
  });

  it('the spaces of README.md and docs/search-space.md pass it, and the data sections of docs/data.md', () => {
    const [readme] = yamlBlocks('README.md');
    expect(errors(readme)).toEqual([]);
    const [reference] = yamlBlocks('docs/search-space.md');
    expect(reference.data).toEqual({ '...': null }); // a placeholder there: docs/data.md has the data sections
    expect(errors({ ...reference, data: { format: 'synthetic' } })).toEqual([]);
    const data = yamlBlocks('docs/data.md');
    expect(data.length).toBeGreaterThan(0);
    for (const d of data) expect(errors({ ...d, reward: { budgetMB: 1 } })).toEqual([]);
  });
});
