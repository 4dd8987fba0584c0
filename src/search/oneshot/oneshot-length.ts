/**
 * How long a one-shot supernet trains, held to what the space asks: `search.oneshot.epochs` epochs of the train split
 * become exactly that many rows of training (to the nearest batch), however few batches an epoch has and however many
 * rounds there are. A round may train no batch then (it still scores its proposals, on the weights as they stand):
 * spreading a fixed number of batches over the rounds, rather than at least one per round, is what keeps a small
 * dataset from training twice as long as asked. The epochs shown (run, `show`) are computed back from the steps.
 */
import { ONESHOT_SPACE_DEFAULTS, type OneShotOptions, type OneShotSpaceOptions } from './oneshot-options.js';

/** Rows one step trains: a batch, or the whole split when it is smaller (the loop never trains part of a batch). */
function rowsPerStep(trainRows: number, batchSize: number): number {
  return Math.max(1, Math.min(batchSize, trainRows));
}

/**
 * Batch counts from epochs: `warmupBatches` for the `warmupEpochs`, `searchBatches` for the rest, together the
 * space's `epochs` of the train split to the nearest batch (at least one batch).
 */
export function oneShotFromSpace(
  own: OneShotSpaceOptions,
  trainRows: number,
  batchSize: number,
): Omit<OneShotOptions, 'seed'> {
  const o = { ...ONESHOT_SPACE_DEFAULTS, ...own };
  const perEpoch = Math.max(1, trainRows) / rowsPerStep(trainRows, batchSize);
  const total = Math.max(1, Math.round(o.epochs * perEpoch));
  const warmupBatches = Math.min(total, Math.round(Math.min(o.warmupEpochs, o.epochs) * perEpoch));
  const { epochs: _e, warmupEpochs: _w, ...rest } = o;
  return { ...rest, warmupBatches, searchBatches: total - warmupBatches };
}

/**
 * Training batches of round `round`: the options' `searchBatches` spread over the rounds as evenly as whole batches
 * allow, ⌊(r + 1)·S/R⌋ − ⌊r·S/R⌋ (S/R each when it divides, as searches checkpointed by earlier versions had).
 */
export function roundBatches(o: Pick<OneShotOptions, 'rounds' | 'searchBatches'>, round: number): number {
  return Math.floor(((round + 1) * o.searchBatches) / o.rounds) - Math.floor((round * o.searchBatches) / o.rounds);
}

/** Epochs of the train split that `steps` training steps make. */
export function supernetEpochs(steps: number, trainRows: number, batchSize: number): number {
  return (steps * rowsPerStep(trainRows, batchSize)) / Math.max(1, trainRows);
}

/** "4 epochs", "2.05 epochs", "1 epoch": two decimals at most. */
export function epochsLabel(epochs: number): string {
  const n = Number(epochs.toFixed(2));
  return `${n} epoch${n === 1 ? '' : 's'}`;
}
