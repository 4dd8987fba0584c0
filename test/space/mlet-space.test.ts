import { describe, expect, it } from 'vitest';
import { parseSpace } from '../../src/space/load-space.js';
import { errorLine, minimal } from './space-fixtures.js';

describe('features.mletFactors', () => {
  it('defaults to [0] (plain tables, not searched) and takes a per-field override', () => {
    expect(parseSpace(minimal, 'space.yaml').space.features.mletFactors).toEqual([0]);
    const { space } = parseSpace(
      `${minimal}features:\n  mletFactors: [0, 2, 4]\n  fields:\n    user: { mletFactors: [8] }\n`,
      'space.yaml',
    );
    expect(space.features.mletFactors).toEqual([0, 2, 4]);
    expect(space.features.fields.user.mletFactors).toEqual([8]);
  });

  it('accepts whole numbers ≥ 0 only, naming the line and the key path', () => {
    expect(errorLine(`${minimal}features:\n  mletFactors: [0, 1.5]\n`)).toMatch(
      /^space\.yaml:6: features\.mletFactors\[1\]:/,
    );
    expect(errorLine(`${minimal}features:\n  fields:\n    user: { mletFactors: [-2] }\n`)).toMatch(
      /features\.fields\.user\.mletFactors\[0\]/,
    );
    expect(errorLine(`${minimal}features:\n  mletFactors: []\n`)).toMatch(/features\.mletFactors/);
    expect(errorLine(`${minimal}features:\n  mletFactor: [2]\n`)).toMatch(/unknown key "mletFactor"/);
  });
});
