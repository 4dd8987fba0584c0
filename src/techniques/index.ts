/**
 * Everything the rest of embnas reads of the embedding techniques, derived from the registry (registry.ts): the
 * settings types of proposals, trial configs and exports (intersections of each descriptor's key shapes), the space's
 * keys, the decisions, the checks of a trial config and the loops over the techniques that the controllers, the
 * engine, the store and the exports share. Nothing outside src/techniques/ and the techniques' engine halves names
 * one technique's keys in code (test/architecture/technique-keys.test.ts).
 */
import { TECHNIQUES } from './registry.js';
import type { BaseLists, BaseSettings, CheckContext, DecisionSource, Formats, Out, Technique } from './technique.js';

export { TECHNIQUES } from './registry.js';
export type { BaseLists, BaseSettings, CheckContext, Formats, Technique } from './technique.js';
export { defineTechnique, nonNegativeInt } from './technique.js';

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type Registered = (typeof TECHNIQUES)[number];
type Merged<K extends 'features' | 'overrides' | 'configKeys' | 'proposalKeys'> = UnionToIntersection<Registered[K]>;

/** A registered technique's name. */
export type TechniqueName = Registered['name'];
/** The trial config keys of every technique (each optional), as a field of `FieldConfig` carries them. */
export type TechniqueConfig = Out<Merged<'configKeys'>>;
/** A kept field's settings in a trial config: every field's and every technique's. */
export type TechniqueSettings = BaseSettings & TechniqueConfig;
/** A field's settings in a proposal (the values of its decisions), as in Proposal['fields'][number]. */
export type ProposalSettings = BaseSettings & Out<Merged<'proposalKeys'>>;
/** One field's candidate lists and settings in the space: `features.<key>`, or `features.fields.<field>.<key>`. */
export type FieldLists = Out<Merged<'features'>>;
/** The candidate lists a controller sees for a field (FieldChoices): dims and norm budgets, each technique's if any. */
export type CandidateLists = Pick<FieldLists, 'dims' | 'normBudgets'> & Partial<Omit<FieldLists, keyof BaseLists>>;
/** A technique's key in a trial config. */
export type ConfigKey = keyof TechniqueConfig & string;
type Lists = NonNullable<Registered['lists']>;
/**
 * A controller's distribution per decision, named as its candidate list: one for each single decision (dims and
 * normBudgets always, a technique's when searched), a list of them for each repeated one (one per block).
 */
export type PolicyLists<C> = { dims: C; normBudgets: C } & {
  [K in Exclude<Lists['single'], keyof BaseLists>]?: C;
} & { [K in Lists['repeated']]?: C[] };

/** Every technique, typed over every technique's settings: what the loops below read. */
type AnyTechnique = Technique<
  Merged<'features'>,
  Merged<'overrides'>,
  Merged<'configKeys'>,
  Merged<'proposalKeys'>,
  string,
  string
>;
const ALL = TECHNIQUES as unknown as readonly AnyTechnique[];
export type AnyDecisionSource = DecisionSource<ProposalSettings, FieldLists, TechniqueSettings>;

/** Every technique's keys under `features`, for the space schema. */
export function featureKeys(): Merged<'features'> {
  return Object.assign({}, ...ALL.map((t) => t.features)) as Merged<'features'>;
}

/** Every technique's keys under `features.fields.<field>`. */
export function overrideKeys(): Merged<'overrides'> {
  return Object.assign({}, ...ALL.map((t) => t.overrides)) as Merged<'overrides'>;
}

/** Every technique's keys in a configuration file for `embnas train --config`. */
export function fileKeys(): Merged<'configKeys'> {
  return Object.assign({}, ...ALL.map((t) => t.configKeys)) as Merged<'configKeys'>;
}

/** The trial config keys the techniques own, in the order exports write them. */
export const CONFIG_KEYS = ALL.flatMap((t) => Object.keys(t.configKeys)) as ConfigKey[];

/** The decision sources of every technique, in order. */
export const DECISION_SOURCES: readonly AnyDecisionSource[] = ALL.flatMap((t) => t.decisions);

const SOURCE_BY_KEY = new Map(DECISION_SOURCES.map((s) => [s.key, s]));

/** The source of a decision key; an unknown key is a bug. */
export function decisionSource(key: string): AnyDecisionSource {
  const s = SOURCE_BY_KEY.get(key);
  if (s === undefined) throw new Error(`no embedding technique declares the decision "${key}"`);
  return s;
}

/** A proposal field's part of the canonical key after its name. */
export function proposalKeyPart(f: ProposalSettings): string {
  return ALL.map((t) => t.keyPart(f)).join('');
}

/** How a kept field's rows are made, in short (docs/search-space.md): each technique's notation, '' for a plain table. */
export function notationOf(f: TechniqueSettings): string {
  return ALL.map((t) => t.notation(f)).join('');
}

/** How the report says a kept field's techniques, in registry order. */
export function describeTechniques(f: Partial<TechniqueSettings>, formats: Formats): string[] {
  return ALL.flatMap((t) => t.describe?.(f, formats) ?? []);
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

/** A field's candidate lists for a controller: each single decision's list, then each technique's other `choices`. */
export function candidateLists(lists: FieldLists): CandidateLists {
  return {
    ...Object.fromEntries(DECISION_SOURCES.filter((d) => !d.repeat).map((d) => [d.list, lists[d.list]])),
    ...Object.assign({}, ...ALL.map((t) => t.choices?.(lists) ?? {})),
  } as CandidateLists;
}

/** Every technique's trial config keys for a proposal's field (`config` of each, in order). */
export function techniqueConfig(f: ProposalSettings, lists: FieldLists): TechniqueConfig {
  return Object.assign({}, ...ALL.map((t) => t.config(f, lists))) as TechniqueConfig;
}

/**
 * Every technique's checks of a trial config's field, then the one conflict rule, built from the descriptors: at most
 * one technique that replaces how a field's rows are made (`exclusive`) may be on in a field; the refusal names the
 * keys of each that the field sets, so no technique has to name another's.
 */
export function checkTechniques(f: TechniqueSettings, at: CheckContext): void {
  for (const t of ALL) t.check?.(f, at);
  const on = ALL.filter((t) => t.exclusive !== undefined && t.active(f));
  if (on.length < 2) return;
  const set = (t: (typeof ALL)[number]) =>
    Object.keys(t.configKeys)
      .filter((k) => (f as unknown as Record<string, unknown>)[k] !== undefined)
      .join('/');
  at.fail(`${at.field} combines ${on.map(set).join(' with ')}`, `use one of ${exclusiveLabels()} per field`);
}

/** The technique that makes a field's rows: the last registered one its config turns on, else the plain table. */
export function techniqueFor(f: TechniqueSettings): TechniqueName {
  return ([...ALL].reverse().find((t) => t.active(f)) ?? ALL[0]).name as TechniqueName;
}

/** Keys of a kept field's config that change nothing on their own (left out of its cache key). */
export function unusedKeys(f: TechniqueSettings): Set<string> {
  return new Set(ALL.flatMap((t) => t.unused?.(f) ?? []));
}

/** The techniques' most memory-hungry settings among a field's candidates, one variant each (none for the rest). */
export function largestVariants(lists: Partial<FieldLists>): TechniqueConfig[] {
  return ALL.flatMap((t) => (t.largest ? [t.largest(lists)] : []));
}

/** A trial config's field as candidate lists of one value each (its own setting of every decision). */
export function listsOfConfig(f: TechniqueSettings): Partial<FieldLists> {
  const lists: Record<string, number[]> = {};
  for (const d of DECISION_SOURCES) lists[d.list] = d.repeat ? d.repeat.values(f) : [d.value(f)];
  return lists as Partial<FieldLists>;
}

/** How many times its dim a row of the field's largest table is while training (1: a plain row), and why. */
export function widestRow(lists: Partial<FieldLists>): {
  factor: number;
  list?: string;
  what?: (dim: number) => string;
} {
  const all = ALL.flatMap((t) => (t.widest ? [t.widest(lists)] : []));
  return all.reduce<{ factor: number; list?: string; what?: (dim: number) => string }>(
    (a, b) => (b.factor > a.factor ? b : a),
    { factor: 1 },
  );
}

/**
 * A policy's decisions in order, each with its name in the report: the single ones named by their label, a
 * repeated one's by its number (the distributions are `policy[list]`, an array for a repeated decision).
 */
export function policyChoices<C>(policy: PolicyLists<C>): { label: string; choices: C | undefined }[] {
  return DECISION_SOURCES.flatMap((s) => {
    const c = (policy as Record<string, C | C[] | undefined>)[s.list];
    if (!s.repeat) return [{ label: s.label, choices: c as C | undefined }];
    return ((c as C[] | undefined) ?? []).map((choices, i) => ({ label: s.label(i + 1), choices }));
  });
}

/** The techniques that replace how a field's rows are made and that a field's lists turn on: their labels. */
export function exclusiveOn(lists: Partial<FieldLists>): string[] {
  return ALL.flatMap((t) => (t.exclusive && t.exclusive.enabledBy(lists).length > 0 ? [t.exclusive.label] : []));
}

/** Every technique that replaces how a field's rows are made, by its label, for messages: "a, b or c". */
export function exclusiveLabels(): string {
  const labels = ALL.flatMap((t) => (t.exclusive ? [t.exclusive.label] : []));
  return labels.length < 2 ? labels.join('') : `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}`;
}

/** The keys of a field's lists that turn on a technique replacing how its rows are made. */
export function exclusiveKeys(lists: Partial<FieldLists>): string[] {
  return ALL.flatMap((t) => t.exclusive?.enabledBy(lists) ?? []);
}

/** Whether a kept field of a trial config uses anything but a plain table. */
export function usesTechnique(f: TechniqueSettings): boolean {
  return ALL.some((t) => t !== ALL[0] && t.active(f));
}
