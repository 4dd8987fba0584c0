import { describe, expect, it } from 'vitest';
import { isUsageError } from '../../src/errors.js';
import { proposalKey } from '../../src/controllers/controller.js';
import { decisionsOf, indicesOf, proposalFrom } from '../../src/controllers/decisions.js';
import type { SearchChoices } from '../../src/controllers/controller.js';

function usageMessage(choices: SearchChoices): string {
  try {
    decisionsOf(choices);
  } catch (e) {
    if (isUsageError(e)) return e.message;
    throw e;
  }
  throw new Error('expected a UsageError');
}

describe('search space as decisions', () => {
  const choices = {
    fields: [
      { name: 'user', dims: [0, 8], normBudgets: [0, 1e-4] },
      { name: 'item', dims: [4, 16, 32], normBudgets: [0] },
    ],
  };

  it('lists dim then norm budget per field, and maps indices to proposals and back', () => {
    const decisions = decisionsOf(choices);
    const names = decisions.map((d) => `${d.field}.${d.key}`);
    expect(names).toEqual(['user.dim', 'user.normAlpha', 'item.dim', 'item.normAlpha']);
    const p = proposalFrom(decisions, [1, 1, 2, 0]);
    expect(p).toEqual({
      fields: [
        { name: 'user', dim: 8, normAlpha: 1e-4 },
        { name: 'item', dim: 32, normAlpha: 0 },
      ],
    });
    expect(indicesOf(decisions, p)).toEqual([1, 1, 2, 0]);
  });

  it('names the field and the list of a bad candidate list', () => {
    const bad = (f: Partial<SearchChoices['fields'][number]>) => ({ fields: [{ ...choices.fields[0], ...f }] });
    expect(usageMessage(bad({ dims: [] }))).toMatch(/features\.dims of field "user" is empty/);
    expect(usageMessage(bad({ dims: [8, 8] }))).toMatch(/repeats/);
    expect(usageMessage(bad({ dims: [2.5] }))).toMatch(/invalid value 2.5/);
    expect(usageMessage(bad({ normBudgets: [-1] }))).toMatch(/features\.normBudgets of field "user"/);
    expect(usageMessage({ fields: [choices.fields[0], choices.fields[0]] })).toMatch(/listed twice/);
    expect(usageMessage({ fields: [] })).toMatch(/no fields/);
  });

  it('proposalKey is canonical and tells different proposals apart', () => {
    const a = { fields: [{ name: 'user', dim: 8, normAlpha: 0.0001 }] };
    const b = { fields: [{ name: 'user', dim: 8, normAlpha: 1e-4 }] };
    const c = { fields: [{ name: 'user', dim: 8, normAlpha: 1e-3 }] };
    expect(proposalKey(a)).toBe(proposalKey(b));
    expect(proposalKey(a)).not.toBe(proposalKey(c));
    expect(proposalKey({ fields: [{ name: 'user', dim: -0, normAlpha: 0 }] })).toBe(
      proposalKey({ fields: [{ name: 'user', dim: 0, normAlpha: 0 }] }),
    );
    const two = (x: number, y: number) => ({
      fields: [
        { name: 'user', dim: x, normAlpha: 0 },
        { name: 'item', dim: y, normAlpha: 0 },
      ],
    });
    expect(proposalKey(two(8, 16))).not.toBe(proposalKey(two(16, 8)));
  });
});
