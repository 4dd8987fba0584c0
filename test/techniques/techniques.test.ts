/**
 * Every embedding technique declares its keys, decisions, key part and notation once: the space, the controllers and
 * the exports read them from its descriptor, so a descriptor that is inconsistent with itself breaks all of them.
 */
import { describe, expect, it } from 'vitest';
import { proposalKey } from '../../src/controllers/controller.js';
import { FeaturesSchema } from '../../src/space/schema.js';
import { notationOf, TECHNIQUES } from '../../src/techniques/index.js';

describe.each(TECHNIQUES.map((t) => [t.name, t] as const))('technique %s', (_name, t) => {
  it('has the same keys under features and features.fields.<field>, and its decisions choose from them', () => {
    expect(Object.keys(t.overrides).sort()).toEqual(Object.keys(t.features).sort());
    for (const d of t.decisions) expect(Object.keys(t.features)).toContain(d.list);
  });

  it('its keys reach the space schema, defaults included', () => {
    const features = FeaturesSchema.parse({});
    for (const key of Object.keys(t.features)) expect(Object.keys(FeaturesSchema.shape)).toContain(key);
    // A single decision chooses from a list with a default; a repeated one (block dims) from an optional list.
    for (const d of t.decisions) if (!d.repeat) expect(Array.isArray(features[d.list]), d.list).toBe(true);
  });

  it('adds nothing to the key or the notation of a field that does not use it', () => {
    const field = { dim: 8, normAlpha: 0 };
    if (t.name !== 'plain') expect(t.keyPart(field)).toBe('');
    expect(t.notation(field)).toBe('');
  });
});

describe('techniques together', () => {
  it('no two techniques declare the same key or decision', () => {
    const keys = TECHNIQUES.flatMap((t) => Object.keys(t.features));
    const decisions = TECHNIQUES.flatMap((t) => t.decisions.map((d) => d.key));
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(decisions).size).toBe(decisions.length);
  });

  it('a proposal key lists every setting in the techniques’ order', () => {
    const field = {
      name: 'user',
      dim: 8,
      normAlpha: 1e-3,
      mletFactor: 2,
      resClusters: 16,
      resAlpha: 1e-4,
      keep: 0.5,
      blockDims: [4, 0],
    };
    expect(proposalKey({ fields: [field, { name: 'item', dim: 0, normAlpha: 0 }] })).toBe(
      'user:8:0.001:m2:r16:ra0.0001:k0.5:b4/0|item:0:0',
    );
  });

  it('the notation of a field names each technique it uses', () => {
    expect(notationOf({ dim: 8, normAlpha: 0, mletFactor: 4 })).toBe('/m4');
    expect(notationOf({ dim: 8, normAlpha: 0, keep: 0.5, blocks: { fractions: [0.2, 0.8], dims: [8, 2] } })).toBe(
      '/k0.5/b8,2',
    );
  });
});
