/**
 * An embedding technique's keys are its own: no file outside src/techniques/ and the technique's engine half reads or
 * writes one of them by name (the rest of embnas loops over the registry), so a new technique needs no edit there;
 * and no technique's descriptor names another's (the one conflict rule is built from the descriptors, index.ts).
 * Code only: the property names of the syntax tree, not comments or message text.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { TECHNIQUES } from '../../src/techniques/index.js';
import { sourceFiles } from './import-graph.js';

/** The techniques' own files: their descriptors and their engine halves with the helpers only they use. */
const OWN = [
  /^src\/techniques\//,
  /^src\/engine\/technique-engines\.ts$/,
  /^src\/engine\/(mlet|res|multi-size|plain)-embedding\.ts$/,
  /^src\/engine\/(block-layout|res-clusters|mlet-init)\.ts$/,
];

/**
 * Files that know a technique on purpose, with the reason: multi-size blocks are the one technique not collapsed to a
 * plain table, so the trained model hands its blocks to the saved-model format, which stores them.
 */
const KNOWN: Record<string, string[]> = {
  'src/engine/model.ts': ['blocks'],
  'src/export/saved-model/format.ts': ['blocks'],
  'src/export/saved-model/write.ts': ['blocks'],
  'src/export/saved-model/load.ts': ['blocks'],
};

/** The keys a technique declares: space lists, config and proposal keys, decisions. */
const keysOf = (t: (typeof TECHNIQUES)[number]): string[] => [
  ...Object.keys(t.features),
  ...Object.keys(t.configKeys),
  ...Object.keys(t.proposalKeys),
  ...t.decisions.flatMap((d) => [d.key, d.list, ...(d.repeat ? [d.property] : [])]),
];

/** Every key a technique other than the plain table declares. */
const KEYS = new Set(TECHNIQUES.filter((t) => t.name !== 'plain').flatMap(keysOf));

/** Property names in code: `x.name`, `{ name: … }`, `{ name }`, `x['name']`, destructuring and declarations. */
function propertyNames(file: string): Set<string> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node)) names.add(node.name.text);
    else if (ts.isElementAccessExpression(node) && ts.isStringLiteral(node.argumentExpression))
      names.add(node.argumentExpression.text);
    else if (
      (ts.isPropertyAssignment(node) ||
        ts.isPropertySignature(node) ||
        ts.isPropertyDeclaration(node) ||
        ts.isShorthandPropertyAssignment(node)) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))
    )
      names.add(node.name.text);
    else if (ts.isBindingElement(node)) {
      const key = node.propertyName ?? node.name;
      if (ts.isIdentifier(key)) names.add(key.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

describe("techniques' keys", () => {
  it('the checker sees property names, not comments or strings', () => {
    const names = propertyNames('test/architecture/technique-keys.test.ts');
    expect(names.has('argumentExpression')).toBe(true);
    expect(names.has('mletFactor')).toBe(false);
    expect([...KEYS]).toEqual(expect.arrayContaining(['mletFactors', 'mletFactor', 'resAlpha', 'keep', 'blockDims']));
  });

  it('are named only by the techniques themselves (and the files listed with a reason)', () => {
    const named = sourceFiles('src')
      .filter((f) => !OWN.some((re) => re.test(f)))
      .flatMap((f) =>
        [...propertyNames(f)].filter((n) => KEYS.has(n) && !(KNOWN[f] ?? []).includes(n)).map((n) => `${f}: ${n}`),
      );
    expect(named).toEqual([]);
  });

  it("a technique's descriptor names no other technique's keys", () => {
    const crossing = TECHNIQUES.flatMap((t) => {
      const own = new Set(keysOf(t));
      const others = new Set(TECHNIQUES.filter((o) => o !== t && o.name !== 'plain').flatMap(keysOf));
      const names = propertyNames(`src/techniques/${t.name}.ts`);
      return [...names].filter((n) => others.has(n) && !own.has(n)).map((n) => `${t.name}: ${n}`);
    });
    expect(crossing).toEqual([]);
  });
});
