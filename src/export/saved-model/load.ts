/**
 * Reading a saved model's folder back (format.ts), and the reference forward pass over it (`predict`, `encodeRow`):
 * what docs/export.md tells a PyTorch or numpy user to reproduce.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import {
  READABLE_FORMATS,
  SAVED_MODEL_FORMAT,
  type SavedBlock,
  type SavedFeature,
  type SavedModel,
  type SavedModelMeta,
} from './format.js';

function readFloat32LE(bytes: Buffer, offset: number, length: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, length);
  const out = new Float32Array(length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

/** Reads a model folder written by writeSavedModel, checking that every tensor and vocabulary is complete. */
export function loadSavedModel(dir: string): SavedModel {
  const metaFile = path.join(dir, 'model.json');
  if (!existsSync(metaFile))
    throw new UsageError(`${dir}: no model.json`, 'pass a folder written by `embnas export --retrain`');
  let meta: SavedModelMeta;
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8')) as SavedModelMeta;
  } catch (e) {
    throw new UsageError(`${metaFile}: not valid JSON (${(e as Error).message})`, 'export the model again');
  }
  if (!READABLE_FORMATS.includes(meta?.format)) {
    throw new UsageError(
      `${metaFile}: format is ${JSON.stringify(meta?.format)}, expected '${SAVED_MODEL_FORMAT}'`,
      'use a model saved by this version of embnas',
    );
  }
  const bytes = readFileSync(path.join(dir, 'weights.bin'));
  const tensors = new Map<string, Float32Array>();
  for (const t of meta.tensors) {
    const expected = 4 * t.shape.reduce((a, b) => a * b, 1);
    if (t.dtype !== 'float32' || t.length !== expected || t.offset % 4 !== 0 || t.offset + t.length > bytes.length) {
      throw new UsageError(
        `${dir}/weights.bin: tensor ${t.name} (offset ${t.offset}, ${t.length} bytes) does not fit the ${bytes.length}-byte file`,
        'the model folder is incomplete: export it again',
      );
    }
    tensors.set(t.name, readFloat32LE(bytes, t.offset, t.length));
  }
  const vocab = new Map<string, string[]>();
  for (const f of meta.features) {
    if (f.vocabFile === null) continue;
    const lines = readFileSync(path.join(dir, f.vocabFile), 'utf8').split('\n');
    lines.pop(); // the text after the last line break (empty)
    if (lines.length !== f.kept) {
      throw new UsageError(
        `${dir}/${f.vocabFile}: ${lines.length} lines but feature '${f.name}' keeps ${f.kept} values`,
        'the model folder is incomplete: export it again',
      );
    }
    vocab.set(f.name, lines);
  }
  return { dir, meta, tensors, vocab };
}

/**
 * The model's logit for one row of ids (one id per feature in model.json order, dropped features included and
 * ignored): concatenate the kept features' table rows, then every dense layer. sigmoid(logit) is the click probability.
 */
export function predict(saved: SavedModel, idsRow: ArrayLike<number>): number {
  const { features, tower } = saved.meta;
  if (idsRow.length !== features.length)
    throw new RangeError(`predict: ${idsRow.length} ids for ${features.length} features`);
  const x: number[] = [];
  features.forEach((f, i) => {
    if (f.dim === 0) return;
    const id = idsRow[i];
    if (!(Number.isInteger(id) && id >= 0 && id < f.rows))
      throw new RangeError(`predict: id ${id} of feature '${f.name}' is outside [0, ${f.rows})`);
    if (f.blocks) return x.push(...blockRow(saved, f, f.blocks, id));
    const table = saved.tensors.get(f.tensor!)!;
    for (let k = 0; k < f.dim; k++) x.push(table[id * f.dim + k]);
  });
  let h = Float64Array.from(x);
  for (const layer of tower) {
    const w = saved.tensors.get(layer.kernel)!;
    const b = saved.tensors.get(layer.bias)!;
    const out = new Float64Array(layer.out);
    for (let j = 0; j < layer.out; j++) {
      let s = b[j];
      for (let i = 0; i < layer.in; i++) s += h[i] * w[i * layer.out + j];
      out[j] = layer.activation === 'relu' ? Math.max(0, s) : s;
    }
    h = out;
  }
  return h[0];
}

/** A multi-size feature's row: its block's row, projected when the block is narrower; ids of no block read OOV's. */
function blockRow(saved: SavedModel, f: SavedFeature, blocks: SavedBlock[], id: number): number[] {
  const find = (i: number) => blocks.find((b) => i >= b.start && i < b.end);
  const b = find(id) ?? find(f.oovId)!;
  const row = b.start <= id && id < b.end ? id : f.oovId;
  const table = saved.tensors.get(b.tensor)!;
  const e = Array.from(table.subarray((row - b.start) * b.dim, (row - b.start + 1) * b.dim));
  if (b.projection === null) return e;
  const p = saved.tensors.get(b.projection)!;
  return Array.from({ length: f.dim }, (_, j) => e.reduce((s, v, l) => s + v * p[l * f.dim + j], 0));
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

const vocabIndex = new WeakMap<SavedModel, Map<string, Map<string, number>>>();

/**
 * Ids of one row of values as the vocabulary files spell them (null, undefined or '' = missing): a kept value gets
 * its line number, any other value the feature's OOV id. Dropped features get their OOV id (predict ignores them).
 */
export function encodeRow(saved: SavedModel, values: readonly (string | null | undefined)[]): Int32Array {
  let index = vocabIndex.get(saved);
  if (index === undefined) {
    index = new Map([...saved.vocab].map(([name, lines]) => [name, new Map(lines.map((v, id) => [v, id]))]));
    vocabIndex.set(saved, index);
  }
  const { features } = saved.meta;
  if (values.length !== features.length)
    throw new RangeError(`encodeRow: ${values.length} values for ${features.length} features`);
  return Int32Array.from(features, (f, i) => {
    const v = values[i];
    if (v === null || v === undefined || v === '') return f.missingId;
    return index.get(f.name)?.get(v) ?? f.oovId;
  });
}
