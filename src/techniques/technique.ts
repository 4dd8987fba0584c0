/**
 * What an embedding technique (a way of making a field's rows: a plain table, MLET, Res-embedding, multi-size blocks)
 * declares once, for every room that has to know it: its keys in the space file, the per-field decisions a controller
 * makes for it, its part of a proposal's key, its short notation and its CSV columns. The engine's half (build it,
 * its training memory) is engine/embedding-techniques.ts. This room imports nothing of embnas: the settings are
 * typed here, structurally, so the space, the controllers, the engine's configs and the exports all read it.
 */
import { z } from 'zod';

/** A kept field's technique settings, as a proposal and a trial config both carry them (all optional). */
export interface TechniqueSettings {
  dim: number;
  normAlpha: number;
  mletFactor?: number;
  resClusters?: number;
  resAlpha?: number;
  keep?: number;
  blocks?: { fractions: number[]; dims: number[] };
}

/** The settings a proposal carries (the chosen values), as in Proposal['fields'][number]. */
export type ProposalSettings = Omit<TechniqueSettings, 'blocks'> & { blockDims?: number[] };

/** The per-field candidate lists of a space, as in FieldChoices. */
export type CandidateList = 'dims' | 'normBudgets' | 'mletFactors' | 'resClusters' | 'resNormBudgets' | 'vocabKeep';

/** One field's candidate lists and settings in the space: `features.<key>`, or `features.fields.<field>.<key>`. */
export interface FieldLists {
  dims: number[];
  normBudgets: number[];
  maxNorm?: number;
  mletFactors: number[];
  resClusters: number[];
  resNormBudgets: number[];
  vocabKeep: number[];
  blocks?: number[];
  blockDims?: number[];
}

/** The trial config keys a technique owns (besides name, dim, normAlpha and maxNorm, which every field has). */
export type ConfigKey = 'mletFactor' | 'resClusters' | 'resAlpha' | 'keep' | 'blocks';

export interface DecisionSource {
  /** The proposal's property it sets. */
  key: 'dim' | 'normAlpha' | 'mletFactor' | 'resClusters' | 'resAlpha' | 'keep';
  /** The candidate list (features.<list>, or features.fields.<field>.<list>) it chooses from; also its policy's name. */
  list: CandidateList;
  /** A decision only when the list offers a choice (more than one candidate), so a space not using it is unchanged. */
  optional: boolean;
  /** Its candidates are whole numbers. */
  whole: boolean;
  /**
   * What the uniform baseline (controllers/uniform.ts) does with it: `sweep` its values common to the fields that
   * search it, as one more axis of its grid (slower than the ones before), or give every field its `largest` value.
   */
  uniform: 'sweep' | 'largest';
  /** Its Optuna study parameter, `<param>_<field>` (`embnas export --format optuna`). */
  param: string;
  /** The value a trial config's kept field has for it (its default when the config leaves it out). */
  value(f: TechniqueSettings): number;
}

export interface CsvColumn {
  /** Column `<prefix>_<field>`, one per field. */
  prefix: string;
  /** The cell of a kept field (a dropped field's cell is empty). */
  value(f: TechniqueSettings): unknown;
}

export interface Technique<
  F extends z.ZodRawShape = z.ZodRawShape,
  O extends z.ZodRawShape = z.ZodRawShape,
  K extends z.ZodRawShape = z.ZodRawShape,
> {
  name: string;
  /** Keys under `features`, with their defaults. */
  features: F;
  /** The same keys under `features.fields.<field>`, each optional (left out: the `features` value). */
  overrides: O;
  /** In order: the decisions it adds per field. */
  decisions: DecisionSource[];
  /** Its part of a proposal's canonical key (controllers/controller.ts, proposalKey); '' when unused. */
  keyPart(f: ProposalSettings): string;
  /** Its part of a kept field's short notation (e.g. "/m4"); '' when unused. */
  notation(f: TechniqueSettings): string;
  /** CSV columns, written when any trial of the export uses the technique (`uses`). */
  csv?: { uses(f: TechniqueSettings): boolean; columns: CsvColumn[] };
  /** A trial config's keys it owns, in the order an export writes them (`embnas export`, `embnas train --config`). */
  configKeys: ConfigKey[];
  /** The schema of those keys in a configuration file read by `embnas train --config`. */
  fileKeys: K;
  /** A trial config's keys for a proposal's field, from the values it carries and the field's lists in the space. */
  config(f: ProposalSettings, lists: FieldLists): Partial<TechniqueSettings>;
  /** Keys of a kept field's config that change nothing (left out of its cache key, store/config-key.ts). */
  unused?(f: TechniqueSettings): ConfigKey[];
  /** Whether a trial config's kept field uses it (rather than a plain table). */
  active(f: TechniqueSettings): boolean;
  /**
   * Its most memory-hungry setting among a field's candidates, for the memory limit checked before any trial (none:
   * it never takes more than the plain table of the same dim).
   */
  largest?(lists: Partial<FieldLists>): Partial<TechniqueSettings>;
  /**
   * For a technique that replaces how a field's rows are made (at most one per field): the keys of a field's lists
   * that turn it on (none: off), and its name in the message refusing two on one field.
   */
  exclusive?: { label: string; enabledBy(lists: Partial<FieldLists>): string[] };
}

/** Identity, for the types: keeps each descriptor's exact schema shapes. */
export function defineTechnique<F extends z.ZodRawShape, O extends z.ZodRawShape, K extends z.ZodRawShape>(
  t: Technique<F, O, K>,
): Technique<F, O, K> {
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
