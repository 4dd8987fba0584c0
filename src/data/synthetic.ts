/**
 * The `synthetic` format as a Reader: rows stream into the same encoder as any file, and the generator keeps each
 * row's true logit and label so the ground truth (Bayes AUC on the valid split) can be computed after the split.
 */
import seedrandom from 'seedrandom';
import { UsageError } from '../errors.js';
import { SyntheticSchema, type DataSpec, type SyntheticSpec } from '../space/data-schema.js';
import type { Key, ReadStats, Reader, RowSink } from './row-sink.js';
import {
  buildSyntheticModel,
  logitOf,
  rawSignal,
  sampleValues,
  sigmoid,
  type SyntheticModel,
} from './synthetic-model.js';
import { aucOf, type SyntheticTruth } from './synthetic-truth.js';
import { VALID } from './split.js';

/** The synthetic options of a data spec, with the schema's defaults when the section is absent. */
export function syntheticSpecOf(spec: DataSpec): SyntheticSpec {
  // The file readers' own options would be silently ignored here (load-dataset.ts checks the older ones).
  const stray = (['header', 'derive'] as const).find((key) => spec[key] !== undefined);
  if (stray !== undefined) {
    throw new UsageError(
      `data.${stray}: format synthetic generates its rows and does not use it`,
      `remove data.${stray}`,
    );
  }
  return spec.synthetic ?? SyntheticSchema.parse({});
}

export function syntheticSource(spec: SyntheticSpec): string {
  return `synthetic(seed=${spec.seed}, rows=${spec.rows})`;
}

/** Rows between two yields to the event loop, so a progress display keeps drawing during a large generation. */
const YIELD_EVERY = 65_536;

export class SyntheticReader implements Reader {
  readonly fields: readonly string[];
  readonly model: SyntheticModel;
  /** Index into the model's fields of each emitted field. */
  private readonly columns: Int32Array;
  /** Per generated row: its true logit and label (filled by read()). */
  logits = new Float32Array(0);
  labels = new Uint8Array(0);

  /** @param fields the subset of generator fields to emit, in this order (data.fields); all of them by default. */
  constructor(
    readonly spec: SyntheticSpec,
    fields?: readonly string[],
  ) {
    this.model = buildSyntheticModel(spec);
    const names = this.model.fields.map((f) => f.name);
    const wanted = fields ?? names;
    wanted.forEach((name, i) => {
      if (!names.includes(name)) {
        throw new UsageError(
          `data.fields[${i}]: "${name}" is not a synthetic field`,
          `use some of: ${names.join(', ')}`,
        );
      }
    });
    this.fields = [...wanted];
    this.columns = Int32Array.from(wanted, (name) => names.indexOf(name));
  }

  async read(sink: RowSink): Promise<ReadStats> {
    const { rows, seed } = this.spec;
    const rng = seedrandom.alea(`embnas-synthetic:${seed}:rows`);
    const values = new Int32Array(this.model.fields.length);
    const keys: Key[] = new Array<Key>(this.columns.length).fill(null);
    this.logits = new Float32Array(rows);
    this.labels = new Uint8Array(rows);
    for (let r = 0; r < rows; r++) {
      sampleValues(this.model, rng, values);
      const logit = logitOf(this.model, rawSignal(this.model, values));
      const label = rng() < sigmoid(logit) ? 1 : 0;
      this.logits[r] = logit;
      this.labels[r] = label;
      for (let c = 0; c < this.columns.length; c++) {
        const v = values[this.columns[c]];
        keys[c] = v < 0 ? null : v;
      }
      sink.row(label, keys);
      if ((r + 1) % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return { rows, skipped: 0, skippedExamples: [] };
  }

  /** The ground truth, given the split of each generated row (plan.assign of the split). */
  truth(assign: Uint8Array): SyntheticTruth {
    let positives = 0;
    for (const l of this.labels) positives += l;
    const observed = new Set(this.fields);
    const auc = aucOf(this.logits, this.labels, (i) => assign[i] === VALID);
    return {
      fields: this.model.fields.map((f) => ({
        name: f.name,
        kind: f.kind,
        trueDim: f.dim,
        vocab: f.vocab,
        observed: observed.has(f.name),
      })),
      interactions: this.spec.interactions.map(([a, b]) => [a, b] as [string, string]),
      seed: this.spec.seed,
      rows: this.spec.rows,
      positiveRate: this.labels.length > 0 ? positives / this.labels.length : 0,
      bayesValidAuc: Number.isNaN(auc) ? null : auc,
    };
  }
}
