/**
 * Where the controller's policy ended, decision by decision: for a per-trial search, the controller rebuilt from the
 * search's latest snapshot (the same state a resume restores); for a one-shot search, the supernet phase's controller
 * as its `oneshot_finished` event recorded it. Controllers without a distribution (random, uniform, the finalists of
 * a one-shot search) have none.
 */
import type { Choice, ControllerState, FieldPolicy } from '../controllers/controller.js';
export { settledShare } from '../controllers/field-policy.js';
import { controllerOptions, createController, type ControllerKind } from '../controllers/index.js';
import type { OneShotSummary } from '../search/oneshot/oneshot-summary.js';
import { fieldChoices } from '../search/trial-plan.js';
import { policyChoices } from '../techniques/index.js';
import type { Space } from '../space/schema.js';
import type { StoredSnapshot } from '../store/trial-store.js';

/** One decision of one field: its candidate values and their probabilities. */
export interface PolicyDecision {
  field: string;
  /** "dim", "α", "MLET factor", "Res clusters", "Res α", "keep", "block 2 dim", … */
  decision: string;
  choices: Choice;
}

export interface FinalPolicy {
  /** What it is the policy of, for the report's caption. */
  source: string;
  decisions: PolicyDecision[];
}

/** The policy of a per-trial search's controller after the last batch it observed; undefined without one. */
export function snapshotPolicy(
  space: Space,
  fieldNames: readonly string[],
  seed: number,
  snapshot: StoredSnapshot | undefined,
  label: string,
): FinalPolicy | undefined {
  if (snapshot === undefined) return undefined;
  const fields = fieldChoices(space, fieldNames, label);
  const s = space.search;
  const kind = s.controller as ControllerKind;
  const controller = createController(kind, { fields }, controllerOptions(kind, { ...s, seed }));
  controller.setState(snapshot.state as ControllerState);
  const policy = controller.policy?.();
  if (policy === undefined) return undefined;
  return {
    source: `${controller.kind} controller after ${snapshot.step} observed trials`,
    decisions: decisionsOf(policy),
  };
}

/** The supernet phase's final policy; only dims for a search that finished before the whole policy was recorded. */
export function oneShotPolicy(summary: OneShotSummary): FinalPolicy | undefined {
  if (summary.fieldPolicy)
    return {
      source: 'one-shot controller at the end of the supernet phase',
      decisions: decisionsOf(summary.fieldPolicy),
    };
  if (!summary.policy) return undefined;
  return {
    source: 'one-shot controller at the end of the supernet phase (most likely dim only)',
    decisions: summary.policy.map((p) => ({
      field: p.field,
      decision: 'dim',
      choices: [{ value: p.dim, prob: p.prob }],
    })),
  };
}

/** Every decision with more than one candidate, field by field in dataset order. */
export function decisionsOf(policy: readonly FieldPolicy[]): PolicyDecision[] {
  const out: PolicyDecision[] = [];
  for (const f of policy) {
    // Each technique's decisions in order, named by their labels (src/techniques/).
    for (const { label, choices } of policyChoices(f))
      if (choices && choices.length > 1) out.push({ field: f.field, decision: label, choices });
  }
  return out;
}
