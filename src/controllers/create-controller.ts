/** Picks a controller by the name a search space uses (`search.controller`), from the registry (registry.ts). */
import { UsageError } from '../errors.js';
import type { Controller, SearchChoices } from './controller.js';
import {
  CONTROLLER_KINDS,
  CONTROLLERS,
  type ControllerEntry,
  type ControllerKind,
  type ControllerOptions,
  isControllerKind,
} from './registry.js';

export { CONTROLLER_KINDS, type ControllerKind, type ControllerOptions } from './registry.js';

export function createController(kind: ControllerKind, choices: SearchChoices, options: ControllerOptions): Controller {
  if (!isControllerKind(kind)) {
    throw new UsageError(
      `search.controller: unknown controller "${String(kind)}"`,
      `use one of ${CONTROLLER_KINDS.join(', ')}`,
    );
  }
  return (CONTROLLERS[kind] as ControllerEntry<undefined>).create(choices, options);
}
