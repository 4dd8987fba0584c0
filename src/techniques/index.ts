/**
 * Every embedding technique, in the order their keys, decisions, key parts, notation and CSV columns appear (which
 * existing proposal keys, controller snapshots and exports depend on: append, never reorder). A new technique is
 * one file here and its line below, plus its engine half (engine/embedding-techniques.ts).
 */
import { mlet } from './mlet.js';
import { multiSize } from './multi-size.js';
import { plain } from './plain.js';
import { res } from './res.js';
import type { ProposalSettings, TechniqueSettings } from './technique.js';

export const TECHNIQUES = [plain, mlet, res, multiSize] as const;

export type { CandidateList, DecisionSource, ProposalSettings, Technique, TechniqueSettings } from './technique.js';

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type Techniques = (typeof TECHNIQUES)[number];

/** Every technique's keys under `features`, for the space schema. */
export function featureKeys(): UnionToIntersection<Techniques['features']> {
  return Object.assign({}, ...TECHNIQUES.map((t) => t.features)) as UnionToIntersection<Techniques['features']>;
}

/** Every technique's keys under `features.fields.<field>`. */
export function overrideKeys(): UnionToIntersection<Techniques['overrides']> {
  return Object.assign({}, ...TECHNIQUES.map((t) => t.overrides)) as UnionToIntersection<Techniques['overrides']>;
}

/** The decision sources of every technique, in order. */
export const DECISION_SOURCES = TECHNIQUES.flatMap((t) => t.decisions);

/** A proposal field's part of the canonical key after its name. */
export function proposalKeyPart(f: ProposalSettings): string {
  return TECHNIQUES.map((t) => t.keyPart(f)).join('');
}

/** How a kept field's rows are made, in short (docs/search-space.md): each technique's notation, '' for a plain table. */
export function notationOf(f: TechniqueSettings): string {
  return TECHNIQUES.map((t) => t.notation(f)).join('');
}
