/**
 * Every embedding technique, in the order their keys, decisions, key parts, notation and CSV columns appear (which
 * existing proposal keys, controller snapshots and exports depend on: append, never reorder). A new technique is
 * one file here and its line below, plus its engine half (engine/embedding-techniques.ts).
 */
import { mlet } from './mlet.js';
import { multiSize } from './multi-size.js';
import { plain } from './plain.js';
import { res } from './res.js';
import type { ConfigKey, FieldLists, ProposalSettings, TechniqueSettings } from './technique.js';

export const TECHNIQUES = [plain, mlet, res, multiSize] as const;

export type {
  CandidateList,
  ConfigKey,
  DecisionSource,
  FieldLists,
  ProposalSettings,
  Technique,
  TechniqueSettings,
} from './technique.js';
export { nonNegativeInt } from './technique.js';

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type Techniques = (typeof TECHNIQUES)[number];

/** Every technique's keys under `features`, for the space schema. */
export function featureKeys(): UnionToIntersection<Techniques['features']> {
  return Object.assign({}, ...TECHNIQUES.map((t) => t.features)) as UnionToIntersection<Techniques['features']>;
}

/** Every technique's keys in a configuration file for `embnas train --config`. */
export function fileKeys(): UnionToIntersection<Techniques['fileKeys']> {
  return Object.assign({}, ...TECHNIQUES.map((t) => t.fileKeys)) as UnionToIntersection<Techniques['fileKeys']>;
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

/** A field's lists in a space's `features`: its own (`features.fields.<name>`) where it has them, else the defaults. */
export function fieldLists<F extends FieldLists & { fields: Record<string, Partial<FieldLists>> }>(
  features: F,
  name: string,
): FieldLists {
  const own = features.fields[name] ?? {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(featureKeys()))
    out[key] = own[key as keyof FieldLists] ?? features[key as keyof FieldLists];
  return out as unknown as FieldLists;
}

/** Every technique's trial config keys for a proposal's field (`config` of each, in order). */
export function techniqueConfig(f: ProposalSettings, lists: FieldLists): Partial<TechniqueSettings> {
  return Object.assign({}, ...TECHNIQUES.map((t) => t.config(f, lists))) as Partial<TechniqueSettings>;
}

/** The trial config keys the techniques own, in the order exports write them. */
export const CONFIG_KEYS: ConfigKey[] = TECHNIQUES.flatMap((t) => t.configKeys);

/** The techniques that replace how a field's rows are made and that a field's lists turn on: their labels. */
export function exclusiveOn(lists: Partial<FieldLists>): string[] {
  return TECHNIQUES.flatMap((t) => (t.exclusive && t.exclusive.enabledBy(lists).length > 0 ? [t.exclusive.label] : []));
}

/** The keys of a field's lists that turn on a technique replacing how its rows are made. */
export function exclusiveKeys(lists: Partial<FieldLists>): string[] {
  return TECHNIQUES.flatMap((t) => t.exclusive?.enabledBy(lists) ?? []);
}

/** Whether a kept field of a trial config uses anything but a plain table. */
export function usesTechnique(f: TechniqueSettings): boolean {
  return TECHNIQUES.some((t) => t.name !== 'plain' && t.active(f));
}
