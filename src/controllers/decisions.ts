/**
 * The search space seen as a flat list of categorical decisions (one per field per setting). Controllers work on
 * indices into these lists; a new per-field setting is a decision source of its technique (src/techniques/, with its
 * key in the technique's `proposalKeys`), and every controller picks it up.
 */
import { UsageError } from '../errors.js';
import { type AnyDecisionSource, DECISION_SOURCES, decisionSource } from '../techniques/index.js';
import type { Proposal, SearchChoices } from './controller.js';

/** A decision's key: its technique's (src/techniques/, e.g. 'dim', 'mletFactor', 'blockDim'). */
export type DecisionKey = string;

export interface Decision {
  field: string;
  key: DecisionKey;
  values: number[];
  /** For a repeated decision (e.g. 'blockDim'): which one of the field, from 1 (block 1 = the second block). */
  block?: number;
}

/**
 * Where each decision's candidates come from in `FieldChoices` (and in the space file), from every technique in order.
 * An `optional` list becomes a decision only when it offers a choice (more than one candidate): a space that does not
 * search it keeps exactly the decisions, proposals and controller states it had before the setting existed.
 */
const SOURCES = DECISION_SOURCES;

/** Lists that hold whole numbers. */
const WHOLE = new Set<string>(SOURCES.filter((s) => s.whole).map((s) => s.list));

/**
 * Validates the choices (a user's space) and lists the decisions: for each field, in the techniques' order, dim,
 * normAlpha, then each technique's when searched (MLET's factor, Res-embedding's clusters and α, the vocabulary cut,
 * then one block dim per block after the first when the field has blocks and more than one candidate block dim).
 */
export function decisionsOf(choices: SearchChoices): Decision[] {
  if (choices.fields.length === 0) {
    throw new UsageError('search space: no fields to search', 'list at least one field under data.fields');
  }
  const seen = new Set<string>();
  const decisions: Decision[] = [];
  for (const f of choices.fields) {
    if (seen.has(f.name)) {
      throw new UsageError(`search space: field "${f.name}" is listed twice`, 'give every field a unique name');
    }
    seen.add(f.name);
    for (const s of SOURCES) {
      // A repeated decision (one per block) only when the field's lists ask for some.
      const count = s.repeat ? s.repeat.count(f) : 1;
      if (count === 0) continue;
      const values = f[s.list];
      if (s.optional && values === undefined) continue;
      const checked = checkedValues(f.name, s.list, values ?? []);
      if (s.optional && checked.length < 2) continue;
      if (!s.repeat) decisions.push({ field: f.name, key: s.key, values: checked });
      else
        for (let block = 1; block <= count; block++)
          decisions.push({ field: f.name, key: s.key, values: checked, block });
    }
  }
  return decisions;
}

function checkedValues(field: string, list: string, values: number[]): number[] {
  // The list comes from features.<list> or from the field's override, features.fields.<field>.<list>.
  const where = `search space: features.${list} of field "${field}"`;
  if (values.length === 0) throw new UsageError(`${where} is empty`, 'list at least one candidate value');
  for (const v of values) {
    if (!Number.isFinite(v) || v < 0 || (WHOLE.has(list) && !Number.isInteger(v))) {
      throw new UsageError(
        `${where} has the invalid value ${v}`,
        `use non-negative numbers (whole numbers for ${[...WHOLE].join(' and ')})`,
      );
    }
  }
  if (new Set(values).size !== values.length) {
    // A repeated candidate would silently get twice the prior probability.
    throw new UsageError(`${where} repeats a value: [${values.join(', ')}]`, 'list each candidate once');
  }
  return [...values];
}

/** Builds the proposal picking `indices[i]` in decision i. */
export function proposalFrom(decisions: Decision[], indices: number[]): Proposal {
  const fields: Proposal['fields'] = [];
  for (let i = 0; i < decisions.length; i++) {
    const d = decisions[i];
    let f = fields[fields.length - 1];
    if (!f || f.name !== d.field) {
      f = { name: d.field, dim: 0, normAlpha: 0 };
      fields.push(f);
    }
    setValue(f, d, d.values[indices[i]]);
  }
  return { fields };
}

type ProposalField = Proposal['fields'][number];

/** A repeated decision sits at <property>[block − 1] (e.g. blockDims); every other one is a property of its own. */
export function setValue(f: ProposalField, d: Pick<Decision, 'key' | 'block'>, value: number): void {
  const s: AnyDecisionSource = decisionSource(d.key);
  const props = f as unknown as Record<string, number | number[] | undefined>;
  if (s.repeat) ((props[s.property] ??= []) as number[])[d.block! - 1] = value;
  else props[s.key] = value;
}

function valueOf(f: ProposalField, d: Decision): number | undefined {
  const s = decisionSource(d.key);
  const props = f as unknown as Record<string, number | number[] | undefined>;
  return s.repeat ? (props[s.property] as number[] | undefined)?.[d.block! - 1] : (props[s.key] as number | undefined);
}

/** The inverse of `proposalFrom`; a proposal outside the space is a bug in the caller. */
export function indicesOf(decisions: Decision[], proposal: Proposal): number[] {
  const byName = new Map(proposal.fields.map((f) => [f.name, f]));
  return decisions.map((d) => {
    const f = byName.get(d.field);
    const value = f === undefined ? undefined : valueOf(f, d);
    const index = value === undefined ? -1 : d.values.indexOf(value);
    if (index < 0) {
      throw new Error(`proposal is outside the search space: ${d.field}.${d.key} = ${value ?? 'missing'}`);
    }
    return index;
  });
}

/** Same fields, same keys, same candidate values in the same order. */
export function sameDecisions(a: Decision[], b: Decision[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (d, i) =>
        d.field === b[i].field &&
        d.key === b[i].key &&
        d.block === b[i].block &&
        d.values.length === b[i].values.length &&
        d.values.every((v, j) => v === b[i].values[j]),
    )
  );
}
