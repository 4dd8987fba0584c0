/**
 * What an embedding technique (a way of making a field's rows: a plain table, MLET, Res-embedding, multi-size blocks)
 * declares once, for every room that has to know it: its keys in the space file, the per-field decisions a controller
 * makes for it, its part of a proposal's key, its short notation and its CSV columns. The engine's half (build it,
 * its training memory) is engine/embedding-techniques.ts. This room imports nothing of embnas: the settings are
 * typed here, structurally, so the space, the controllers, the engine's configs and the exports all read it.
 */
import type { z } from 'zod';

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

export interface DecisionSource {
  /** The proposal's property it sets. */
  key: 'dim' | 'normAlpha' | 'mletFactor' | 'resClusters' | 'resAlpha' | 'keep';
  /** The candidate list (features.<list>, or features.fields.<field>.<list>) it chooses from; also its policy's name. */
  list: CandidateList;
  /** A decision only when the list offers a choice (more than one candidate), so a space not using it is unchanged. */
  optional: boolean;
  /** Its candidates are whole numbers. */
  whole: boolean;
}

export interface CsvColumn {
  /** Column `<prefix>_<field>`, one per field. */
  prefix: string;
  /** The cell of a kept field (a dropped field's cell is empty). */
  value(f: TechniqueSettings): unknown;
}

export interface Technique<F extends z.ZodRawShape = z.ZodRawShape, O extends z.ZodRawShape = z.ZodRawShape> {
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
}

/** Identity, for the types: keeps each descriptor's exact schema shapes. */
export function defineTechnique<F extends z.ZodRawShape, O extends z.ZodRawShape>(t: Technique<F, O>): Technique<F, O> {
  return t;
}

/** JavaScript's shortest round-trip form, with −0 as 0: 1e-4 and 0.0001 print the same. */
export function num(x: number): string {
  return Object.is(x, -0) ? '0' : String(x);
}
