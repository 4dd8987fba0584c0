/**
 * `embnas show <search>`: what a search found, read from the store: its best trials, the AUC × memory Pareto front,
 * the one-shot supernet's ranking, and (with --json) every trial for scripts.
 */
import type { Command } from 'commander';
import { shortConfig } from '../../search/live-view.js';
import { epochsLabel } from '../../search/oneshot/oneshot-length.js';
import { oneShotSummary, type OneShotSummary } from '../../search/oneshot/oneshot-summary.js';
import { paretoFront } from '../../search/pareto.js';
import type { TrialRecord } from '../../store/trial-store.js';
import { openStoreForReading } from '../open-for-reading.js';
import { dbOption, jsonOption, option, positiveInt } from '../options.js';
import { shownStatus, statusLine } from '../search-status.js';
import { formatSeconds } from '../../units.js';
import { searchObjective } from '../search-objective.js';
import { fmt, table } from '../table.js';

export function registerShow(program: Command): void {
  program
    .command('show')
    .description('show a search: its progress, the best trials and the AUC × memory Pareto front')
    .argument('<search>', 'search id or name')
    .addOption(dbOption())
    .addOption(jsonOption())
    .addOption(option('--top <n>', 'how many of the best trials to list', '10').argParser(positiveInt('--top')))
    .addHelpText('after', '\nExample:\n  $ embnas show synthetic --top 5')
    .action(async (search: string, flags: { db: string; json?: boolean; top: number | string }) => {
      const top = Number(flags.top);
      const store = await openStoreForReading(flags.db);
      try {
        const s = await store.getSummary(search);
        const best = await store.listTrials(s.id, { status: 'completed', orderBy: 'reward', limit: top });
        const all = await store.listTrials(s.id, { orderBy: 'number' });
        const front = paretoFront(
          all
            .filter((t) => t.status === 'completed')
            .map((t) => ({
              ...t,
              id: t.number,
              auc: t.result!.validAuc,
              memoryBytes: t.result!.inferenceBytes,
            })),
        );
        const oneShot = await oneShotSummary(store, s.id);
        if (flags.json) {
          const { spaceText: _t, ...rest } = s;
          const summary = { ...rest, ...shownStatus(s, flags.db) };
          const out = {
            search: summary,
            best: best.map(trialJson),
            pareto: front.map(trialJson),
            // Who trained what: this process's lanes or `embnas worker` processes on any machine.
            trials: all.map((t) => ({ number: t.number, status: t.status, worker: workerJson(t) })),
            ...(oneShot ? { oneShot } : {}),
          };
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        const lines = [
          `search ${s.id} '${s.name}' — ${statusLine(shownStatus(s, flags.db))}, ${s.counts.completed} completed, ${s.counts.failed} failed, ${s.counts.queued + s.counts.interrupted} queued of ${s.trialsBudget}; seed ${s.seed}; ${s.cacheHits} cache hits`,
          `space ${s.spacePath}`,
          `objective: ${searchObjective(s)?.formula ?? 'unknown (the stored space no longer parses)'}; best = highest reward`,
          ...(oneShot ? ['', ...oneShotLines(oneShot, top)] : []),
          '',
          `best ${best.length} by reward:`,
          trialTable(best),
          '',
          `Pareto front (AUC ↑, memory ↓), ${front.length} trials:`,
          trialTable(front),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        await store.close();
      }
    });
}

function trialTable(trials: TrialRecord[]): string {
  const rows = trials.map((t) => [
    t.number,
    fmt.auc(t.result?.validAuc),
    fmt.bytes(t.result?.inferenceBytes),
    fmt.reward(penalty(t)),
    fmt.reward(t.reward),
    shortConfig(t.config), // the live view's notation: dim, then α, MLET, Res-embedding, cut and block dims when set
  ]);
  return table(['trial', 'AUC', 'memory', 'penalty', 'reward', 'dims'], rows, [true, true, true, true, true, false]);
}

/** reward = AUC − penalty, whatever the reward form (a trial over a hard budget has no AUC: no penalty shown). */
function penalty(t: TrialRecord): number | undefined {
  return t.result && t.reward !== null ? Math.max(0, t.result.validAuc - t.reward) : undefined;
}

/** The supernet phase of a one-shot search: how long, and the configurations it ranked best by proxy reward. */
function oneShotLines(o: OneShotSummary, top: number): string[] {
  // A phase finished before the supernet held its configured length has no epochs stored.
  const epochs = o.epochs === undefined ? '' : ` (${epochsLabel(o.epochs)} of the train split)`;
  const rows = o.ranked
    .slice(0, top)
    .map((r, i) => [
      i + 1,
      fmt.auc(r.auc),
      fmt.bytes(r.memoryBytes),
      fmt.reward(r.reward),
      r.timesScored,
      fmt.reward(r.meanProxy),
      `${r.proposal.fields.map((f) => `${f.name}:${f.dim}`).join(' ')}${r.argmax ? '  (policy)' : ''}${r.refined ? '  (local search)' : ''}`,
    ]);
  return [
    `one-shot supernet: ${o.steps} steps${epochs} in ${formatSeconds(o.seconds)}; ` +
      `its ${Math.min(top, o.ranked.length)} best by proxy reward (final weights, whole valid split):`,
    table(['rank', 'AUC', 'memory', 'proxy', 'sampled', 'mean proxy', 'dims'], rows, [
      true,
      true,
      true,
      true,
      true,
      true,
      false,
    ]),
  ];
}

function workerJson(t: TrialRecord): { host: string; pid: number } | null {
  return t.worker ? { host: t.worker.host, pid: t.worker.pid } : null;
}

function trialJson(t: TrialRecord) {
  return {
    number: t.number,
    worker: workerJson(t),
    reward: t.reward,
    validAuc: t.result?.validAuc,
    validLogloss: t.result?.validLogloss,
    memoryBytes: t.result?.inferenceBytes,
    cacheHit: t.cacheHit,
    config: t.config,
  };
}
