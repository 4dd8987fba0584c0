/**
 * What an embedding technique (a way of making a field's rows: a plain table, MLET, Res-embedding, multi-size blocks)
 * declares once, for every room that has to know it: its keys in the space file, the per-field decisions a controller
 * makes for it, the keys a proposal and a trial config carry for it (their zod shapes are also their types: the
 * settings types of the controllers, the engine and the exports are built from them, index.ts), its part of a
 * proposal's key, its short notation, its CSV columns and report text, and the checks of its config keys. The
 * engine's half (build it, its memory) is engine/technique-engines.ts. This room imports nothing of embnas.
 */
import { z } from 'zod';

/** The object a zod shape describes, as parsed (defaults filled in); nothing for an empty shape. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type Out<S> = keyof S extends never ? {} : S extends z.ZodRawShape ? z.output<z.ZodObject<S>> : never;

/** Every kept field's settings, whatever its technique (a proposal's and a trial config's). */
export interface BaseSettings {
  dim: number;
  normAlpha: number;
}

/** Every field's candidate lists (the plain table's keys, plain.ts). */
export interface BaseLists {
  dims: number[];
  normBudgets: number[];
  maxNorm?: number;
}

/** The keys of a field's lists that hold candidates (not settings such as maxNorm). */
export type ListKey<L> = { [K in keyof L]-?: NonNullable<L[K]> extends number[] ? K : never }[keyof L] & string;

interface DecisionCommon<L> {
  /** The candidate list (features.<list>, or features.fields.<field>.<list>) it chooses from; also its policy's name. */
  list: ListKey<L>;
  /** A decision only when the list offers a choice (more than one candidate), so a space not using it is unchanged. */
  optional: boolean;
  /** Its candidates are whole numbers. */
  whole: boolean;
  /**
   * What the uniform baseline (controllers/uniform.ts) does with it: `sweep` its values common to the fields that
   * search it, as one more axis of its grid (slower than the ones before), or give every field its `largest` value.
   * A repeated decision is always `largest`.
   */
  uniform: 'sweep' | 'largest';
  /** Its Optuna study parameter, `<param>_<field>` (`<param><i>_<field>` for the i-th of a repeated one). */
  param: string;
}

/** One decision per field: the proposal's property `key` holds the chosen value. */
export interface SingleDecision<P, L, S, D extends string = ListKey<L>> extends DecisionCommon<L> {
  list: D & ListKey<L>;
  key: keyof P & string;
  repeat?: undefined;
  /** Its name in the report's policy table ("dim", "MLET factor", …). */
  label: string;
  /** The value a trial config's kept field has for it (its default when the config leaves it out). */
  value(f: S): number;
}

/**
 * Several decisions per field from one list (e.g. one dim per multi-size block after the first), numbered from 1:
 * the proposal keeps them in order in the array `property`.
 */
export interface RepeatedDecision<P, L, S, R extends string = ListKey<L>> extends DecisionCommon<L> {
  list: R & ListKey<L>;
  /** The decisions' key (controllers/decisions.ts), e.g. 'blockDim'. */
  key: string;
  property: keyof P & string;
  repeat: {
    /** How many a field with these candidate lists has (0: none). */
    count(lists: Partial<L>): number;
    /** The values a trial config's kept field has for them, in order ([] when it has none). */
    values(f: S): number[];
    /** The choices of their Optuna parameters. */
    optunaChoices(lists: L): number[];
  };
  /** The name of decision `n` (1, 2, …) in the report's policy table. */
  label(n: number): string;
}

export type DecisionSource<
  P = never,
  L = never,
  S = never,
  D extends string = ListKey<L>,
  R extends string = ListKey<L>,
> = SingleDecision<P, L, S, D> | RepeatedDecision<P, L, S, R>;

export interface CsvColumn<S> {
  /** Column `<prefix>_<field>`, one per field. */
  prefix: string;
  /** The cell of a kept field (a dropped field's cell is empty). */
  value(f: S): unknown;
}

/** Where a check of a trial config's field reports what is wrong (engine/validate.ts). */
export interface CheckContext {
  /** `fields[<i>].<key> (<name>)`: the key in messages. */
  key(key: string): string;
  /** `fields[<i>] (<name>)`: the field in messages. */
  field: string;
  /** Refuses the config: a user's mistake, one line and a hint. */
  fail(message: string, hint: string): never;
}

/** Number formats the techniques' report text uses (the report's own). */
export interface Formats {
  alpha(x: number): string;
}

export interface Technique<
  F extends z.ZodRawShape = z.ZodRawShape,
  O extends z.ZodRawShape = z.ZodRawShape,
  C extends z.ZodRawShape = z.ZodRawShape,
  P extends z.ZodRawShape = z.ZodRawShape,
  D extends string = never,
  R extends string = never,
> {
  name: string;
  /** Keys under `features`, with their defaults. */
  features: F;
  /** The same keys under `features.fields.<field>`, each optional (left out: the `features` value). */
  overrides: O;
  /**
   * The trial config keys it owns (besides name, dim, normAlpha and maxNorm, which every field has), each optional, in
   * the order an export writes them; their schema in a `train --config` file and their type in `FieldConfig`.
   */
  configKeys: C;
  /** The keys a proposal's field carries for its decisions, each optional; their type in `Proposal`. */
  proposalKeys: P;
  /** In order: the decisions it adds per field. */
  decisions: DecisionSource<BaseSettings & Out<P>, BaseLists & Out<F>, BaseSettings & Out<C>, D, R>[];
  /**
   * Type only, inferred from `decisions`: the lists its single and its repeated decisions choose from (a controller's
   * policy has a distribution for each single one, a list of them for each repeated one).
   */
  readonly lists?: { single: D; repeated: R };
  /**
   * Candidate lists besides its decisions' own that a controller's `FieldChoices` carries (e.g. multi-size's block
   * fractions), from a field's lists in the space.
   */
  choices?(lists: BaseLists & Out<F>): Partial<Out<F>>;
  /** Its part of a proposal's canonical key (controllers/controller.ts, proposalKey); '' when unused. */
  keyPart(f: BaseSettings & Out<P>): string;
  /** Its part of a kept field's short notation (e.g. "/m4"); '' when unused. */
  notation(f: BaseSettings & Out<C>): string;
  /** How the report's table of the best trial says it (nothing when unused). */
  describe?(f: Partial<Out<C>>, formats: Formats): string[];
  /** CSV columns, written when any trial of the export uses the technique (`uses`). */
  csv?: { uses(f: BaseSettings & Out<C>): boolean; columns: CsvColumn<BaseSettings & Out<C>>[] };
  /** A trial config's keys for a proposal's field, from the values it carries and the field's lists in the space. */
  config(f: BaseSettings & Out<P>, lists: BaseLists & Out<F>): Out<C>;
  /** Refuses a trial config whose keys of this technique are wrong (engine/validate.ts; values not yet checked). */
  check?(f: BaseSettings & Out<C>, at: CheckContext): void;
  /** Keys of a kept field's config that change nothing (left out of its cache key, store/config-key.ts). */
  unused?(f: BaseSettings & Out<C>): (keyof Out<C> & string)[];
  /** Whether a trial config's field uses it (rather than a plain table). */
  active(f: BaseSettings & Out<C>): boolean;
  /**
   * Its most memory-hungry setting among a field's candidates, for the memory limit checked before any trial (none:
   * it never takes more than the plain table of the same dim).
   */
  largest?(lists: Partial<Out<F>>): Out<C>;
  /**
   * How many times a row of the field's largest table is its dim while training, when more than once (MLET's A is
   * rows × factor·dim), with the list that makes it so and its words for messages (search/array-limits.ts).
   */
  widest?(lists: Partial<Out<F>>): { factor: number; list: keyof Out<F> & string; what(dim: number): string };
  /**
   * For a technique that replaces how a field's rows are made (at most one per field, a trial config with two is
   * refused by checkTechniques, naming the keys each sets): the keys of a field's lists that turn it on (none: off),
   * and its name in the messages refusing two on one field.
   */
  exclusive?: { label: string; enabledBy(lists: Partial<Out<F>>): string[] };
}

/** Identity, for the types: keeps each descriptor's exact schema shapes and types its functions from them. */
export function defineTechnique<
  F extends z.ZodRawShape,
  O extends z.ZodRawShape,
  C extends z.ZodRawShape,
  P extends z.ZodRawShape,
  D extends string = never,
  R extends string = never,
>(t: Technique<F, O, C, P, D, R>): Technique<F, O, C, P, D, R> {
  return t;
}

/** A whole number ≥ 0 whose error message names it (`what`), for configuration files. */
export function nonNegativeInt(what: string) {
  const error = (i: { input: unknown }) => `${JSON.stringify(i.input)} is not a non-negative integer (${what})`;
  return z.number({ error }).int({ error }).min(0, { error });
}

/** JavaScript's shortest round-trip form, with −0 as 0: 1e-4 and 0.0001 print the same. */
export function num(x: number): string {
  return Object.is(x, -0) ? '0' : String(x);
}

/** Checks of values not yet parsed (a trial config from a file or the store). */
export const isNonNegInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;
export const isNonNegNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;
