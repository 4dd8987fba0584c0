/**
 * Every search algorithm a space can name (`search.controller`), in one table: a line for help, its options (the
 * space's `search.<name>` key, when it has any) and its factory. The space schema, the CLI's choices and help and
 * createController are all read from here, so a new controller is its own file plus one entry below. A controller's
 * snapshot format is its own (`getState` / `setState`, checked on restore); the registry only types it per entry.
 */
import type { z } from 'zod';
import type { Controller, SearchChoices } from './controller.js';
import { RandomController } from './random.js';
import { ReinforceSchema } from './reinforce-schema.js';
import { ReinforceController } from './reinforce.js';
import { TpeSchema } from './tpe-options.js';
import { TpeController } from './tpe.js';
import { UniformController } from './uniform.js';

type OptionsOf<O> = O extends z.ZodObject ? z.infer<O> : object;

export interface ControllerEntry<
  O extends z.ZodObject | undefined = z.ZodObject | undefined,
  C extends Controller = Controller,
> {
  /** One line for `embnas run --help`. */
  description: string;
  /** The schema of the space's `search.<name>` key (strict, every key optional), when the controller has options. */
  options?: O;
  /** `options`: the seed and this controller's own options (controllerOptions builds them from a space). */
  create(choices: SearchChoices, options: { seed: number } & OptionsOf<O>): C;
}

/** Identity, for the types: infers the entry's options from its schema and its controller from its factory. */
function entry<O extends z.ZodObject | undefined = undefined, C extends Controller = Controller>(
  e: ControllerEntry<O, C>,
): ControllerEntry<O, C> {
  return e;
}

export const CONTROLLERS = {
  reinforce: entry({
    description: 'NIS-style policy gradient over every decision (the default)',
    options: ReinforceSchema,
    create: (choices, options) => new ReinforceController(choices, options),
  }),
  tpe: entry({
    description: "Optuna's TPE sampler with its defaults, the bar to beat",
    options: TpeSchema,
    create: (choices, options) => new TpeController(choices, options),
  }),
  random: entry({
    description: 'every decision uniform and independent, a baseline',
    create: (choices, options) => new RandomController(choices, options),
  }),
  uniform: entry({
    description: 'the same dim and norm budget for every field, swept, a baseline',
    create: (choices) => new UniformController(choices),
  }),
};

export type ControllerKind = keyof typeof CONTROLLERS;

/** The snapshot of a registered controller (e.g. ControllerStateOf<'tpe'> is TpeState). */
export type ControllerStateOf<K extends ControllerKind> = ReturnType<
  ReturnType<(typeof CONTROLLERS)[K]['create']>['getState']
>;
export const CONTROLLER_KINDS = Object.keys(CONTROLLERS) as [ControllerKind, ...ControllerKind[]];
export const DEFAULT_CONTROLLER: ControllerKind = 'reinforce';

/** The kinds that have a `search.<kind>` options key, and each key's schema. */
type Entries = typeof CONTROLLERS;
type SchemaOf<E> = E extends ControllerEntry<infer O, Controller> ? O : undefined;
type WithOptions = {
  [K in keyof Entries as SchemaOf<Entries[K]> extends z.ZodObject ? K : never]: NonNullable<SchemaOf<Entries[K]>>;
};

/** The schemas of every `search.<kind>` options key, for the space schema. */
export function controllerOptionSchemas(): WithOptions {
  const out: Record<string, z.ZodObject> = {};
  for (const [kind, e] of Object.entries(CONTROLLERS) as [string, ControllerEntry][])
    if (e.options) out[kind] = e.options;
  return out as WithOptions;
}

/** What a controller of `kind` is created with: the seed and that controller's own options, nothing else. */
export type ControllerOptions<K extends ControllerKind = ControllerKind> = {
  seed: number;
} & (K extends keyof WithOptions ? z.infer<WithOptions[K]> : object);

export function isControllerKind(name: string): name is ControllerKind {
  return Object.hasOwn(CONTROLLERS, name);
}

/**
 * The options a space's `search` gives the controller it names: the seed and its own `search.<kind>` key, on top of
 * `base` (settings a mode starts it from, e.g. one-shot search's, which the space's key overrides).
 */
export function controllerOptions<K extends ControllerKind>(
  kind: K,
  search: { seed: number } & Partial<Record<keyof WithOptions, object>>,
  base: Partial<Record<keyof WithOptions, object>> = {},
): ControllerOptions<K> {
  const own = (search as unknown as Record<string, object | undefined>)[kind] ?? {};
  const start = (base as Record<string, object | undefined>)[kind] ?? {};
  return { ...start, ...own, seed: search.seed } as ControllerOptions<K>;
}
