/** The AUC × memory Pareto front of finished trials, as the screen's scatter plot marks it (the search's own rule). */
import { paretoFront as front } from '../search/pareto.js';

export interface AucMemoryPoint {
  validAuc: number;
  memoryBytes: number;
}

/** Non-dominated points, smallest memory first. */
export function paretoFront<T extends AucMemoryPoint>(points: readonly T[]): T[] {
  return front(points.map((point, id) => ({ id, auc: point.validAuc, memoryBytes: point.memoryBytes, point }))).map(
    (p) => p.point,
  );
}
