/**
 * What a search on synthetic data should find, in the space's own terms. The generator plants a latent rank per field
 * (0 for noise); the dim that holds it is the smallest candidate at or above that rank, and a noise field's is the
 * smallest candidate (0 when the space offers it). Shown on the end screen and in the report beside the best trial,
 * so both speak of dims the search could have chosen (a rank-1 field is "2" when the candidates are 0, 2, 4…).
 */
import type { SyntheticTruth } from '../data/synthetic-truth.js';
import type { FieldChoices } from '../controllers/controller.js';

/** Per observed field (hidden ones drive the label but cannot be chosen), its planted dim among its candidates. */
export function plantedDims(truth: SyntheticTruth, fields: readonly FieldChoices[]): { name: string; dim: number }[] {
  const candidates = new Map(fields.map((f) => [f.name, [...f.dims].sort((a, b) => a - b)]));
  return truth.fields
    .filter((f) => f.observed)
    .map((f) => {
      const dims = candidates.get(f.name) ?? [f.trueDim];
      const dim = f.trueDim === 0 ? dims[0] : (dims.find((d) => d >= f.trueDim) ?? dims[dims.length - 1]);
      return { name: f.name, dim };
    });
}
