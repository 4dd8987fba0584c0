/**
 * The "same size everywhere" baseline: every field gets the same dim and the same norm budget. It sweeps the dims
 * common to all fields in ascending order with the first common norm budget, then sweeps them again with the next
 * budget, and cycles once every pair has been proposed. Dim 0 everywhere would drop every feature, so it is skipped
 * whenever another common dim exists. When MLET factors are searched, the factors common to the fields that search
 * them are a third axis; when Res-embedding cluster counts (and residual α) are searched, their common values are
 * slower axes still, applied to the fields that search them. Searched block dims and vocabulary cuts are not swept:
 * every block gets the largest candidate (clamped to the field's dim: a plain table's rows) and the cut the largest
 * candidate, so the baseline stays "the same table everywhere". Which decisions are swept and which take their
 * largest value each technique says (src/techniques/, `uniform`).
 */
import { UsageError } from '../errors.js';
import type { Controller, Observation, Proposal, SearchChoices } from './controller.js';
import { DECISION_SOURCES, decisionSource } from '../techniques/index.js';
import { type DecisionKey, decisionsOf, setValue } from './decisions.js';

export interface UniformState {
  kind: 'uniform';
  version: 1;
  proposed: number;
}

export class UniformController implements Controller {
  readonly kind = 'uniform';
  private readonly names: string[];
  /**
   * The swept decisions (dim, norm budget, then each technique's, src/techniques/ `uniform: 'sweep'`), each with the
   * fields that search it and the values they have in common; a decision no field searches has the one value
   * `undefined` and sets nothing.
   */
  private readonly axes: { key: DecisionKey; fields: Set<string>; values: (number | undefined)[] }[];
  /** Sweep order: one value per axis, the first axis (the dim) moving fastest. */
  private readonly grid: (number | undefined)[][];
  private proposed = 0;
  /** Per field with searched decisions that take their largest value (block dims, cuts): the largest candidate of each. */
  private readonly largest = new Map<string, Omit<Proposal['fields'][number], 'name' | 'dim' | 'normAlpha'>>();

  constructor(choices: SearchChoices) {
    const decisions = decisionsOf(choices); // the same validation as every controller
    this.names = choices.fields.map((f) => f.name);
    for (const d of decisions) {
      if (decisionSource(d.key).uniform !== 'largest') continue;
      const entry = this.largest.get(d.field) ?? {};
      setValue(entry as Proposal['fields'][number], d, Math.max(...d.values));
      this.largest.set(d.field, entry);
    }
    // Fields that do not search a setting keep their fixed one (trial-plan.ts): only the searching fields must agree.
    this.axes = DECISION_SOURCES.filter((s) => s.uniform === 'sweep' && !s.repeat).map((s) => {
      const fields = new Set(decisions.filter((d) => d.key === s.key).map((d) => d.field));
      const lists = choices.fields.filter((f) => fields.has(f.name)).map((f) => f[s.list] ?? []);
      let values: (number | undefined)[] = lists.length > 0 ? common(lists) : [undefined];
      // Dim 0 everywhere would drop every feature: skipped whenever another common dim exists.
      if (s.key === 'dim' && values.some((d) => d! > 0)) values = values.filter((d) => d! > 0);
      if (values.length === 0) {
        throw new UsageError(
          `search space: no value of features.${s.list} is shared by every field, and the uniform controller needs one`,
          `give every field at least one common ${s.list} value, or use controller: reinforce or random`,
        );
      }
      return { key: s.key, fields, values };
    });
    this.grid = this.axes.reduce<(number | undefined)[][]>(
      (rows, axis) => axis.values.flatMap((v) => rows.map((r) => [...r, v])),
      [[]],
    );
  }

  propose(n: number): Proposal[] {
    const out: Proposal[] = [];
    for (let i = 0; i < n; i++) {
      const row = this.grid[this.proposed % this.grid.length];
      out.push({
        fields: this.names.map((name) => {
          const f: Proposal['fields'][number] = { name, dim: 0, normAlpha: 0, ...this.largest.get(name) };
          this.axes.forEach((axis, j) => {
            if (row[j] !== undefined && axis.fields.has(name)) setValue(f, axis, row[j]);
          });
          return f;
        }),
      });
      this.proposed++;
    }
    return out;
  }

  /** The sweep is fixed; rewards do not change it. */
  observe(_observations: Observation[]): void {}

  getState(): UniformState {
    return { kind: 'uniform', version: 1, proposed: this.proposed };
  }

  setState(state: UniformState): void {
    if (state?.kind !== 'uniform' || state.version !== 1 || !Number.isInteger(state.proposed)) {
      throw new Error(`not a version-1 uniform controller snapshot: kind ${String(state?.kind)}`);
    }
    this.proposed = state.proposed;
  }
}

/** Values present in every list, ascending. */
function common(lists: number[][]): number[] {
  return lists[0].filter((v) => lists.every((l) => l.includes(v))).sort((a, b) => a - b);
}
