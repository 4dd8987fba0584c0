/**
 * The registry is the one list of controllers: the space schema, the options keys and `run --help` follow it, so a
 * controller added there is usable everywhere without another edit.
 */
import { describe, expect, it } from 'vitest';
import { CONTROLLER_KINDS, CONTROLLERS, controllerOptions } from '../../src/controllers/registry.js';
import { parseSpace } from '../../src/space/load-space.js';
import { embnas } from '../e2e/cli.js';
import { errorLine, minimal } from '../space/space-fixtures.js';

describe('controller registry', () => {
  it.each(CONTROLLER_KINDS)('a space may name %s, and has a search.<kind> key exactly when it has options', (kind) => {
    const { space } = parseSpace(`${minimal}search:\n  controller: ${kind}\n`, 'space.yaml');
    expect(space.search.controller).toBe(kind);
    expect(Object.hasOwn(space.search, kind)).toBe(CONTROLLERS[kind].options !== undefined);
  });

  it('an unknown controller in a space names every registered one', () => {
    const line = errorLine(`${minimal}search:\n  controller: bayes\n`);
    for (const kind of CONTROLLER_KINDS) expect(line).toContain(kind);
  });

  it("a controller is created with the seed and its own options only, over a mode's base", () => {
    const { space } = parseSpace(
      `${minimal}search:\n  seed: 5\n  reinforce: { lr: 0.3 }\n  tpe: { candidates: 7 }\n`,
      'space.yaml',
    );
    expect(controllerOptions('reinforce', space.search)).toEqual({ seed: 5, lr: 0.3 });
    expect(controllerOptions('tpe', space.search)).toEqual({ seed: 5, candidates: 7 });
    expect(controllerOptions('random', space.search)).toEqual({ seed: 5 });
    const base = { tpe: { candidates: 3, distinct: false } };
    expect(controllerOptions('tpe', space.search, base)).toEqual({ seed: 5, candidates: 7, distinct: false });
  });

  it('run --help lists every controller with its description', () => {
    const r = embnas(['run', '--help']);
    expect(r.code).toBe(0);
    for (const kind of CONTROLLER_KINDS)
      expect(r.stdout).toMatch(new RegExp(`^ +${kind} +${CONTROLLERS[kind].description.slice(0, 20)}`, 'm'));
  });
});
