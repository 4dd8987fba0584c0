/**
 * The "same size everywhere" baseline: every field gets the same dim and the same norm budget. It sweeps the dims
 * common to all fields in ascending order with the first common norm budget, then sweeps them again with the next
 * budget, and cycles once every pair has been proposed. Dim 0 everywhere would drop every feature, so it is skipped
 * whenever another common dim exists. When MLET factors are searched, the factors common to the fields that search
 * them are a third axis; when Res-embedding cluster counts (and residual α) are searched, their common values are
 * slower axes still, applied to the fields that search them. Searched block dims and vocabulary cuts are not swept:
 * every block gets the largest candidate (clamped to the field's dim: a plain table's rows) and the cut the largest
 * candidate, so the baseline stays "the same table everywhere".
 */
import { UsageError } from '../../errors.js';
import type { Controller, Observation, Proposal, SearchChoices } from './controller.js';
import { decisionsOf } from './decisions.js';

export interface UniformState {
  kind: 'uniform';
  version: 1;
  proposed: number;
}

export class UniformController implements Controller {
  readonly kind = 'uniform';
  private readonly names: string[];
  /** Fields whose MLET factor is a decision. */
  private readonly mletFields: Set<string>;
  /** Fields whose Res-embedding cluster count, and residual α, is a decision. */
  private readonly resFields: Set<string>;
  private readonly resAlphaFields: Set<string>;
  /** Sweep order: the dim moves fastest, then the norm budget, the MLET factor, the cluster count, the residual α. */
  private readonly grid: { dim: number; normAlpha: number; mletFactor?: number; resClusters?: number; resAlpha?: number }[];
  private proposed = 0;
  /** Per field with searched block dims or cuts: the largest candidate of each. */
  private readonly largest = new Map<string, { keep?: number; blockDims?: number[] }>();

  constructor(choices: SearchChoices) {
    const decisions = decisionsOf(choices); // the same validation as every controller
    this.names = choices.fields.map((f) => f.name);
    this.mletFields = new Set(decisions.filter((d) => d.key === 'mletFactor').map((d) => d.field));
    this.resFields = new Set(decisions.filter((d) => d.key === 'resClusters').map((d) => d.field));
    this.resAlphaFields = new Set(decisions.filter((d) => d.key === 'resAlpha').map((d) => d.field));
    for (const d of decisions) {
      if (d.key !== 'keep' && d.key !== 'blockDim') continue;
      const entry = this.largest.get(d.field) ?? {};
      const top = Math.max(...d.values);
      if (d.key === 'keep') entry.keep = top;
      else (entry.blockDims ??= [])[d.block! - 1] = top;
      this.largest.set(d.field, entry);
    }
    let dims = common(choices.fields.map((f) => f.dims));
    if (dims.some((d) => d > 0)) dims = dims.filter((d) => d > 0);
    const budgets = common(choices.fields.map((f) => f.normBudgets));
    // Fields that do not search their factor keep their fixed one (trial-plan.ts): only the searching fields must agree.
    const searching = choices.fields.filter((f) => this.mletFields.has(f.name));
    const factors = searching.length > 0 ? common(searching.map((f) => f.mletFactors ?? [])) : [undefined];
    const ofSearching = (fields: Set<string>, list: (f: (typeof choices.fields)[number]) => number[] | undefined) => {
      const lists = choices.fields.filter((f) => fields.has(f.name)).map((f) => list(f) ?? []);
      return lists.length > 0 ? common(lists) : [undefined];
    };
    const ks = ofSearching(this.resFields, (f) => f.resClusters);
    const resAlphas = ofSearching(this.resAlphaFields, (f) => f.resNormBudgets);
    const empty = [dims, budgets, factors, ks, resAlphas].findIndex((l) => l.length === 0);
    if (empty >= 0) {
      const what = ['dims', 'normBudgets', 'mletFactors', 'resClusters', 'resNormBudgets'][empty];
      throw new UsageError(
        `search space: no value of features.${what} is shared by every field, and the uniform controller needs one`,
        `give every field at least one common ${what} value, or use controller: reinforce or random`,
      );
    }
    this.grid = resAlphas.flatMap((resAlpha) =>
      ks.flatMap((resClusters) =>
        factors.flatMap((mletFactor) =>
          budgets.flatMap((normAlpha) =>
            dims.map((dim) => ({
              dim,
              normAlpha,
              ...(mletFactor === undefined ? {} : { mletFactor }),
              ...(resClusters === undefined ? {} : { resClusters }),
              ...(resAlpha === undefined ? {} : { resAlpha }),
            })),
          ),
        ),
      ),
    );
  }

  propose(n: number): Proposal[] {
    const out: Proposal[] = [];
    for (let i = 0; i < n; i++) {
      const { dim, normAlpha, mletFactor, resClusters, resAlpha } = this.grid[this.proposed % this.grid.length];
      out.push({
        fields: this.names.map((name) => ({
          name,
          dim,
          normAlpha,
          ...this.largest.get(name),
          ...(mletFactor !== undefined && this.mletFields.has(name) ? { mletFactor } : {}),
          ...(resClusters !== undefined && this.resFields.has(name) ? { resClusters } : {}),
          ...(resAlpha !== undefined && this.resAlphaFields.has(name) ? { resAlpha } : {}),
        })),
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
