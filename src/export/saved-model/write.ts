/**
 * Writing a saved model's folder (format.ts): model.json, weights.bin and the vocabulary files, into a temporary
 * folder renamed into place, so an interrupted export leaves no half-written model.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { endianness } from 'node:os';
import path from 'node:path';
import type { ModelWeights } from '../../engine/model.js';
import { UsageError } from '../../errors.js';
import {
  SAVED_MODEL_FORMAT,
  type SavedBlock,
  type SavedFeature,
  type SavedLayer,
  type SavedModelInput,
  type SavedModelMeta,
  type SavedTensor,
} from './format.js';

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
