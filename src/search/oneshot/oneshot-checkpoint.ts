/**
 * A one-shot search's checkpoint: everything its loop needs to go on exactly — the loop position, the supernet with
 * its optimizers' state, the batch order's shuffle state, the warm-up sampler and the controller, the proxy history —
 * as one binary payload a store saves atomically (TrialStore.saveCheckpoint).
 *
 * Layout: "EMBNOS02", then u32 little-endian length + UTF-8 JSON (position, options, controllers, history, the order's
 * RNG), u32 length + the order's row permutation (Int32, little-endian), then the supernet's own encoding
 * (supernet-state.ts). Anything else is refused with a message naming what is wrong. "EMBNOS01", the same layout
 * whose options gave `trainBatches` per round (at least one, whatever the epochs asked), is read as `searchBatches`
 * = trainBatches × rounds, which the loop spreads back to the same count per round: a search checkpointed by an
 * earlier embnas resumes on the schedule it started with.
 */
import type { BatchOrder, BatchOrderState } from '../../engine/batches.js';
import type { Supernet } from '../../engine/supernet/supernet.js';
import {
  captureSupernet,
  decodeSupernetState,
  encodeSupernetState,
  restoreSupernet,
} from '../../engine/supernet/supernet-state.js';
import type { Controller, ControllerState } from '../../controllers/controller.js';
import type { RandomController, RandomState } from '../../controllers/random.js';
import type { LoopPosition, ProxyObservation } from './loop-position.js';
import type { OneShotOptions } from './oneshot-options.js';

const MAGIC = 'EMBNOS02';
/** The first version: its options' `trainBatches` were per round. */
const MAGIC_V1 = 'EMBNOS01';

export interface OneShotCheckpoint {
  position: LoopPosition;
  options: Omit<OneShotOptions, 'backend'>;
  step: number;
  uniform: RandomState;
  controller: ControllerState;
  history: ProxyObservation[];
  orderRng: BatchOrderState['rng'];
  orderRows: Int32Array;
  supernet: Uint8Array;
  /** Wall clock the phase had run when the checkpoint was taken (set by whoever stores it). */
  seconds?: number;
}

/** What a checkpoint captures of a one-shot loop and restores into it (a OneShotSearch). */
export interface CheckpointedLoop {
  readonly options: OneShotOptions;
  readonly supernet: Supernet;
  readonly order: BatchOrder;
  readonly uniform: RandomController;
  readonly controller: Controller;
  readonly history: ProxyObservation[];
  position: LoopPosition;
}

export function captureLoop(search: CheckpointedLoop): OneShotCheckpoint {
  const { backend: _backend, ...options } = search.options;
  const order = search.order.getState();
  return {
    position: { ...search.position },
    options,
    step: search.supernet.step,
    uniform: search.uniform.getState(),
    controller: search.controller.getState(),
    history: search.history.map((h) => structuredClone(h)),
    orderRng: order.rng,
    orderRows: order.rows.slice(),
    supernet: encodeSupernetState(captureSupernet(search.supernet)),
  };
}

export function restoreLoop(search: CheckpointedLoop, c: OneShotCheckpoint): void {
  const { backend: _backend, ...options } = search.options;
  if (JSON.stringify(options) !== JSON.stringify(c.options)) {
    throw new Error(
      `checkpoint of a one-shot search with other options (${JSON.stringify(c.options)}, now ${JSON.stringify(options)})`,
    );
  }
  restoreSupernet(search.supernet, decodeSupernetState(c.supernet));
  search.order.setState({ rows: c.orderRows.slice(), rng: c.orderRng });
  search.uniform.setState(c.uniform);
  search.controller.setState(c.controller);
  search.history.splice(0, search.history.length, ...c.history.map((h) => structuredClone(h)));
  search.position = { ...c.position };
}

export function encodeCheckpoint(c: OneShotCheckpoint): Uint8Array {
  const { orderRows, supernet, ...rest } = c;
  const json = Buffer.from(JSON.stringify(rest), 'utf8');
  const rows = Buffer.from(orderRows.buffer, orderRows.byteOffset, orderRows.byteLength);
  const head = Buffer.alloc(MAGIC.length + 4);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(json.length, MAGIC.length);
  const rowsLen = Buffer.alloc(4);
  rowsLen.writeUInt32LE(rows.length, 0);
  return new Uint8Array(Buffer.concat([head, json, rowsLen, rows, supernet]));
}

export function decodeCheckpoint(bytes: Uint8Array): OneShotCheckpoint {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = buf.length < MAGIC.length + 4 ? '' : buf.toString('latin1', 0, MAGIC.length);
  if (magic !== MAGIC && magic !== MAGIC_V1) throw new Error('not a one-shot checkpoint (bad header)');
  let at = MAGIC.length;
  const take = (what: string): Buffer => {
    if (at + 4 > buf.length) throw new Error(`one-shot checkpoint truncated before its ${what}`);
    const n = buf.readUInt32LE(at);
    at += 4;
    if (at + n > buf.length)
      throw new Error(`one-shot checkpoint truncated in its ${what} (${buf.length - at} of ${n} bytes)`);
    const out = buf.subarray(at, at + n);
    at += n;
    return out;
  };
  const rest = JSON.parse(take('header').toString('utf8')) as Omit<OneShotCheckpoint, 'orderRows' | 'supernet'>;
  if (magic === MAGIC_V1) rest.options = fromV1(rest.options as unknown as V1Options);
  const rowBytes = take('batch order');
  const orderRows = new Int32Array(rowBytes.length / 4);
  new Uint8Array(orderRows.buffer).set(rowBytes);
  return { ...rest, orderRows, supernet: new Uint8Array(buf.subarray(at)) };
}

type V1Options = Omit<OneShotCheckpoint['options'], 'searchBatches'> & { trainBatches: number };

/** A version-1 checkpoint's options in today's terms (key order kept, so they compare equal as JSON). */
function fromV1(o: V1Options): OneShotCheckpoint['options'] {
  if (!Number.isInteger(o.trainBatches)) throw new Error('one-shot checkpoint of version 1 without its trainBatches');
  const entries = Object.entries(o).map(([k, v]) =>
    k === 'trainBatches' ? ['searchBatches', o.trainBatches * o.rounds] : [k, v],
  );
  return Object.fromEntries(entries) as OneShotCheckpoint['options'];
}
