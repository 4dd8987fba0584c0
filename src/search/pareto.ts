/**
 * The accuracy/memory Pareto front: configurations no other configuration beats on both AUC (higher is better) and
 * memory (lower is better).
 */

export interface ParetoPoint {
  id: number | string;
  auc: number;
  memoryBytes: number;
}

/**
 * The non-dominated points, sorted by memory ascending (so AUC ascends too). A point is dominated when another is at
 * least as good on both axes and strictly better on one; exact duplicates do not dominate each other, so both stay.
 * O(n log n): sort by memory (ties: higher AUC first), then one sweep keeping each point that beats the best AUC
 * seen at lower memory.
 */
export function paretoFront<T extends ParetoPoint>(points: readonly T[]): T[] {
  for (const p of points) {
    if (!Number.isFinite(p.auc) || !Number.isFinite(p.memoryBytes)) {
      const what = `paretoFront: point ${p.id} has AUC ${p.auc} and memory ${p.memoryBytes}`;
      throw new Error(`${what}; only finished trials belong here`);
    }
  }
  const sorted = [...points].sort((a, b) => a.memoryBytes - b.memoryBytes || b.auc - a.auc);
  const front: T[] = [];
  for (const p of sorted) {
    const last = front[front.length - 1];
    const duplicate = last !== undefined && last.auc === p.auc && last.memoryBytes === p.memoryBytes;
    if (last === undefined || p.auc > last.auc || duplicate) front.push(p);
  }
  return front;
}
