/**
 * How many trials train at once. Every worker thread holds its own copy of the data and its own tfjs, so threads
 * beyond the trial budget, or far beyond the cores, only cost memory and start-up time: such a request is capped, with
 * a one-line notice that says to what and why, instead of starting thousands of threads.
 *
 * 1. The count is the request (the --workers flag, else search.workers, else the number of cores) when it is within
 *    both caps; there is no notice then.
 * 2. A request above the trial budget is capped to the budget: more threads would have no trial to train.
 * 3. A request above WORKERS_PER_CORE × the cores is capped to that: more threads only wait for the cores.
 * 4. When both caps apply, the smaller wins and the notice names it.
 */
import { availableParallelism } from 'node:os';

/** Threads per core beyond which more threads only queue for the cores. */
export const WORKERS_PER_CORE = 4;

export interface WorkerRequest {
  /** The --workers flag. */
  flag?: number;
  /** search.workers of the space. */
  space?: number;
  /** The search's trial budget. */
  trials: number;
  cores?: number;
}

export interface WorkerCount {
  workers: number;
  /** Set when the request was capped: one line for stderr. */
  notice?: string;
}

export function workerCount(r: WorkerRequest): WorkerCount {
  const cores = r.cores ?? availableParallelism();
  const requested = r.flag ?? r.space ?? cores;
  const source = r.flag !== undefined ? '--workers' : r.space !== undefined ? 'search.workers' : 'the number of cores';
  const byCores = WORKERS_PER_CORE * cores;
  const byTrials = Math.max(1, r.trials);
  const workers = Math.min(requested, byCores, byTrials);
  if (workers === requested) return { workers };
  const why =
    workers === byTrials
      ? `the trial budget of the search: more threads would have no trial to train`
      : `${WORKERS_PER_CORE} × ${cores} core${cores === 1 ? '' : 's'}: more threads would only wait for the cores`;
  return { workers, notice: `${source} ${requested}: capped to ${workers} workers, ${why}` };
}
