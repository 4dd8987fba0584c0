/**
 * The saved model of a retrained trial: a folder that PyTorch, numpy or any other code can load without embnas.
 *
 *   model.json     what the model is: features (table sizes, special ids, vocabulary file), tower layers, the tensor
 *                  directory, the trial's config and its test metrics (format 'embnas.model/2')
 *   weights.bin    every tensor as float32 little-endian, concatenated at the byte offsets model.json lists
 *   vocab/<f>.txt  per kept feature, one value per line in id order (line i = id i)
 *
 * A dropped feature (dim 0) is listed in model.json (so an id row still has one id per dataset field) but has no
 * table and no vocabulary file. A feature trained as MLET factors (mletFactor > 0) is saved as its collapsed rows × dim
 * table (the engine's ModelWeights already hold A·B multiplied out), and so is a Res-embedding feature (C[cluster] + R).
 * A multi-size feature (NIS blocks, vocabulary cut) keeps its blocks, which is what makes it small: `blocks` lists
 * each block with rows (an id range, its dim, its table and, below the feature's dim, its projection), `tensor` is
 * null, and an id no block covers reads the OOV row. Version 2 added `blocks`; version-1 folders still load.
 * docs/export.md documents every key; `predict` below is the reference forward pass.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
  openSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { endianness } from 'node:os';
import path from 'node:path';
import type { EncodedField } from '../data/encoded-dataset.js';
import type { ModelWeights } from '../engine/model.js';
import type { TrialConfig } from '../engine/trial-config.js';
import { UsageError } from '../errors.js';

export const SAVED_MODEL_FORMAT = 'embnas.model/2';
/** Older formats this version still reads (a subset of the current one). */
const READABLE_FORMATS: readonly string[] = ['embnas.model/1', SAVED_MODEL_FORMAT];

/** One block of a multi-size feature: ids [start, end) read row (id − start) of `tensor` (times `projection`). */
export interface SavedBlock {
  start: number;
  end: number;
  dim: number;
  /** (end − start) × dim. */
  tensor: string;
  /** dim × the feature's dim; null when the block has the feature's dim. */
  projection: string | null;
}

/** What a vocabulary line holds: the value as it appears in the data, or the log2 bucket of a numeric column. */
export type VocabKind = 'value' | 'log2-bucket';

export interface SavedFeature {
  name: string;
  rows: number;
  kept: number;
  dim: number;
  oovId: number;
  missingId: number;
  /** Name of the table tensor (rows × dim); null for a dropped feature and for one with blocks. */
  tensor: string | null;
  /** Only for a multi-size feature: its blocks with rows, in id order. */
  blocks?: SavedBlock[];
  /** Path of the vocabulary file inside the model folder; null for a dropped feature. */
  vocabFile: string | null;
  vocabKind: VocabKind;
}

export interface SavedLayer {
  in: number;
  out: number;
  activation: 'relu' | 'linear';
  /** Tensor names: kernel in × out, bias out. */
  kernel: string;
  bias: string;
}

export interface SavedTensor {
  name: string;
  shape: number[];
  dtype: 'float32';
  /** Byte offset in weights.bin. */
  offset: number;
  /** Bytes: 4 · Π shape. */
  length: number;
}

export interface SavedModelMeta {
  format: string;
  search: { id: number; name: string; spaceHash: string };
  trial: number;
  config: TrialConfig;
  features: SavedFeature[];
  tower: SavedLayer[];
  tensors: SavedTensor[];
  metrics: { testAuc: number; testLogloss: number; testRows: number; searchValidAuc: number | null };
  training: { splits: string[]; rows: number; epochs: number; backend: string };
}

export interface SavedModelInput {
  search: SavedModelMeta['search'];
  trial: number;
  config: TrialConfig;
  /** The dataset's fields, in order. */
  fields: readonly EncodedField[];
  /** Per field: its vocabulary lines (default: the field's values) and their kind (default 'value'). */
  vocab?: readonly { values: readonly string[]; kind: VocabKind }[];
  weights: ModelWeights;
  metrics: SavedModelMeta['metrics'];
  training: SavedModelMeta['training'];
}

export interface SavedModel {
  dir: string;
  meta: SavedModelMeta;
  /** Tensor name → values (row-major). */
  tensors: Map<string, Float32Array>;
  /** Feature name → vocabulary lines, for kept features. */
  vocab: Map<string, string[]>;
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** A model folder may be new or empty; anything else would mix two models' files. */
export function checkModelDir(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory())
    throw new UsageError(`model folder ${dir}: is a file`, 'pass a new folder name with --model-dir');
  if (readdirSync(dir).length > 0) {
    throw new UsageError(
      `model folder ${dir}: exists and is not empty`,
      'pass a new folder with --model-dir, or remove the old one',
    );
  }
}

/** Writes the model folder (into a temporary sibling first, so a crash never leaves a half-written model at `dir`). */
export function writeSavedModel(dir: string, input: SavedModelInput): SavedModelMeta {
  checkModelDir(dir);
  const meta = describe(input);
  const tmp = `${dir.replace(/[\\/]+$/, '')}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(path.join(tmp, 'vocab'), { recursive: true });
  try {
    writeTensors(path.join(tmp, 'weights.bin'), meta, input.weights);
    meta.features.forEach((f, i) => {
      if (f.vocabFile === null) return;
      const values = input.vocab?.[i]?.values ?? input.fields[i].values;
      if (values.length !== f.kept)
        throw new Error(`field '${f.name}': ${values.length} vocabulary values for ${f.kept} kept ids`);
      const bad = values.findIndex((v) => /[\r\n]/.test(v));
      if (bad >= 0) throw new Error(`field '${f.name}': value of id ${bad} contains a line break`);
      writeFileSync(path.join(tmp, f.vocabFile), values.map((v) => `${v}\n`).join(''));
    });
    writeFileSync(path.join(tmp, 'model.json'), `${JSON.stringify(meta, null, 2)}\n`);
    if (existsSync(dir)) rmdirSync(dir); // empty: checked above
    mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return meta;
}

function describe(input: SavedModelInput): SavedModelMeta {
  const { fields, weights, config } = input;
  const tensors: SavedTensor[] = [];
  let offset = 0;
  const add = (name: string, shape: number[]): string => {
    const length = 4 * shape.reduce((a, b) => a * b, 1);
    tensors.push({ name, shape, dtype: 'float32', offset, length });
    offset += length;
    return name;
  };
  const files = vocabFileNames(fields.map((f) => f.name));
  const features = fields.map((f, i): SavedFeature => {
    const dim = config.fields[i].dim;
    const table = weights.embeddings.find((e) => e.field === i);
    if ((table === undefined) !== (dim === 0) || (table && (table.rows !== f.rows || table.dim !== dim))) {
      throw new Error(`field '${f.name}': the weights do not match the config (dim ${dim}, ${f.rows} rows)`);
    }
    const kept = dim > 0;
    const blocks = table?.blocks?.map((b, j): SavedBlock => ({
      start: b.start,
      end: b.end,
      dim: b.dim,
      tensor: add(`embedding.${f.name}.block${j}`, [b.end - b.start, b.dim]),
      projection: b.projection ? add(`embedding.${f.name}.block${j}.projection`, [b.dim, dim]) : null,
    }));
    return {
      name: f.name,
      rows: f.rows,
      kept: f.kept,
      dim,
      oovId: f.oovId,
      missingId: f.missingId,
      tensor: kept && !blocks ? add(`embedding.${f.name}`, [f.rows, dim]) : null,
      ...(blocks ? { blocks } : {}),
      vocabFile: kept ? files[i] : null,
      vocabKind: input.vocab?.[i]?.kind ?? 'value',
    };
  });
  const tower = weights.tower.map((l, i): SavedLayer => ({
    in: l.in,
    out: l.out,
    activation: l.activation,
    kernel: add(`tower.${i}.kernel`, [l.in, l.out]),
    bias: add(`tower.${i}.bias`, [l.out]),
  }));
  return {
    format: SAVED_MODEL_FORMAT,
    search: input.search,
    trial: input.trial,
    config,
    features,
    tower,
    tensors,
    metrics: input.metrics,
    training: input.training,
  };
}

/** `vocab/<name>.txt` with characters outside [A-Za-z0-9_.-] replaced; clashing names (also by case) get `-<index>`. */
function vocabFileNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name, i) => {
    let base = name.replace(/[^A-Za-z0-9_.-]/g, '_');
    if (used.has(base.toLowerCase())) base = `${base}-${i}`;
    used.add(base.toLowerCase());
    return `vocab/${base}.txt`;
  });
}

function writeTensors(file: string, meta: SavedModelMeta, weights: ModelWeights): void {
  const tables = weights.embeddings.flatMap(
    (e) => e.blocks?.flatMap((b) => (b.projection ? [b.table, b.projection] : [b.table])) ?? [e.table],
  );
  const data: Float32Array[] = [...tables, ...weights.tower.flatMap((l) => [l.kernel, l.bias])];
  const fd = openSync(file, 'w');
  try {
    data.forEach((values, i) => {
      if (values.byteLength !== meta.tensors[i].length)
        throw new Error(`tensor ${meta.tensors[i].name}: ${values.length} values for shape [${meta.tensors[i].shape}]`);
      writeSync(fd, littleEndianBytes(values));
    });
  } finally {
    closeSync(fd);
  }
}

function littleEndianBytes(values: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new DataView(new ArrayBuffer(values.byteLength));
  values.forEach((v, i) => out.setFloat32(4 * i, v, true));
  return new Uint8Array(out.buffer);
}

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
