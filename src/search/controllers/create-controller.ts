/** Picks a controller by the name a search space uses (`search.controller`). */
import { UsageError } from '../../errors.js';
import type { Controller, SearchChoices } from './controller.js';
import { RandomController } from './random.js';
import type { ReinforceOptions } from './reinforce-options.js';
import { ReinforceController } from './reinforce.js';
import type { TpeOptions } from './tpe-options.js';
import { TpeController } from './tpe.js';
import { UniformController } from './uniform.js';

export const CONTROLLER_KINDS = ['reinforce', 'random', 'uniform', 'tpe'] as const;
export type ControllerKind = (typeof CONTROLLER_KINDS)[number];

/**
 * The seed drives sampling; the other options tune reinforce (`search.reinforce`) or tpe (`search.tpe`, no key in
 * common) and each controller reads only its own.
 */
export type ControllerOptions = { seed: number } & Partial<ReinforceOptions> & Partial<TpeOptions>;

export function createController(kind: ControllerKind, choices: SearchChoices, options: ControllerOptions): Controller {
  switch (kind) {
    case 'reinforce':
      return new ReinforceController(choices, options);
    case 'random':
      return new RandomController(choices, options);
    case 'uniform':
      return new UniformController(choices);
    case 'tpe':
      return new TpeController(choices, options);
    default:
      throw new UsageError(
        `search.controller: unknown controller "${String(kind)}"`,
        `use one of ${CONTROLLER_KINDS.join(', ')}`,
      );
  }
}
