/**
 * Keeps a SearchView (what the terminal shows) up to date from the runner's events, and tells subscribers when it
 * changed. The UI only ever reads the view: it never reaches into the runner or the store. The view and its lists are
 * replaced, never mutated in place, so the components can memoise on them.
 */
import { backendLabel } from '../engine/native-addon.js';
import type { TrainProgress, TrialConfig } from '../engine/trial-config.js';
import { notationOf, policyChoices } from '../techniques/index.js';
import type { FinishedTrialView, PolicyFieldView, SearchView } from './search-view.js';
import type { Choice, Controller, FieldPolicy } from '../controllers/controller.js';
import { argmaxChoice, isUniform, settledShare } from '../controllers/field-policy.js';
import type { OneShotProgress } from './oneshot/oneshot-search.js';
import { oneShotDoneView, oneShotProgressView, oneShotStartedView } from './oneshot/oneshot-view.js';
import type { FinishedTrial, SearchListener } from './search-listener.js';

export class LiveView implements SearchListener {
  private current: SearchView;
  private readonly listeners = new Set<() => void>();
  private readonly finishedListeners = new Set<(t: FinishedTrialView) => void>();
  private oneShotStartedAt = Date.now();

  constructor(
    init: Omit<SearchView, 'elapsedMs' | 'running' | 'finished' | 'policy' | 'paused' | 'stopping' | 'startedAt'>,
  ) {
    this.current = {
      ...init,
      startedAt: Date.now(),
      elapsedMs: 0,
      running: [],
      finished: [],
      policy: [],
      paused: false,
      stopping: false,
    };
  }

  /** The latest snapshot. Each change makes a new object, so a renderer can compare the previous one with it. */
  get view(): SearchView {
    return this.current;
  }

  subscribe(onChange: () => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  onFinished(fn: (t: FinishedTrialView) => void): void {
    this.finishedListeners.add(fn);
  }

  /** Adds trials finished before this process started (resume), without announcing them. */
  preload(trials: FinishedTrialView[]): void {
    const finished = [...this.current.finished, ...trials];
    this.current = { ...this.current, finished, trialsDone: finished.length, bestReward: best(finished) };
  }

  update(patch: Partial<SearchView>): void {
    this.change(patch);
  }

  trialStarted(t: { number: number; worker: number; config: TrialConfig; where?: string }): void {
    const row = {
      worker: t.worker,
      ...(t.where ? { where: t.where } : {}),
      trialNumber: t.number,
      configShort: shortConfig(t.config),
      epoch: 0,
      epochs: t.config.epochs,
      batch: 0,
      batches: 0,
      rowsPerSec: 0,
      loss: Number.NaN,
    };
    const others = this.current.running.filter((r) => r.trialNumber !== t.number);
    this.change({ running: [...others, row].sort((a, b) => a.worker - b.worker) });
  }

  /** Trials whose claimant died are back in the queue: no longer shown as running. */
  trialsRequeued(numbers: number[]): void {
    this.change({ running: this.current.running.filter((r) => !numbers.includes(r.trialNumber)) });
  }

  trialProgress(number: number, p: TrainProgress): void {
    if (!this.current.running.some((r) => r.trialNumber === number)) return;
    this.change({ running: this.current.running.map((r) => (r.trialNumber === number ? { ...r, ...p } : r)) });
  }

  trialFinished(t: FinishedTrial): void {
    const row: FinishedTrialView = finishedView(t);
    const finished = [...this.current.finished, row];
    this.change({
      running: this.current.running.filter((r) => r.trialNumber !== t.number),
      finished,
      lastFinishedElapsedMs: Date.now() - this.current.startedAt,
      trialsDone: finished.length,
      bestReward: best(finished),
      ...(t.result && !t.cacheHit ? { backend: backendLabel(t.result.backend) } : {}),
    });
    for (const fn of this.finishedListeners) fn(row);
  }

  /** A controller without a policy (random, uniform, a one-shot search's finalists) leaves the panel as it is. */
  batchObserved(controller: Controller): void {
    if (controller.policy) this.showPolicy(controller.policy());
  }

  /** The policy to show (a controller's, or the one a one-shot search's supernet phase ended with). */
  showPolicy(policy: FieldPolicy[] | undefined): void {
    this.change(policyView(policy ?? []));
  }

  /** The supernet phase of a one-shot search began (or resumed at a step); `epochs` of the train split, all told. */
  oneShotStarted(resumedAtStep: number, totalSteps: number, rounds: number, epochs?: number): void {
    this.oneShotStartedAt = Date.now();
    this.change({ oneShot: oneShotStartedView(resumedAtStep, totalSteps, rounds, epochs) });
  }

  oneShotProgress(p: OneShotProgress, controller: Controller): void {
    const prev = this.current.oneShot ?? oneShotStartedView(p.step, p.totalSteps, 0);
    const policy = p.scored.length > 0 ? policyView(controller.policy?.() ?? []) : {};
    this.change({ oneShot: oneShotProgressView(prev, p, this.oneShotStartedAt), ...policy });
  }

  oneShotDone(steps: number, finalists: number, epochs?: number): void {
    this.change({ oneShot: oneShotDoneView(this.current.oneShot, steps, finalists, epochs) });
  }

  private change(patch: Partial<SearchView>): void {
    this.current = { ...this.current, ...patch, elapsedMs: Date.now() - this.current.startedAt };
    for (const fn of this.listeners) fn();
  }
}

export function finishedView(t: FinishedTrial): FinishedTrialView {
  return {
    number: t.number,
    status: t.status,
    validAuc: t.result?.validAuc,
    memoryBytes: t.result?.inferenceBytes,
    reward: t.reward,
    dims: t.config.fields.map((f) => ({
      name: f.name,
      dim: f.dim,
      normAlpha: f.normAlpha,
      ...(techniqueSuffix(f) ? { technique: techniqueSuffix(f) } : {}),
    })),
    cacheHit: t.cacheHit,
    error: t.error,
    wallSeconds: t.result?.wallSeconds,
  };
}

export function shortConfig(config: TrialConfig): string {
  return config.fields
    .map((f) => `${f.name}:${f.dim}${f.dim > 0 && f.normAlpha > 0 ? `/α${f.normAlpha}` : ''}${techniqueSuffix(f)}`)
    .join(' ');
}

/**
 * How a kept field's rows are made, in short (docs/search-space.md): "/m<factor>" MLET factors, "/r<k>" Res-embedding
 * with k clusters, "/k<keep>" a vocabulary cut, "/b<d0,d1,…>" multi-size block dims; "" for a plain table.
 */
export function techniqueSuffix(f: TrialConfig['fields'][number]): string {
  return f.dim === 0 ? '' : notationOf(f);
}

function best(rows: FinishedTrialView[]): number | undefined {
  let b: number | undefined;
  for (const r of rows) if (r.reward !== undefined && (b === undefined || r.reward > b)) b = r.reward;
  return b;
}

/** A policy's most likely choices per field, and how settled it is over all its decisions. */
export function policyView(policy: readonly FieldPolicy[]): Pick<SearchView, 'policy' | 'policySettled'> {
  const fields: PolicyFieldView[] = policy.map((f) => {
    const d = argmaxChoice(f.dims);
    const n = argmaxChoice(f.normBudgets);
    return {
      field: f.field,
      dim: d.value,
      dimProb: d.prob,
      normBudget: n.value,
      normProb: n.prob,
      ...(isUniform(f.dims) ? { dimTied: true } : {}),
      ...(isUniform(f.normBudgets) ? { normTied: true } : {}),
    };
  });
  const decisions = policy
    .flatMap((f) => policyChoices(f).map((d) => d.choices))
    .filter((c): c is Choice => c !== undefined && c.length > 1);
  const settled =
    decisions.length === 0 ? undefined : decisions.reduce((s, c) => s + settledShare(c), 0) / decisions.length;
  return { policy: fields, ...(settled === undefined ? {} : { policySettled: settled }) };
}
