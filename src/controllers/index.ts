/** Search algorithms: everything the scheduler, the store and the UI need from this folder. */
export type { Controller, ControllerState, FieldChoices, Observation, Proposal, SearchChoices } from './controller.js';
export { proposalKey } from './controller.js';
export { createController } from './create-controller.js';
export {
  CONTROLLER_KINDS,
  CONTROLLERS,
  type ControllerEntry,
  type ControllerKind,
  controllerOptions,
  type ControllerOptions,
  type ControllerStateOf,
  DEFAULT_CONTROLLER,
  isControllerKind,
} from './registry.js';
export { type FieldPolicy, ReinforceController, type ReinforceState } from './reinforce.js';
export { REINFORCE_DEFAULTS, type ReinforceOptions } from './reinforce-options.js';
export { RandomController, type RandomState } from './random.js';
export { UniformController, type UniformState } from './uniform.js';
export { TpeController, type TpeState } from './tpe.js';
export { TPE_DEFAULTS, type TpeOptions } from './tpe-options.js';
export { FinalistsController, type FinalistsState } from './finalists.js';
